package capgo

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// testKey looks like a real key so that a leak is easy to spot in output.
const testKey = "cgk_live_7f3a9c2e5b1d4f60a8e2"

// seen is one request as the stub server received it.
type seen struct {
	at     time.Time
	method string
	path   string
	query  map[string][]string
	header http.Header
	body   []byte
}

// stub is an httptest server answering with a scripted handler and
// recording every request. n is the 1-based number of the request.
type stub struct {
	t    *testing.T
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []seen
}

func newStub(t *testing.T, handler func(w http.ResponseWriter, r *http.Request, n int)) *stub {
	t.Helper()
	s := &stub{t: t}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("reading request body: %v", err)
		}
		s.mu.Lock()
		s.reqs = append(s.reqs, seen{
			at:     time.Now(),
			method: r.Method,
			path:   r.URL.Path,
			query:  r.URL.Query(),
			header: r.Header.Clone(),
			body:   body,
		})
		n := len(s.reqs)
		s.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body)) // for handlers that read it too
		handler(w, r, n)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// answer replies with a fixed status and body to every request.
func answer(status int, body string) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, status, body) }
}

func reply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func (s *stub) requests() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seen(nil), s.reqs...)
}

func (s *stub) count() int { return len(s.requests()) }

// only returns the single request the stub received.
func (s *stub) only() seen {
	s.t.Helper()
	reqs := s.requests()
	if len(reqs) != 1 {
		s.t.Fatalf("server got %d requests, want 1", len(reqs))
	}
	return reqs[0]
}

// client returns a Client for the stub with waits short enough for tests.
func (s *stub) client(opts ...func(*Config)) *Client {
	s.t.Helper()
	return newTestClient(s.t, s.srv.URL, opts...)
}

func newTestClient(t *testing.T, baseURL string, opts ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		BaseURL:      baseURL,
		APIKey:       testKey,
		UserAgent:    "terraform-provider-capgo/test Terraform/1.14.0",
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 20 * time.Millisecond,
		// Unpaced, but in the tests of pacing.
		RequestsPerMinute: ptr(0),
	}
	for _, opt := range opts {
		opt(&cfg)
	}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

func noRetries(cfg *Config) { cfg.MaxRetries = ptr(0) }

// bodyFields decodes a JSON request body into raw fields, so tests can tell
// a field that is absent from one that is empty.
func bodyFields(t *testing.T, body []byte) map[string]json.RawMessage {
	t.Helper()
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		t.Fatalf("request body %q is not a JSON object: %v", body, err)
	}
	return fields
}

// field returns a string field of a JSON body, failing when absent.
func field(t *testing.T, fields map[string]json.RawMessage, name string) string {
	t.Helper()
	raw, ok := fields[name]
	if !ok {
		t.Fatalf("field %q missing from request body", name)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("field %q = %s, not a string", name, raw)
	}
	return s
}

func ptr[T any](v T) *T { return &v }
