package mockserver

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestServer is a Server running on a local httptest.Server for the length
// of a test. Its helpers go through the control API over HTTP, with the same
// ControlClient the scripts use, and fail the test where that returns an
// error.
type TestServer struct {
	// URL is the base URL of the API, e.g. "http://127.0.0.1:41234".
	URL string
	// Server is the handler behind URL.
	Server *Server

	t       testing.TB
	client  *http.Client
	control *ControlClient
}

// NewTestServer starts a mock server that is closed when the test ends,
// its webhook deliveries stopped first. It fails the test if opts are
// invalid.
func NewTestServer(t testing.TB, opts Options) *TestServer {
	t.Helper()
	srv, err := New(opts)
	if err != nil {
		t.Fatalf("mockserver: %v", err)
	}
	hs := httptest.NewServer(srv)
	// Cleanups run last first: deliveries under way are cut off before the
	// HTTP server waits for the requests in flight.
	t.Cleanup(hs.Close)
	t.Cleanup(srv.Close)
	client := hs.Client()
	return &TestServer{URL: hs.URL, Server: srv, t: t, client: client, control: NewControlClient(hs.URL, client)}
}

// controlContext is the context of every control call. Not the test's: the
// helpers may run in t.Cleanup, after it is cancelled.
func controlContext() context.Context {
	return context.Background()
}

// CreateUser creates an account with a fresh API key.
func (ts *TestServer) CreateUser(email string) User {
	ts.t.Helper()
	u, err := ts.control.CreateUser(controlContext(), email)
	if err != nil {
		ts.t.Fatalf("mockserver: creating user %s: %v", email, err)
	}
	return u
}

// AcceptInvitation makes email accept its pending invitation to orgID. It
// returns an error when there is no such invitation, so that tests can
// expect one.
func (ts *TestServer) AcceptInvitation(orgID, email string) error {
	return ts.control.AcceptInvitation(controlContext(), orgID, email)
}

// SetFaults installs a fault profile.
func (ts *TestServer) SetFaults(f Faults) {
	ts.t.Helper()
	if err := ts.control.SetFaults(controlContext(), f); err != nil {
		ts.t.Fatalf("mockserver: setting faults: %v", err)
	}
}

// ClearFaults turns every fault off.
func (ts *TestServer) ClearFaults() {
	ts.t.Helper()
	ts.SetFaults(Faults{})
}

// Limits returns the rate limits in force.
func (ts *TestServer) Limits() Limits {
	ts.t.Helper()
	l, err := ts.control.Limits(controlContext())
	if err != nil {
		ts.t.Fatalf("mockserver: reading limits: %v", err)
	}
	return l
}

// SetLimits sets the rate limits; Limits{} turns them off.
func (ts *TestServer) SetLimits(l Limits) {
	ts.t.Helper()
	if err := ts.control.SetLimits(controlContext(), l); err != nil {
		ts.t.Fatalf("mockserver: setting limits: %v", err)
	}
}

// WebhookSettings returns how the server delivers webhooks.
func (ts *TestServer) WebhookSettings() WebhookSettings {
	ts.t.Helper()
	s, err := ts.control.WebhookSettings(controlContext())
	if err != nil {
		ts.t.Fatalf("mockserver: reading webhook settings: %v", err)
	}
	return s
}

// SetWebhookTarget sends every delivery to target, such as an
// httptest.Server's URL; "" sends them to the webhooks' own URLs again.
func (ts *TestServer) SetWebhookTarget(target string) {
	ts.t.Helper()
	if err := ts.control.SetWebhookTarget(controlContext(), target); err != nil {
		ts.t.Fatalf("mockserver: setting the webhook target: %v", err)
	}
}

// SetWebhookRetryScale multiplies every retry delay by scale.
func (ts *TestServer) SetWebhookRetryScale(scale float64) {
	ts.t.Helper()
	if err := ts.control.SetWebhookRetryScale(controlContext(), scale); err != nil {
		ts.t.Fatalf("mockserver: setting the webhook retry scale: %v", err)
	}
}

// Stats returns the request counters.
func (ts *TestServer) Stats() Stats {
	ts.t.Helper()
	s, err := ts.control.Stats(controlContext())
	if err != nil {
		ts.t.Fatalf("mockserver: reading stats: %v", err)
	}
	return s
}

// State returns the whole state of the server.
func (ts *TestServer) State() State {
	ts.t.Helper()
	s, err := ts.control.State(controlContext())
	if err != nil {
		ts.t.Fatalf("mockserver: reading state: %v", err)
	}
	return s
}

// Reset returns the server to its seed, without webhooks or deliveries,
// zeroes the counters, turns faults off and restores the dialect's rate
// limits and the webhook settings of its Options.
func (ts *TestServer) Reset() {
	ts.t.Helper()
	if err := ts.control.Reset(controlContext()); err != nil {
		ts.t.Fatalf("mockserver: reset: %v", err)
	}
}
