package mockserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestServer is a Server running on a local httptest.Server for the length
// of a test. Its helpers go through the control API over HTTP, so tests use
// the same interface as the standalone command.
type TestServer struct {
	// URL is the base URL of the API, e.g. "http://127.0.0.1:41234".
	URL string
	// Server is the handler behind URL.
	Server *Server

	t      testing.TB
	client *http.Client
}

// NewTestServer starts a mock server that is closed when the test ends. It
// fails the test if opts are invalid.
func NewTestServer(t testing.TB, opts Options) *TestServer {
	t.Helper()
	srv, err := New(opts)
	if err != nil {
		t.Fatalf("mockserver: %v", err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &TestServer{URL: hs.URL, Server: srv, t: t, client: hs.Client()}
}

// CreateUser creates an account with a fresh API key.
func (ts *TestServer) CreateUser(email string) User {
	ts.t.Helper()
	var u User
	if status, msg := ts.control(http.MethodPost, "/_mock/users", map[string]string{"email": email}, &u); status != http.StatusOK {
		ts.t.Fatalf("mockserver: creating user %s: %d %s", email, status, msg)
	}
	return u
}

// AcceptInvitation makes email accept its pending invitation to orgID. It
// returns an error when there is no such invitation.
func (ts *TestServer) AcceptInvitation(orgID, email string) error {
	ts.t.Helper()
	status, msg := ts.control(http.MethodPost, "/_mock/invitations/accept", map[string]string{"orgId": orgID, "email": email}, nil)
	if status != http.StatusOK {
		return fmt.Errorf("accepting invitation of %s to %s: %d %s", email, orgID, status, msg)
	}
	return nil
}

// SetFaults installs a fault profile.
func (ts *TestServer) SetFaults(f Faults) {
	ts.t.Helper()
	if status, msg := ts.control(http.MethodPut, "/_mock/faults", f, nil); status != http.StatusOK {
		ts.t.Fatalf("mockserver: setting faults: %d %s", status, msg)
	}
}

// ClearFaults turns every fault off.
func (ts *TestServer) ClearFaults() {
	ts.t.Helper()
	ts.SetFaults(Faults{})
}

// Stats returns the request counters.
func (ts *TestServer) Stats() Stats {
	ts.t.Helper()
	var s Stats
	if status, msg := ts.control(http.MethodGet, "/_mock/stats", nil, &s); status != http.StatusOK {
		ts.t.Fatalf("mockserver: reading stats: %d %s", status, msg)
	}
	return s
}

// State returns the whole state of the server.
func (ts *TestServer) State() State {
	ts.t.Helper()
	var s State
	if status, msg := ts.control(http.MethodGet, "/_mock/state", nil, &s); status != http.StatusOK {
		ts.t.Fatalf("mockserver: reading state: %d %s", status, msg)
	}
	return s
}

// Reset returns the server to its seed, zeroes the counters and turns faults
// off.
func (ts *TestServer) Reset() {
	ts.t.Helper()
	if status, msg := ts.control(http.MethodPost, "/_mock/reset", nil, nil); status != http.StatusOK {
		ts.t.Fatalf("mockserver: reset: %d %s", status, msg)
	}
}

// control calls the control API and decodes a 200 answer into out (when not
// nil). It returns the status and, for other statuses, the body. Transport
// and decoding failures fail the test.
func (ts *TestServer) control(method, path string, in, out any) (int, string) {
	ts.t.Helper()
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			ts.t.Fatalf("mockserver: encoding %s %s: %v", method, path, err)
		}
		body = bytes.NewReader(data)
	}
	// Not the test's context: helpers may run in t.Cleanup, after it ends.
	req, err := http.NewRequestWithContext(context.Background(), method, ts.URL+path, body)
	if err != nil {
		ts.t.Fatalf("mockserver: %s %s: %v", method, path, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := ts.client.Do(req)
	if err != nil {
		ts.t.Fatalf("mockserver: %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		ts.t.Fatalf("mockserver: reading answer of %s %s: %v", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, string(bytes.TrimSpace(data))
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			ts.t.Fatalf("mockserver: decoding answer of %s %s: %v", method, path, err)
		}
	}
	return resp.StatusCode, ""
}
