package capgo

import "testing"

func TestNormalizeWebsite(t *testing.T) {
	for in, want := range map[string]string{
		"":                          "",
		"  ":                        "",
		"capgo.app":                 "https://capgo.app/",
		"HTTPS://Capgo.app":         "https://capgo.app/",
		" https://capgo.app/ ":      "https://capgo.app/",
		"example.com:3000":          "https://example.com:3000/",
		"https://example.com:443":   "https://example.com/",
		"http://example.com:80/x":   "http://example.com/x",
		"http://example.com/a?b=c":  "http://example.com/a?b=c",
		"https://capgo.app/pricing": "https://capgo.app/pricing",
	} {
		got, err := NormalizeWebsite(in)
		if err != nil || got != want {
			t.Errorf("NormalizeWebsite(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"ftp://capgo.app", "https://user:pw@capgo.app", "mailto:someone@example.com", "https://"} {
		if got, err := NormalizeWebsite(in); err == nil {
			t.Errorf("NormalizeWebsite(%q) = %q, want an error", in, got)
		}
	}
	if !SameWebsite("capgo.app", "https://capgo.app/") || SameWebsite("capgo.app", "https://capgo.io/") {
		t.Error("SameWebsite does not compare the stored forms")
	}
}

func TestSameLogo(t *testing.T) {
	signed := "https://storage.example/object/sign/logos/o1.png?token="
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"https://example.com/a.png", "https://example.com/a.png", true},
		{signed + "one", signed + "two", true}, // signed again on every read
		{"https://example.com/a.png", "https://example.com/b.png", false},
		{signed + "one", "https://storage.example/object/sign/logos/o2.png?token=one", false},
		{"", "", true},
		{"", "https://example.com/a.png", false},
	} {
		if got := SameLogo(tt.a, tt.b); got != tt.want {
			t.Errorf("SameLogo(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
