package mockserver

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// controlCall calls the control API without the TestServer helpers, to check
// statuses and bodies the helpers hide.
func controlCall(t *testing.T, ts *TestServer, method, path string, body any) response {
	t.Helper()
	return newClient(t, ts, "").do(method, path, body)
}

func TestControlHealth(t *testing.T) {
	ts := NewTestServer(t, Options{})
	for _, path := range []string{"/_mock/health", "/_mock/health/"} {
		r := controlCall(t, ts, http.MethodGet, path, nil).wantOK(t)
		if got := strings.TrimSpace(string(r.body)); got != `{"status":"ok"}` {
			t.Fatalf("GET %s: body %s", path, got)
		}
	}
}

func TestControlCreateUser(t *testing.T) {
	ts := NewTestServer(t, Options{})
	u := ts.CreateUser("New.User@example.com")
	if u.UID == "" || u.APIKey == "" || u.Email != "New.User@example.com" {
		t.Fatalf("user %+v", u)
	}
	other := ts.CreateUser("other@example.com")
	if other.APIKey == u.APIKey || other.UID == u.UID {
		t.Fatalf("two users share a key or uid: %+v %+v", u, other)
	}

	// The key works at once.
	c := newClient(t, ts, u.APIKey)
	id := c.createOrg("Mine")
	if got := c.members(id)[0]; got.UID != u.UID || got.Email != u.Email {
		t.Fatalf("creator %+v, want %+v", got, u)
	}

	state := ts.State()
	if n := len(state.Users); n != 5 || state.Users[3].UID != u.UID || state.Users[3].Email != u.Email {
		t.Fatalf("state users %+v", state.Users)
	}

	tests := []struct {
		name   string
		body   any
		status int
	}{
		{"same email, other case", map[string]string{"email": "new.user@EXAMPLE.com"}, http.StatusConflict},
		{"seeded email", map[string]string{"email": AdminEmail}, http.StatusConflict},
		{"bad email", map[string]string{"email": "nope"}, http.StatusBadRequest},
		{"no email", map[string]string{}, http.StatusBadRequest},
		{"unknown field", map[string]string{"email": "x@example.com", "api_key": "mine"}, http.StatusBadRequest},
		{"not JSON", rawBody("x"), http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := controlCall(t, ts, http.MethodPost, "/_mock/users", tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d; body %s", r.status, tt.status, r.body)
			}
			var e map[string]string
			r.decode(t, &e)
			if e["error"] == "" {
				t.Fatalf("error body %s has no message", r.body)
			}
		})
	}
	if n := len(ts.State().Users); n != 5 {
		t.Fatalf("%d users after refused creations, want 5", n)
	}
}

func TestControlAcceptInvitation(t *testing.T) {
	ts := NewTestServer(t, Options{})
	admin := newClient(t, ts, AdminAPIKey)
	id := admin.createOrg("Acme")
	admin.setMember(id, DevEmail, "upload")

	tests := []struct {
		name        string
		orgID       string
		email       string
		wantSuccess bool
	}{
		{"unknown organization", "missing", DevEmail, false},
		{"not invited", id, OpsEmail, false},
		{"already accepted", id, AdminEmail, false},
		{"pending invitation", id, DevEmail, true},
		{"twice", id, DevEmail, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ts.AcceptInvitation(tt.orgID, tt.email)
			if tt.wantSuccess && err != nil {
				t.Fatal(err)
			}
			if !tt.wantSuccess && err == nil {
				t.Fatal("accepting succeeded, want an error")
			}
		})
	}
	r := controlCall(t, ts, http.MethodPost, "/_mock/invitations/accept", map[string]string{"orgId": id, "email": OpsEmail})
	if r.status != http.StatusNotFound {
		t.Fatalf("status %d for no such invitation, want 404", r.status)
	}
	if got := admin.memberRoles(id)[DevEmail]; got != "upload" {
		t.Fatalf("role %q after accepting, want upload", got)
	}
	m := ts.State().Organizations[0].Members[1]
	if m.Email != DevEmail || m.Role != "upload" || m.Pending {
		t.Fatalf("state member %+v, want dev accepted as upload", m)
	}
}

