package capgo

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// The client's settings, each with its one default and its one rule. The provider's settings are
// these, so it applies the same defaults and checks with the functions below.
const (
	// DefaultBaseURL is Capgo's production API.
	DefaultBaseURL = "https://api.capgo.app"

	// DefaultMaxRetries rides out a few seconds of rate limiting or a short outage: with the
	// backoff doubling from half a second up to thirty, eight retries wait about a minute and a
	// half in all before giving up.
	DefaultMaxRetries = 8
	// MaxMaxRetries is the most retries a caller may ask for.
	MaxMaxRetries = 30

	DefaultRetryWaitMin = 500 * time.Millisecond
	DefaultRetryWaitMax = 30 * time.Second

	// DefaultRequestTimeout bounds each attempt; MinRequestTimeout and MaxRequestTimeout bound
	// what a user may set (ParseRequestTimeout).
	DefaultRequestTimeout = 60 * time.Second
	MinRequestTimeout     = time.Second
	MaxRequestTimeout     = 10 * time.Minute

	// DefaultOperationTimeout bounds all the attempts of one call, and of one confirmed write with
	// its read-backs: a run at a terminal gives up within minutes, whatever the server does.
	// MinOperationTimeout and MaxOperationTimeout bound what a user may set (ParseOperationTimeout).
	DefaultOperationTimeout = 5 * time.Minute
	MinOperationTimeout     = time.Second
	MaxOperationTimeout     = time.Hour

	DefaultUserAgent = "terraform-provider-capgo"
)

// CheckBaseURL accepts an absolute http or https URL, without a query or a fragment. Plain http is
// allowed for loopback hosts only: the API key travels in a header, so anything that leaves the
// machine must be encrypted.
func CheckBaseURL(raw string) error {
	_, err := parseBaseURL(raw)
	return err
}

// parseBaseURL is CheckBaseURL returning the URL, its path without a trailing slash. The messages
// quote the URL with any password hidden.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || !u.IsAbs() || u.Host == "" {
		return nil, fmt.Errorf("%q is not an absolute URL; use the form %s", raw, DefaultBaseURL)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopbackHost(u.Hostname()) {
			return nil, fmt.Errorf("%q uses plain http, which would send the API key unencrypted; use https "+
				"(plain http is only allowed for localhost, 127.0.0.0/8 and ::1)", u.Redacted())
		}
	default:
		return nil, fmt.Errorf("%q must use https (or http for a loopback host), not %q", u.Redacted(), u.Scheme)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q must not have a query or a fragment", u.Redacted())
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CheckMaxRetries accepts a number of retries from 0 (none) to MaxMaxRetries.
func CheckMaxRetries(n int) error {
	if n < 0 || n > MaxMaxRetries {
		return fmt.Errorf("%d is not a whole number from 0 to %d", n, MaxMaxRetries)
	}
	return nil
}

// ParseRequestTimeout reads a Go duration from MinRequestTimeout to MaxRequestTimeout.
func ParseRequestTimeout(s string) (time.Duration, error) {
	return parseDurationIn(s, MinRequestTimeout, MaxRequestTimeout)
}

// ParseOperationTimeout reads a Go duration from MinOperationTimeout to MaxOperationTimeout.
func ParseOperationTimeout(s string) (time.Duration, error) {
	return parseDurationIn(s, MinOperationTimeout, MaxOperationTimeout)
}

func parseDurationIn(s string, lowest, highest time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil || d < lowest || d > highest {
		return 0, fmt.Errorf("%q is not a duration from %s to %s; write it like \"30s\" or \"2m\"", s, lowest, highest)
	}
	return d, nil
}

var errEmptyKey = errors.New("capgo: the API key is empty")
