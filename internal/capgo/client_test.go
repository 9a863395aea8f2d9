package capgo

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestNewClientValidation(t *testing.T) {
	tests := map[string]Config{
		"empty base URL":     {APIKey: testKey},
		"relative base URL":  {BaseURL: "api.capgo.app", APIKey: testKey},
		"other scheme":       {BaseURL: "ftp://api.capgo.app", APIKey: testKey},
		"no host":            {BaseURL: "https://", APIKey: testKey},
		"unparseable":        {BaseURL: "https://api.capgo.app/%zz", APIKey: testKey},
		"query in base URL":  {BaseURL: "https://api.capgo.app/?x=1", APIKey: testKey},
		"empty key":          {BaseURL: "https://api.capgo.app"},
		"blank key":          {BaseURL: "https://api.capgo.app", APIKey: "  \t"},
		"key as base URL":    {BaseURL: testKey, APIKey: testKey},
		"scheme-less w/ key": {BaseURL: "//" + testKey, APIKey: testKey},
		"ftp with key":       {BaseURL: "ftp://" + testKey + "@host/", APIKey: testKey},
		"key in the path":    {BaseURL: "mailto:" + testKey, APIKey: " " + testKey + "\n"},
		"plain http outside": {BaseURL: "http://api.capgo.app", APIKey: testKey},
		"fragment":           {BaseURL: "https://api.capgo.app/#x", APIKey: testKey},
		"too many retries":   {BaseURL: "https://api.capgo.app", APIKey: testKey, MaxRetries: ptr(MaxMaxRetries + 1)},
		"negative retries":   {BaseURL: "https://api.capgo.app", APIKey: testKey, MaxRetries: ptr(-1)},
	}
	for name, cfg := range tests {
		t.Run(name, func(t *testing.T) {
			c, err := NewClient(cfg)
			if err == nil {
				t.Fatalf("NewClient accepted %+v", cfg)
			}
			if c != nil {
				t.Error("NewClient returned a client along with an error")
			}
			if strings.Contains(err.Error(), testKey) {
				t.Errorf("error %q contains the API key", err)
			}
		})
	}
}

func TestNewClientAccepts(t *testing.T) {
	for _, base := range []string{"https://api.capgo.app", "https://api.capgo.app/", "http://127.0.0.1:8787", "http://localhost:8787", "http://[::1]:1", "HTTPS://API.CAPGO.APP"} {
		if _, err := NewClient(Config{BaseURL: base, APIKey: testKey}); err != nil {
			t.Errorf("NewClient(%q): %v", base, err)
		}
	}
}

func TestHeaders(t *testing.T) {
	s := newStub(t, answer(http.StatusOK, `{"id":"org-1"}`))
	c := s.client()
	if _, err := c.CreateOrganization(t.Context(), CreateOrganizationRequest{Name: "Acme"}); err != nil {
		t.Fatalf("CreateOrganization: %v", err)
	}
	if _, err := c.GetOrganization(t.Context(), "org-1"); err != nil {
		t.Fatalf("GetOrganization: %v", err)
	}
	reqs := s.requests()
	if len(reqs) != 2 {
		t.Fatalf("server got %d requests, want 2", len(reqs))
	}
	for _, req := range reqs {
		if got := req.header.Values("Authorization"); len(got) != 1 || got[0] != testKey {
			t.Errorf("%s: authorization = %q, want the raw key", req.method, got)
		}
		if strings.Contains(strings.ToLower(req.header.Get("Authorization")), "bearer") {
			t.Errorf("%s: authorization has a Bearer scheme", req.method)
		}
		if got := req.header.Get("User-Agent"); got != "terraform-provider-capgo/test Terraform/1.14.0" {
			t.Errorf("%s: User-Agent = %q", req.method, got)
		}
		if got := req.header.Get("Accept"); got != "application/json" {
			t.Errorf("%s: Accept = %q", req.method, got)
		}
	}
	if got := reqs[0].header.Get("Content-Type"); got != "application/json" {
		t.Errorf("POST Content-Type = %q", got)
	}
}

func TestDefaultUserAgent(t *testing.T) {
	s := newStub(t, answer(http.StatusOK, `[]`))
	c := s.client(func(cfg *Config) { cfg.UserAgent = "" })
	if _, err := c.ListOrganizations(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := s.only().header.Get("User-Agent"); got != DefaultUserAgent {
		t.Errorf("User-Agent = %q, want %q", got, DefaultUserAgent)
	}
}

func TestBaseURLForms(t *testing.T) {
	for suffix, wantPath := range map[string]string{
		"":      "/organization/",
		"/":     "/organization/",
		"/api":  "/api/organization/",
		"/api/": "/api/organization/",
	} {
		t.Run("suffix "+suffix, func(t *testing.T) {
			s := newStub(t, answer(http.StatusOK, `[]`))
			c := newTestClient(t, s.srv.URL+suffix)
			if _, err := c.ListMembers(t.Context(), "a b&c"); err != nil {
				t.Fatal(err)
			}
			req := s.only()
			wantPath := strings.TrimSuffix(wantPath, "/") + "/members/"
			if req.path != wantPath {
				t.Errorf("path = %q, want %q", req.path, wantPath)
			}
			if q := req.query["orgId"]; len(q) != 1 || q[0] != "a b&c" {
				t.Errorf("orgId = %v, want the id intact", q)
			}
		})
	}
}

func TestCallerHTTPClientIsNotModified(t *testing.T) {
	s := newStub(t, answer(http.StatusOK, `[]`))
	transport := &countingTransport{base: http.DefaultTransport}
	hc := &http.Client{Transport: transport, Timeout: 5 * time.Second}
	c := newTestClient(t, s.srv.URL, func(cfg *Config) { cfg.HTTPClient = hc })
	if _, err := c.ListOrganizations(t.Context()); err != nil {
		t.Fatal(err)
	}
	if hc.Transport != transport || hc.Timeout != 5*time.Second {
		t.Error("NewClient modified the caller's http.Client")
	}
	if transport.calls.Load() != 1 {
		t.Errorf("the caller's transport saw %d requests, want 1", transport.calls.Load())
	}
}