func TestControlFaultsValidation(t *testing.T) {
	ts := NewTestServer(t, Options{})
	tests := []struct {
		name string
		body any
		ok   bool
	}{
		{"empty profile", map[string]any{}, true},
		{"full profile", map[string]any{"error_rate": 0.2, "error_statuses": []int{500, 502, 503, 429}, "retry_after_seconds": 1, "latency_ms": 20, "lost_response_rate": 0.05, "seed": 1}, true},
		{"error_rate above 1", map[string]any{"error_rate": 1.5}, false},
		{"negative lost_response_rate", map[string]any{"lost_response_rate": -0.1}, false},
		{"status not an error", map[string]any{"error_rate": 1, "error_statuses": []int{200}}, false},
		{"negative latency", map[string]any{"latency_ms": -1}, false},
		{"negative retry_after_seconds", map[string]any{"retry_after_seconds": -1}, false},
		{"unknown field", map[string]any{"error_rates": 0.5}, false},
		{"not an object", rawBody("[]"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := controlCall(t, ts, http.MethodPut, "/_mock/faults", tt.body)
			if tt.ok && r.status != http.StatusOK {
				t.Fatalf("status %d, want 200; body %s", r.status, r.body)
			}
			if !tt.ok && r.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400; body %s", r.status, r.body)
			}
		})
	}
}

func TestControlStats(t *testing.T) {
	ts := NewTestServer(t, Options{})
	admin := newClient(t, ts, AdminAPIKey)

	if s := ts.Stats(); s.RequestsTotal != 0 || len(s.ByRoute) != 0 || s.FaultsInjected != 0 {
		t.Fatalf("stats at start %+v, want zero", s)
	}
	id := admin.createOrg("Acme")
	admin.members(id)
	admin.do(http.MethodGet, "/organization/members?orgId="+id, nil)
	newClient(t, ts, "").do(http.MethodGet, "/organization", nil) // refused requests count too
	admin.do(http.MethodDelete, "/organization?orgId="+id, nil)
	admin.do(http.MethodGet, "/nope", nil)
	// Control calls are not counted.
	ts.State()
	ts.CreateUser("x@example.com")
	controlCall(t, ts, http.MethodGet, "/_mock/health", nil)

	got := ts.Stats()
	want := map[string]int64{
		"POST /organization/":        1,
		"GET /organization/members/": 2,
		"GET /organization/":         1,
		"DELETE /organization/":      1,
		"GET /nope/":                 1,
	}
	if got.RequestsTotal != 6 || got.FaultsInjected != 0 || len(got.ByRoute) != len(want) {
		t.Fatalf("stats %+v, want 6 requests %v", got, want)
	}
	for k, v := range want {
		if got.ByRoute[k] != v {
			t.Fatalf("by_route %v, want %v", got.ByRoute, want)
		}
	}
}

func TestControlState(t *testing.T) {
	ts := NewTestServer(t, Options{})
	admin := newClient(t, ts, AdminAPIKey)
	id := admin.createOrg("Acme")
	admin.setMember(id, DevEmail, "write")
	org := admin.getOrg(id)

	// Check the JSON names, not only what the typed helper decodes.
	r := controlCall(t, ts, http.MethodGet, "/_mock/state", nil).wantOK(t)
	var raw struct {
		Users         []map[string]any `json:"users"`
		Organizations []map[string]any `json:"organizations"`
	}
	r.decode(t, &raw)
	if len(raw.Users) != 3 || len(raw.Users[0]) != 2 || raw.Users[0]["email"] != AdminEmail || raw.Users[0]["uid"] == "" {
		t.Fatalf("users %v", raw.Users)
	}
	if len(raw.Organizations) != 1 {
		t.Fatalf("organizations %v", raw.Organizations)
	}
	o := raw.Organizations[0]
	for _, k := range []string{"id", "created_by", "created_at", "updated_at", "logo", "name", "management_email", "customer_id", "members"} {
		if _, ok := o[k]; !ok {
			t.Fatalf("organization %v lacks %q", o, k)
		}
	}
	if _, ok := o["website"]; ok {
		t.Fatalf("dialect docs has no website, got %v", o)
	}

	state := ts.State()
	so := state.Organizations[0]
	if so.ID != id || so.Name != "Acme" || so.CreatedAt != org.CreatedAt || so.UpdatedAt != org.UpdatedAt || so.CreatedBy != state.Users[0].UID {
		t.Fatalf("state organization %+v, API organization %+v", so, org)
	}
	wantMembers := []StateMember{
		{UID: state.Users[0].UID, Email: AdminEmail, Role: "super_admin"},
		{UID: state.Users[1].UID, Email: DevEmail, Role: "write", Pending: true},
	}
	if len(so.Members) != len(wantMembers) {
		t.Fatalf("members %+v, want %+v", so.Members, wantMembers)
	}
	for i := range wantMembers {
		if so.Members[i] != wantMembers[i] {
			t.Fatalf("members %+v, want %+v", so.Members, wantMembers)
		}
	}
}

