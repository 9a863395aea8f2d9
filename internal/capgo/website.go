package capgo

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// schemePrefix matches a URL that starts with a scheme and "//".
var schemePrefix = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*://`)

// NormalizeWebsite is the website as the production API stores it: trimmed, with https:// put in
// front when it has no scheme, then written out as a URL is (scheme and host in lower case, the
// default port dropped, "/" for an empty path): "HTTPS://Capgo.app" is "https://capgo.app/",
// "example.com:3000" is "https://example.com:3000/". "" stays "": it clears the website. A
// scheme other than http and https, or a user or password in the URL, is refused, as the server
// refuses it.
func NormalizeWebsite(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", nil
	}
	if !schemePrefix.MatchString(s) {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("%q is not a web address", raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("%q must use http or https, not %q", raw, u.Scheme)
	}
	if u.User != nil {
		return "", errors.New("a website must not hold a user name or a password")
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if (u.Scheme == "https" && port == "443") || (u.Scheme == "http" && port == "80") {
		port = ""
	}
	u.Host = host
	if port != "" {
		u.Host = host + ":" + port
	}
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String(), nil
}

// SameWebsite reports whether two websites are the same once the production API has stored them.
func SameWebsite(a, b string) bool {
	na, errA := NormalizeWebsite(a)
	nb, errB := NormalizeWebsite(b)
	return errA == nil && errB == nil && na == nb
}

// SameLogo reports whether two logo addresses name the same logo. The production API answers a
// logo uploaded in the Capgo console as a signed address that changes from one read to the next:
// the same object, with another signature in the query.
func SameLogo(a, b string) bool {
	if a == b {
		return true
	}
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	if errA != nil || errB != nil || (ua.RawQuery == "" && ub.RawQuery == "") {
		return false
	}
	return ua.Scheme == ub.Scheme && strings.EqualFold(ua.Host, ub.Host) && ua.Path == ub.Path
}
