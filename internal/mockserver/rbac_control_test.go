package mockserver

import (
	"net/http"
	"strings"
	"testing"
)

// rbacSeed is a seed in the rbac vocabulary: an organization of the admin
// account with dev a pending org_admin and ops an accepted org_billing_admin.
func rbacSeed() *Seed {
	seed := DefaultSeed()
	seed.Organizations = []SeedOrganization{{Name: "Seeded", Owner: AdminEmail, Members: []SeedMember{
		{Email: DevEmail, Role: "org_admin", Pending: true},
		{Email: OpsEmail, Role: "org_billing_admin"},
	}}}
	return seed
}

func TestRBACSeed(t *testing.T) {
	ts := NewTestServer(t, Options{Dialect: DialectRBAC, Seed: rbacSeed()})
	state := ts.State()
	if len(state.Organizations) != 1 {
		t.Fatalf("organizations %+v", state.Organizations)
	}
	org := state.Organizations[0]
	// The owner is org_super_admin, and the organization looks like one
	// created over the API.
	want := []StateMember{
		{UID: state.Users[0].UID, Email: AdminEmail, Role: "org_super_admin"},
		{UID: state.Users[1].UID, Email: DevEmail, Role: "org_admin", Pending: true},
		{UID: state.Users[2].UID, Email: OpsEmail, Role: "org_billing_admin"},
	}
	if len(org.Members) != len(want) || org.Members[0] != want[0] || org.Members[1] != want[1] || org.Members[2] != want[2] {
		t.Fatalf("members %+v, want %+v", org.Members, want)
	}
	if org.CustomerID == nil || *org.CustomerID != "pending_"+org.ID || org.Website != nil {
		t.Fatalf("organization %+v", org)
	}
	wantListed(t, newClient(t, ts, AdminAPIKey).listed(org.ID),
		rbacListed{AdminEmail, "org_super_admin", false},
		rbacListed{DevEmail, "org_admin", true},
		rbacListed{OpsEmail, "org_billing_admin", false})
}

func TestRBACSeedTakesRBACRolesOnly(t *testing.T) {
	for _, role := range []string{"write", "admin", "super_admin", "invite_write", "invite_org_member", "ORG_ADMIN"} {
		t.Run(role, func(t *testing.T) {
			seed := rbacSeed()
			seed.Organizations[0].Members[0].Role = role
			_, err := New(Options{Dialect: DialectRBAC, Seed: seed})
			if err == nil || !strings.Contains(err.Error(), "unknown role") {
				t.Fatalf("error %v, want an unknown role", err)
			}
		})
	}
	// A seed in the words of docs.
	seed, err := LoadSeedFile(writeSeed(t, docsSeedFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{Dialect: DialectRBAC, Seed: seed}); err == nil || !strings.Contains(err.Error(), `unknown role "write"`) {
		t.Fatalf("error %v, want write refused", err)
	}
}

func TestRBACControlState(t *testing.T) {
	ts := NewTestServer(t, Options{Dialect: DialectRBAC, Seed: rbacSeed()})
	id := ts.State().Organizations[0].ID
	raw := func() map[string]any {
		t.Helper()
		var out struct {
			Organizations []map[string]any `json:"organizations"`
		}
		controlCall(t, ts, http.MethodGet, "/_mock/state", nil).wantOK(t).decode(t, &out)
		if len(out.Organizations) != 1 {
			t.Fatalf("organizations %v", out.Organizations)
		}
		return out.Organizations[0]
	}
	// website and the security settings are there, website null until set.
	o := raw()
	wantKeys(t, o, append([]string{"members"}, rbacStateKeys...))
	if o["website"] != nil {
		t.Fatalf("website %v, want null", o["website"])
	}
	newClient(t, ts, AdminAPIKey).do(http.MethodPut, "/organization/", map[string]string{"orgId": id, "website": "https://acme.example"}).wantOK(t)
	if got := raw()["website"]; got != "https://acme.example/" {
		t.Fatalf("website %v after PUT", got)
	}
	if got := ts.State().Organizations[0].Website; got == nil || *got != "https://acme.example/" {
		t.Fatalf("typed state website %v", got)
	}
}

func TestRBACControlAcceptInvitation(t *testing.T) {
	ts := NewTestServer(t, Options{Dialect: DialectRBAC, Seed: rbacSeed()})
	id := ts.State().Organizations[0].ID
	dev := newClient(t, ts, DevAPIKey)
	dev.do(http.MethodGet, "/organization/members/?orgId="+id, nil).wantCode(t, 400, "cannot_access_organization", map[string]any{"orgId": id})

	// The control API matches emails without regard to case in rbac too.
	if err := ts.AcceptInvitation(id, "DEV@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := ts.AcceptInvitation(id, DevEmail); err == nil {
		t.Fatal("accepting twice succeeded")
	}
	if err := ts.AcceptInvitation(id, OpsEmail); err == nil {
		t.Fatal("accepting an accepted membership succeeded")
	}
	// Accepted, dev has the rights of org_admin.
	wantListed(t, dev.listed(id),
		rbacListed{AdminEmail, "org_super_admin", false},
		rbacListed{DevEmail, "org_admin", false},
		rbacListed{OpsEmail, "org_billing_admin", false})
	dev.do(http.MethodPut, "/organization/", map[string]string{"orgId": id, "name": "Renamed"}).wantOK(t)
	if m := ts.State().Organizations[0].Members[1]; m.Pending || m.Role != "org_admin" {
		t.Fatalf("state member %+v", m)
	}
}

func TestRBACControlStatsAndReset(t *testing.T) {
	ts := NewTestServer(t, Options{Dialect: DialectRBAC, Seed: rbacSeed()})
	id := ts.State().Organizations[0].ID
	admin := newClient(t, ts, AdminAPIKey)
	admin.createOrg("Extra")
	admin.do(http.MethodDelete, "/organization/members/", map[string]string{"orgId": id, "email": AdminEmail}).wantOK(t)
	admin.do(http.MethodGet, "/nope", nil)
	ts.SetFaults(Faults{ErrorRate: 1})
	admin.do(http.MethodGet, "/organization/", nil).wantCode(t, 500, "unknown_error", map[string]any{})

	s := ts.Stats()
	want := map[string]int64{"POST /organization/": 1, "DELETE /organization/members/": 1, "GET /nope/": 1, "GET /organization/": 1}
	if s.RequestsTotal != 4 || s.FaultsInjected != 1 || len(s.ByRoute) != len(want) {
		t.Fatalf("stats %+v, want %v", s, want)
	}
	for k, v := range want {
		if s.ByRoute[k] != v {
			t.Fatalf("stats %+v, want %v", s, want)
		}
	}

	// Reset brings back the seeded organization the removal deleted, with its
	// rbac roles, and turns faults off.
	ts.Reset()
	state := ts.State()
	if len(state.Organizations) != 1 || state.Organizations[0].Name != "Seeded" || state.Organizations[0].Members[0].Role != "org_super_admin" {
		t.Fatalf("state after reset %+v", state)
	}
	admin.do(http.MethodGet, "/organization/", nil).wantOK(t)
	if s := ts.Stats(); s.RequestsTotal != 1 || s.FaultsInjected != 0 {
		t.Fatalf("stats after reset %+v", s)
	}
}
