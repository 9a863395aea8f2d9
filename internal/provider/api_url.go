package provider

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// validateAPIURL accepts an absolute http(s) URL. Plain http is only allowed for loopback hosts:
// the API key travels in a header, so anything that leaves the machine must be encrypted.
func validateAPIURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL; use the form https://api.capgo.app", raw)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if isLoopbackHost(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%q uses plain http, which would send the API key unencrypted; use https "+
			"(plain http is only allowed for localhost, 127.0.0.0/8 and ::1)", u.Redacted())
	default:
		return fmt.Errorf("%q must use https (or http for a loopback host), not %q", u.Redacted(), u.Scheme)
	}
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
