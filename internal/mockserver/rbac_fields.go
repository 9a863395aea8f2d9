package mockserver

import (
	"encoding/json"
	"errors"
	"math"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The fields of an organization as Capgo's backend takes them (README.md,
// 2.4): it stores them cleaned up, and refuses what it cannot clean.

// htmlTag matches one HTML tag, which the backend strips from names.
var htmlTag = regexp.MustCompile(`<[^>]*>`)

// rbacNameParam reads an organization name: HTML tags removed, then
// surrounding blanks. What is left must not be empty, and must have
// minChars characters (POST asks for 3, PUT for any). required makes an
// absent name bad as well.
func rbacNameParam(p params, minChars int, required bool) (name string, present bool, bad *badField) {
	raw, kind := p.field("name")
	switch {
	case kind == fieldAbsent && !required:
		return "", false, nil
	case kind != fieldString:
		return "", false, &badField{"name", "name must be a string"}
	}
	name = strings.TrimSpace(htmlTag.ReplaceAllString(raw, ""))
	if name == "" {
		return "", false, &badField{"name", "name is empty once HTML tags and surrounding blanks are removed"}
	}
	if utf8.RuneCountInString(name) < minChars {
		return "", false, &badField{"name", "name must have at least " + plural(minChars, "character")}
	}
	return name, true, nil
}

// rbacEmailParam reads an optional email, trimmed: when present it must be
// a valid address, with a top-level domain of two letters or more.
func rbacEmailParam(p params, field string) (email string, present bool, bad *badField) {
	raw, kind := p.field(field)
	if kind == fieldAbsent {
		return "", false, nil
	}
	email = strings.TrimSpace(raw)
	if kind != fieldString || !rbacValidEmail(email) {
		return "", false, &badField{field, field + " must be a valid email address"}
	}
	return email, true, nil
}

// rbacValidEmail is validEmail with the backend's further rule: the
// top-level domain has at least two letters and nothing else.
func rbacValidEmail(s string) bool {
	if !validEmail(s) {
		return false
	}
	tld := s[strings.LastIndex(s, ".")+1:]
	if utf8.RuneCountInString(tld) < 2 {
		return false
	}
	for _, r := range tld {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// rbacWebsiteParam reads an optional website: null or blank means none
// (website is then nil), anything else is normalised.
func rbacWebsiteParam(p params) (website *string, present bool, bad *badField) {
	raw, kind := p.field("website")
	switch kind {
	case fieldAbsent:
		return nil, false, nil
	case fieldNull:
		return nil, true, nil
	case fieldOther:
		return nil, false, &badField{"website", "website must be a string or null"}
	}
	if strings.TrimSpace(raw) == "" {
		return nil, true, nil
	}
	normalised, err := normalizeWebsite(raw)
	if err != nil {
		return nil, false, &badField{"website", "website " + err.Error()}
	}
	return &normalised, true, nil
}

// schemePrefix matches the scheme at the start of a URL.
var schemePrefix = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://`)

// normalizeWebsite stores a website as the backend does: trimmed, https://
// put in front when it has no scheme, then written out again as a URL would
// serialise it (scheme and host in lower case, a default port dropped, an
// empty path as "/"). Only http and https are taken, without a user or
// password.
func normalizeWebsite(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if !schemePrefix.MatchString(s) {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", errors.New("is not a URL")
	}
	// url.Parse has put the scheme in lower case already.
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", errors.New("must be an http or https URL")
	}
	if u.User != nil {
		return "", errors.New("must not carry a user or a password")
	}
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return "", errors.New("has no host")
	}
	port := u.Port()
	if (u.Scheme == "https" && port == "443") || (u.Scheme == "http" && port == "80") {
		port = ""
	}
	switch {
	case port != "":
		u.Host = net.JoinHostPort(host, port)
	case strings.Contains(host, ":"): // an IPv6 address
		u.Host = "[" + host + "]"
	default:
		u.Host = host
	}
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String(), nil
}

// rbacIntegerParam reads an optional integer, which must be a JSON number
// (the query string carries only strings) between lowest and highest.
func rbacIntegerParam(p params, field string, lowest, highest int) *badField {
	raw, ok := p.raw(field)
	if !ok {
		return nil
	}
	if n, ok := jsonInteger(raw); !ok || n < lowest || n > highest {
		return &badField{field, field + " must be a whole number from " + strconv.Itoa(lowest) + " to " + strconv.Itoa(highest)}
	}
	return nil
}

// jsonInteger decodes a JSON number with no fractional part; null is none.
func jsonInteger(raw json.RawMessage) (int, bool) {
	var f float64
	if string(raw) == "null" || json.Unmarshal(raw, &f) != nil || f != math.Trunc(f) || math.Abs(f) > math.MaxInt32 {
		return 0, false
	}
	return int(f), true
}

// rbacEnumParam reads an optional string that must be one of allowed.
func rbacEnumParam(p params, field string, allowed ...string) *badField {
	value, kind := p.field(field)
	if kind == fieldAbsent {
		return nil
	}
	for _, a := range allowed {
		if kind == fieldString && value == a {
			return nil
		}
	}
	return &badField{field, field + " must be one of " + strings.Join(allowed, ", ")}
}
