package mockserver

import "testing"

// TestWebhookURLRules: rule 1 (not a URL, as a browser's parser has it)
// apart, the first of rules 2 to 4 that a URL breaks; ports, paths and
// query strings are fine.
func TestWebhookURLRules(t *testing.T) {
	for raw, want := range map[string]string{
		"https://hooks.example.com":                "",
		"HTTPS://Hooks.Example.COM:8443/a/b?c=d#e": "",
		"https://localhost.example.com/":           "",
		"https://a1.example.com2x/":                "",
		"https://localhost":                        webhookURLPublicHost,
		"https://LOCALHOST.:443/":                  webhookURLPublicHost,
		"http://x.y.localhost/":                    webhookURLPublicHost,
		"https://192.168.1.10/":                    webhookURLHostname,
		"https://[::1]/":                           webhookURLHostname,
		"https://0x7f.1/":                          webhookURLHostname,
		"https://017700000001/":                    webhookURLHostname,
		"https://4294967295/":                      webhookURLHostname,
		"http://hooks.example.com/":                webhookURLHTTPS,
		"wss://hooks.example.com/":                 webhookURLHTTPS,
		"mailto:hooks@example.com":                 webhookURLHTTPS,
		"no scheme":                                "rule 1",
		"/relative/path":                           "rule 1",
		"https:///path-only":                       "rule 1",
		"https://exa mple.com/":                    "rule 1",
		"https://example.123/":                     "rule 1",
		"https://1.2.3.4.5/":                       "rule 1",
		"https://256.1.1.1/":                       "rule 1",
		"https://4294967296/":                      "rule 1",
		"https://09.1.1.1/":                        "rule 1",
	} {
		u, ok := parseWebhookURL(raw)
		got := "rule 1"
		if ok {
			got = webhookURLProblem(u)
		}
		if got != want {
			t.Errorf("%q: %q, want %q", raw, got, want)
		}
	}
}
