package capgo

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
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
	// transport, when set, answers in process instead of srv (newStubInProcess).
	transport http.RoundTripper
	handler   func(w http.ResponseWriter, r *http.Request, n int)
}

func newStub(t *testing.T, handler func(w http.ResponseWriter, r *http.Request, n int)) *stub {
	t.Helper()
	s := &stub{t: t, handler: handler}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

// newStubInProcess is newStub without the network: its clients call the
// handler on their own goroutine. Run in a synctest bubble, a test then waits
// on the bubble's fake clock, and tells how long the client waited exactly
// rather than against a budget a busy machine could miss. (A bubble cannot
// wait on a network.)
func newStubInProcess(t *testing.T, handler func(w http.ResponseWriter, r *http.Request, n int)) *stub {
	t.Helper()
	s := &stub{t: t, handler: handler}
	s.transport = inProcess{http.HandlerFunc(s.serve)}
	return s
}

// serve records a request and hands it to the stub's handler.
func (s *stub) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.t.Errorf("reading request body: %v", err)
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
	s.handler(w, r, n)
}

// inProcess is a transport that has a handler answer each request on the
// caller's goroutine. It behaves as a connection would where the client can
// tell: the request counts as sent (a client trace's GotConn), and one whose
// context ends before the answer fails with the context's error.
type inProcess struct{ handler http.Handler }

func (p inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	if trace := httptrace.ContextClientTrace(req.Context()); trace != nil && trace.GotConn != nil {
		trace.GotConn(httptrace.GotConnInfo{})
	}
	served := req.Clone(req.Context())
	if served.Body == nil {
		served.Body = http.NoBody
	}
	served.RemoteAddr = "192.0.2.1:1234"
	rec := httptest.NewRecorder()
	p.handler.ServeHTTP(rec, served)
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	return rec.Result(), nil
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
	if s.transport != nil {
		inProcess := func(cfg *Config) { cfg.HTTPClient = &http.Client{Transport: s.transport} }
		return newTestClient(s.t, "https://capgo.invalid", append([]func(*Config){inProcess}, opts...)...)
	}
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