func TestControlReset(t *testing.T) {
	ts := NewTestServer(t, Options{Seed: &Seed{
		Users:         []SeedUser{{Email: AdminEmail, APIKey: AdminAPIKey}, {Email: DevEmail}},
		Organizations: []SeedOrganization{{Name: "Seeded", Owner: AdminEmail, Members: []SeedMember{{Email: DevEmail, Role: "read", Pending: true}}}},
	}})
	admin := newClient(t, ts, AdminAPIKey)
	seeded := ts.State().Organizations[0].ID
	if err := ts.AcceptInvitation(seeded, DevEmail); err != nil {
		t.Fatal(err)
	}
	admin.createOrg("Extra")
	u := ts.CreateUser("temp@example.com")
	ts.SetFaults(Faults{LatencyMS: 1})

	ts.Reset()

	state := ts.State()
	if len(state.Users) != 2 || len(state.Organizations) != 1 || state.Organizations[0].Name != "Seeded" {
		t.Fatalf("state after reset %+v", state)
	}
	if m := state.Organizations[0].Members; len(m) != 2 || !m[1].Pending {
		t.Fatalf("members after reset %+v, want the seeded pending invitation back", m)
	}
	if s := ts.Stats(); s.RequestsTotal != 0 || len(s.ByRoute) != 0 {
		t.Fatalf("stats after reset %+v", s)
	}
	newClient(t, ts, u.APIKey).do(http.MethodGet, "/organization", nil).wantError(t, 401, "Invalid API key")
	admin.do(http.MethodGet, "/organization", nil).wantOK(t)
	if s := ts.Stats(); s.RequestsTotal != 2 {
		t.Fatalf("stats %+v, want 2 requests", s)
	}
}

func TestControlResetTurnsFaultsOff(t *testing.T) {
	ts := NewTestServer(t, Options{})
	ts.SetFaults(Faults{ErrorRate: 1})
	admin := newClient(t, ts, AdminAPIKey)
	admin.do(http.MethodGet, "/organization", nil).wantError(t, 500, "Internal server error")
	ts.Reset()
	admin.do(http.MethodGet, "/organization", nil).wantOK(t)
	if s := ts.Stats(); s.FaultsInjected != 0 || s.RequestsTotal != 1 {
		t.Fatalf("stats %+v, want 1 request and no fault", s)
	}
}

func TestControlRoutes(t *testing.T) {
	ts := NewTestServer(t, Options{})
	tests := []struct {
		method, path string
		status       int
	}{
		{http.MethodGet, "/_mock/nope", http.StatusNotFound},
		{http.MethodGet, "/_mock", http.StatusNotFound},
		{http.MethodPost, "/_mock/health", http.StatusMethodNotAllowed},
		{http.MethodGet, "/_mock/reset", http.StatusMethodNotAllowed},
		{http.MethodGet, "/_mock/faults", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := controlCall(t, ts, tt.method, tt.path, nil)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d", r.status, tt.status)
			}
			var e map[string]string
			if err := json.Unmarshal(r.body, &e); err != nil || e["error"] == "" {
				t.Fatalf("body %s is not a control error", r.body)
			}
		})
	}
	// The control API needs no key and ignores a wrong one.
	r := newClient(t, ts, "wrong").do(http.MethodGet, "/_mock/state", nil)
	if r.status != http.StatusOK {
		t.Fatalf("state with a wrong key: status %d", r.status)
	}
	if s := ts.Stats(); s.RequestsTotal != 0 {
		t.Fatalf("control calls were counted: %+v", s)
	}
}
