package capgo

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

func TestRequestLogging(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			w.Header().Set("Retry-After", "0")
			reply(w, http.StatusTooManyRequests, `{"error":"Too many requests","status":"KO"}`)
			return
		}
		reply(w, http.StatusOK, `{"data":[]}`)
	})
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(t.Context(), &buf)

	if _, err := s.client().ListMembers(ctx, "org-1"); err != nil {
		t.Fatalf("ListMembers: %v", err)
	}
	if strings.Contains(buf.String(), testKey) {
		t.Fatalf("the API key appears in the log:\n%s", buf.String())
	}
	entries, err := tflogtest.MultilineJSONDecode(&buf)
	if err != nil {
		t.Fatalf("decoding log: %v", err)
	}

	var answers []map[string]any
	for _, e := range entries {
		if e["@module"] != "provider.capgo" {
			continue
		}
		for k := range e {
			if strings.EqualFold(k, "authorization") || strings.Contains(strings.ToLower(k), "header") {
				t.Errorf("log entry has field %q: %v", k, e)
			}
		}
		if e["@message"] == "received answer" {
			answers = append(answers, e)
		}
	}
	if len(answers) != 2 {
		t.Fatalf("got %d \"received answer\" entries in the capgo subsystem, want 2; log: %v", len(answers), entries)
	}
	for i, e := range answers {
		wantStatus := []float64{429, 200}[i]
		if e["method"] != "GET" || e["path"] != "/organization/members/" ||
			e["status"] != wantStatus || e["attempt"] != float64(i+1) {
			t.Errorf("entry %d = %v, want GET /organization/members/ status %v attempt %d", i, e, wantStatus, i+1)
		}
		if _, ok := e["duration_ms"].(float64); !ok {
			t.Errorf("entry %d has no duration_ms: %v", i, e)
		}
	}
}

func TestLoggingOfFailedAttemptsHasNoKey(t *testing.T) {
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(t.Context(), &buf)
	c := newTestClient(t, closedURL(t), func(cfg *Config) { cfg.MaxRetries = ptr(1) })
	if _, err := c.CreateOrganization(ctx, CreateOrganizationRequest{Name: "Acme"}); err == nil {
		t.Fatal("want an error from a closed port")
	}
	out := buf.String()
	if !strings.Contains(out, "request failed without an answer") {
		t.Errorf("failed attempts are not logged:\n%s", out)
	}
	if strings.Contains(out, testKey) {
		t.Errorf("the API key appears in the log:\n%s", out)
	}
}

// leakyTransport fails with an error quoting the authorization header, as a
// careless proxy library might.
type leakyTransport struct{}

func (leakyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return nil, errors.New("proxy refused credentials " + req.Header.Get("Authorization"))
}

func TestKeyMaskedWhenATransportErrorQuotesIt(t *testing.T) {
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(t.Context(), &buf)
	c := newTestClient(t, "https://api.capgo.invalid", func(cfg *Config) {
		cfg.HTTPClient = &http.Client{Transport: leakyTransport{}}
		cfg.MaxRetries = ptr(0)
	})
	_, err := c.ListOrganizations(ctx)
	if err == nil {
		t.Fatal("want an error")
	}
	if strings.Contains(err.Error(), testKey) || !strings.Contains(err.Error(), "proxy refused credentials") {
		t.Errorf("error = %q, want the text without the key", err)
	}
	out := buf.String()
	if !strings.Contains(out, "proxy refused credentials") {
		t.Errorf("the failure is not logged:\n%s", out)
	}
	if strings.Contains(out, testKey) {
		t.Errorf("the API key appears in the log:\n%s", out)
	}
}
