package mockserver

import (
	"net/url"
	"strconv"
	"strings"
)

// The URL rules of webhooks (README.md, 2.5), 2 to 4: the mock looks no
// name up, so rule 5 (a host that resolves to a private address) never
// applies.
const (
	webhookURLPublicHost = "Webhook URL must point to a public host"
	webhookURLHostname   = "Webhook URL must use a hostname, not an IP address"
	webhookURLHTTPS      = "Webhook URL must use HTTPS"
)

// parseWebhookURL reads a URL as a browser's URL parser would accept it:
// absolute, with a host for http and https, and a host that ends in a
// number only when it reads as IPv4. Anything else breaks rule 1, which is
// invalid_body rather than invalid_url.
func parseWebhookURL(raw string) (*url.URL, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return nil, false
	}
	host := webhookHost(u)
	if (u.Scheme == "http" || u.Scheme == "https") && host == "" {
		return nil, false
	}
	if endsInNumber(host) && !isIPv4(host) {
		return nil, false
	}
	return u, true
}

// webhookURLProblem returns the first of rules 2 to 4 that u breaks, "" for
// none.
func webhookURLProblem(u *url.URL) string {
	host := webhookHost(u)
	switch {
	case host == "localhost" || strings.HasSuffix(host, ".localhost"):
		return webhookURLPublicHost
	case strings.Contains(host, ":") || endsInNumber(host):
		// IPv6, which alone has colons, or IPv4 in any of its spellings.
		return webhookURLHostname
	case u.Scheme != "https":
		return webhookURLHTTPS
	}
	return ""
}

// webhookHost is the host of u in lower case, without a final dot.
func webhookHost(u *url.URL) string {
	return strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
}

// endsInNumber reports whether a host's last label is a number, decimal or
// 0x-hexadecimal: a browser's URL parser then reads the host as IPv4
// (https://2130706433/ is 127.0.0.1), or refuses it.
func endsInNumber(host string) bool {
	last := host[strings.LastIndex(host, ".")+1:]
	if digits, ok := strings.CutPrefix(last, "0x"); ok {
		return strings.Trim(digits, "0123456789abcdef") == ""
	}
	return last != "" && strings.Trim(last, "0123456789") == ""
}

// isIPv4 reports whether a host is IPv4 as a browser's URL parser reads it:
// one to four numbers, each decimal, 0x-hexadecimal or 0-octal, all but the
// last below 256 and the last filling the bytes left.
func isIPv4(host string) bool {
	parts := strings.Split(host, ".")
	if len(parts) > 4 {
		return false
	}
	for i, part := range parts {
		base := 10
		switch {
		case strings.HasPrefix(part, "0x"):
			part, base = strings.TrimPrefix(part, "0x"), 16
			if part == "" {
				part = "0"
			}
		case len(part) > 1 && part[0] == '0':
			part, base = part[1:], 8
		}
		n, err := strconv.ParseUint(part, base, 64)
		limit := uint64(1) << (8 * (4 - len(parts) + 1))
		if i < len(parts)-1 {
			limit = 256
		}
		if err != nil || n >= limit {
			return false
		}
	}
	return true
}
