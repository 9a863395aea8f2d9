package mockserver

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// newControlClient returns a ControlClient of a fresh TestServer.
func newControlClient(t *testing.T, opts Options) (*TestServer, *ControlClient) {
	t.Helper()
	ts := NewTestServer(t, opts)
	return ts, NewControlClient(ts.URL+"/", ts.client)
}

func TestControlClientDecodesAnswers(t *testing.T) {
	ctx := context.Background()
	ts, c := newControlClient(t, Options{Dialect: DialectRBAC})
	if err := c.Health(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := c.CreateUser(ctx, "new@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if u.UID == "" || u.APIKey == "" || u.Email != "new@example.com" {
		t.Fatalf("user %+v", u)
	}

	admin := newClient(t, ts, AdminAPIKey)
	id := admin.createOrg("Acme")
	admin.do(http.MethodPut, "/organization/", map[string]string{"orgId": id, "website": "https://acme.example"}).wantOK(t)
	admin.invite(id, u.Email, "org_member")
	if err := c.AcceptInvitation(ctx, id, u.Email); err != nil {
		t.Fatal(err)
	}

	state, err := c.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(state.Users) != 4 || state.Users[3].UID != u.UID || state.Users[3].APIKey != "" {
		t.Fatalf("state users %+v: want the new account last, without its key", state.Users)
	}
	made := madeOrganizations(state)
	if len(made) != 1 || len(state.Organizations) != 5 {
		t.Fatalf("state organizations %+v: want the four accounts' own and Acme", state.Organizations)
	}
	org := made[0]
	if org.ID != id || org.Name != "Acme" || org.Website == nil || *org.Website != "https://acme.example/" ||
		len(org.Members) != 2 || org.Members[1] != (StateMember{UID: u.UID, Email: u.Email, Role: "org_member"}) {
		t.Fatalf("state organization %+v", org)
	}

	stats, err := c.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats.RequestsTotal != 3 || stats.ByRoute["PUT /organization/"] != 1 {
		t.Fatalf("stats %+v, want the 3 public requests", stats)
	}
	if err := c.SetLimits(ctx, Limits{RequestsPerWindow: 7, WindowSeconds: 9}); err != nil {
		t.Fatal(err)
	}
	if l, err := c.Limits(ctx); err != nil || l != (Limits{RequestsPerWindow: 7, WindowSeconds: 9}) {
		t.Fatalf("limits %+v, %v: SetLimits sets all four", l, err)
	}
	if err := c.SetFaults(ctx, Faults{ErrorRate: 1}); err != nil {
		t.Fatal(err)
	}
	admin.do(http.MethodGet, "/organization/", nil).wantCode(t, 500, "unknown_error", map[string]any{})
	if err := c.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if l, err := c.Limits(ctx); err != nil || l != DefaultLimits(DialectRBAC) {
		t.Fatalf("limits after reset %+v, %v", l, err)
	}
	if state, err := c.State(ctx); err != nil || len(madeOrganizations(state)) != 0 || len(state.Organizations) != 3 || len(state.Users) != 3 {
		t.Fatalf("state after reset %+v, %v", state, err)
	}
	admin.do(http.MethodGet, "/organization/", nil).wantOK(t)
}

// The state as sent is what a person is shown: in docs it has no website,
// which decoding into State and encoding it again would add.
func TestControlClientStateJSONIsAsSent(t *testing.T) {
	ts, c := newControlClient(t, Options{})
	newClient(t, ts, AdminAPIKey).createOrg("Acme")
	raw, err := c.StateJSON(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sent := controlCall(t, ts, http.MethodGet, "/_mock/state", nil).wantOK(t).body
	if strings.TrimSpace(string(raw)) != strings.TrimSpace(string(sent)) {
		t.Fatalf("StateJSON %s, the mock sent %s", raw, sent)
	}
	if strings.Contains(string(raw), "website") {
		t.Fatalf("docs state %s has a website", raw)
	}
}

func TestControlClientErrorCarriesStatusAndBody(t *testing.T) {
	ctx := context.Background()
	_, c := newControlClient(t, Options{})
	tests := []struct {
		name   string
		call   func() error
		status int
		body   string
	}{
		{"no such invitation", func() error { return c.AcceptInvitation(ctx, "missing", DevEmail) },
			http.StatusNotFound, `{"error":"Invitation not found"}`},
		{"email taken", func() error { _, err := c.CreateUser(ctx, AdminEmail); return err },
			http.StatusConflict, `{"error":"User already exists"}`},
		{"invalid fault profile", func() error { return c.SetFaults(ctx, Faults{LatencyMS: -1}) },
			http.StatusBadRequest, `{"error":"latency_ms must not be negative, got -1"}`},
		{"invalid limits", func() error { return c.SetLimits(ctx, Limits{WindowSeconds: -1}) },
			http.StatusBadRequest, `{"error":"window_seconds must not be negative, got -1"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ce *ControlError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v, want a *ControlError", err)
			}
			if ce.StatusCode != tt.status || ce.Body != tt.body {
				t.Fatalf("status %d body %s, want %d %s", ce.StatusCode, ce.Body, tt.status, tt.body)
			}
			if msg := err.Error(); !strings.Contains(msg, http.StatusText(tt.status)) || !strings.Contains(msg, tt.body) {
				t.Fatalf("message %q lacks the status or the body", msg)
			}
		})
	}
}

func TestControlClientFailures(t *testing.T) {
	notJSON := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("<html>a proxy page</html>"))
	}))
	defer notJSON.Close()
	if _, err := NewControlClient(notJSON.URL, nil).Stats(context.Background()); err == nil ||
		!strings.Contains(err.Error(), "decoding the answer") {
		t.Fatalf("error %v, want a decoding error", err)
	}

	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	err := NewControlClient(gone.URL, nil).Health(context.Background())
	var ce *ControlError
	if err == nil || errors.As(err, &ce) {
		t.Fatalf("error %v, want a transport error", err)
	}

	_, c := newControlClient(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Reset(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want the context's", err)
	}
}

// The client sends the bodies the control API takes: the server refuses
// unknown fields, so a misnamed one would fail here.
func TestControlClientRequestBodies(t *testing.T) {
	var bodies []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Errorf("%s %s: %v", r.Method, r.URL.Path, err)
		}
		if got := r.Header.Get("Content-Type"); got != "application/json" {
			t.Errorf("%s %s: Content-Type %q", r.Method, r.URL.Path, got)
		}
		bodies = append(bodies, body)
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	c := NewControlClient(srv.URL, srv.Client())
	ctx := context.Background()
	if _, err := c.CreateUser(ctx, "a@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := c.AcceptInvitation(ctx, "org", "a@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := c.SetFaults(ctx, Faults{}); err != nil {
		t.Fatal(err)
	}
	if err := c.SetLimits(ctx, Limits{FailedAuths: 3}); err != nil {
		t.Fatal(err)
	}
	want := []string{`{"email":"a@example.com"}`, `{"email":"a@example.com","orgId":"org"}`, `{}`,
		`{"failed_auths":3,"lockout_seconds":0,"requests_per_window":0,"window_seconds":0}`}
	for i, body := range bodies {
		got, _ := json.Marshal(body)
		if string(got) != want[i] {
			t.Fatalf("body %d is %s, want %s", i, got, want[i])
		}
	}
}
