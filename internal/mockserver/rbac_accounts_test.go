package mockserver

import (
	"net/http"
	"strings"
	"testing"
)

// TestRBACAccountsStartWithAnOrganizationOfTheirOwn: in rbac each default
// account, and each account POST /_mock/users makes, starts with an
// organization named after it, which it owns alone, as Capgo's sign-up
// gives; in docs, none does.
func TestRBACAccountsStartWithAnOrganizationOfTheirOwn(t *testing.T) {
	ts := rbacServer(t)
	newcomer := ts.CreateUser("newcomer@example.com")
	state := ts.State()
	if len(state.Organizations) != 4 {
		t.Fatalf("organizations %+v, want one per account", state.Organizations)
	}
	for i, u := range state.Users {
		o := state.Organizations[i]
		if o.Name != u.Email || o.CreatedBy != u.UID || len(o.Members) != 1 ||
			o.Members[0] != (StateMember{UID: u.UID, Email: u.Email, Role: "org_super_admin"}) ||
			o.CustomerID == nil || *o.CustomerID != "pending_"+o.ID {
			t.Fatalf("organization %+v, want %s's own", o, u.Email)
		}
	}
	for _, key := range []string{AdminAPIKey, DevAPIKey, OpsAPIKey, newcomer.APIKey} {
		var listed []rbacOrganization
		newClient(t, ts, key).do(http.MethodGet, orgsPath, nil).wantOK(t).decode(t, &listed)
		if len(listed) != 1 {
			t.Fatalf("key %s lists %+v, want its own organization only", key, listed)
		}
	}
	// A reset brings the default accounts' back, and forgets the newcomer's.
	ts.Reset()
	if n := len(ts.State().Organizations); n != 3 {
		t.Fatalf("%d organizations after reset, want 3", n)
	}

	docs := NewTestServer(t, Options{})
	docs.CreateUser("newcomer@example.com")
	if orgs := docs.State().Organizations; len(orgs) != 0 {
		t.Fatalf("docs organizations %+v, want none", orgs)
	}
}

// TestRBACSeededAccountsHaveTheSeedsOrganizationsOnly: a seed file decides
// every organization; its accounts get none of their own.
func TestRBACSeededAccountsHaveTheSeedsOrganizationsOnly(t *testing.T) {
	ts := NewTestServer(t, Options{Dialect: DialectRBAC, Seed: &Seed{Users: []SeedUser{{Email: AdminEmail, APIKey: AdminAPIKey}}}})
	if orgs := ts.State().Organizations; len(orgs) != 0 {
		t.Fatalf("organizations %+v, want none", orgs)
	}
	newClient(t, ts, AdminAPIKey).do(http.MethodGet, orgsPath, nil).wantBody(t, `[]`)
}

// TestRBACOrganizationCreationNeedsGrantAndAdminRole: a key creates an
// organization only with the creation grant, held by an accepted org_admin
// or org_super_admin of some organization.
func TestRBACOrganizationCreationNeedsGrantAndAdminRole(t *testing.T) {
	no := false
	seed := &Seed{
		Users: []SeedUser{
			{Email: AdminEmail, APIKey: AdminAPIKey},
			{Email: "nogrant@example.com", APIKey: "k-nogrant", OrgCreate: &no},
			{Email: "member@example.com", APIKey: "k-member"},
			{Email: "billing@example.com", APIKey: "k-billing"},
			{Email: "pending@example.com", APIKey: "k-pending"},
			{Email: "admin2@example.com", APIKey: "k-admin"},
			{Email: "loner@example.com", APIKey: "k-loner"},
		},
		Organizations: []SeedOrganization{
			{Name: "Acme", Owner: AdminEmail, Members: []SeedMember{
				{Email: "member@example.com", Role: "org_member"},
				{Email: "billing@example.com", Role: "org_billing_admin"},
				{Email: "pending@example.com", Role: "org_admin", Pending: true},
				{Email: "admin2@example.com", Role: "org_admin"},
			}},
			{Name: "No grant", Owner: "nogrant@example.com"},
		},
	}
	ts := NewTestServer(t, Options{Dialect: DialectRBAC, Seed: seed})
	denied := func(key string) {
		t.Helper()
		runNoEffect(t, ts, key, func(t *testing.T) {
			newClient(t, ts, key).do(http.MethodPost, orgsPath, map[string]string{"name": "Mine"}).
				wantCode(t, 403, "permission_denied", map[string]any{})
		})
	}
	for _, key := range []string{"k-nogrant", "k-member", "k-billing", "k-pending", "k-loner"} {
		denied(key)
	}
	newClient(t, ts, AdminAPIKey).createOrg("By the owner")
	newClient(t, ts, "k-admin").createOrg("By an org_admin")

	// Accepting the invitation as org_admin brings the right.
	if err := ts.AcceptInvitation(ts.State().Organizations[0].ID, "pending@example.com"); err != nil {
		t.Fatal(err)
	}
	newClient(t, ts, "k-pending").createOrg("Now an admin")

	// The parameters are checked before the right.
	newClient(t, ts, "k-loner").do(http.MethodPost, orgsPath, map[string]string{"name": "ab"}).wantCode(t, 400, "invalid_body", map[string]any{})
}

// TestRBACOrganizationCreateChecksEstimatedMAUAndIntent: estimatedMau is a
// whole JSON number from 0 to 1,000,000, intent one of five words.
func TestRBACOrganizationCreateChecksEstimatedMAUAndIntent(t *testing.T) {
	ts := rbacServer(t)
	admin := newClient(t, ts, AdminAPIKey)
	for name, body := range map[string]any{
		"estimatedMau negative":      map[string]any{"name": "Acme", "estimatedMau": -1},
		"estimatedMau too large":     map[string]any{"name": "Acme", "estimatedMau": 1000001},
		"estimatedMau fractional":    map[string]any{"name": "Acme", "estimatedMau": 1.5},
		"estimatedMau a string":      map[string]any{"name": "Acme", "estimatedMau": "5"},
		"estimatedMau null":          map[string]any{"name": "Acme", "estimatedMau": nil},
		"intent unknown":             map[string]any{"name": "Acme", "intent": "other"},
		"intent in capitals":         map[string]any{"name": "Acme", "intent": "OTA"},
		"intent not a string":        map[string]any{"name": "Acme", "intent": 1},
		"estimatedMau in the query":  rawBody(""),
		"intent and a bad MAU mixed": map[string]any{"name": "Acme", "intent": "both", "estimatedMau": 2e6},
	} {
		path := orgsPath
		if name == "estimatedMau in the query" {
			path += "?name=Acme&estimatedMau=5"
		}
		runNoEffect(t, ts, name, func(t *testing.T) {
			admin.do(http.MethodPost, path, body).wantCode(t, 400, "invalid_body", map[string]any{})
		})
	}
	for _, intent := range rbacIntents {
		admin.do(http.MethodPost, orgsPath, map[string]any{"name": "Acme", "intent": intent, "estimatedMau": 500}).wantOK(t)
	}
}

// TestRBACOrganizationKeepsItsIntent: the row keeps the intent given at creation as
// onboarding {"intent": …}, "unknown" when none was, and PUT's answer shows it.
func TestRBACOrganizationKeepsItsIntent(t *testing.T) {
	ts := rbacServer(t)
	admin := newClient(t, ts, AdminAPIKey)
	for body, want := range map[string]string{`{"name": "Acme", "intent": "ota"}`: "ota", `{"name": "Acme"}`: "unknown"} {
		var created struct{ ID string }
		admin.do(http.MethodPost, orgsPath, rawBody(body)).wantOK(t).decode(t, &created)
		var updated struct {
			Data struct {
				Onboarding map[string]string `json:"onboarding"`
			} `json:"data"`
		}
		admin.do(http.MethodPut, orgsPath, map[string]string{"orgId": created.ID}).wantOK(t).decode(t, &updated)
		if got := updated.Data.Onboarding; len(got) != 1 || got["intent"] != want {
			t.Errorf("created with %s: PUT answers onboarding %v, want {intent: %s}", body, got, want)
		}
	}
}

// TestSeedAccountFlags: the rbac flags of a seed file set the account's
// facts, and dialect docs refuses them.
func TestSeedAccountFlags(t *testing.T) {
	seed, err := LoadSeedFile(writeSeed(t, `{"users": [
		{"email": "a@example.com", "api_key": "ka", "org_create": false, "two_factor": true, "api_key_expires": true},
		{"email": "b@example.com", "api_key": "kb"}],
	 "organizations": [{"name": "Acme", "owner": "b@example.com", "logo_upload": "org/acme.png"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Options{Dialect: DialectRBAC, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	a, b := srv.store.userByEmail("a@example.com"), srv.store.userByEmail("b@example.com")
	if a.orgCreate || !a.twoFactor || !a.apiKeyExpires || !b.orgCreate || b.twoFactor || b.apiKeyExpires {
		t.Fatalf("accounts %+v %+v", a, b)
	}
	if logo := srv.store.organizations()[0].logo; logo == nil || *logo != "org/acme.png" {
		t.Fatalf("logo %v, want the storage path", logo)
	}

	_, err = New(Options{Seed: seed})
	if err == nil || !strings.Contains(err.Error(), "for dialect rbac") {
		t.Fatalf("docs took an rbac seed: %v", err)
	}
	seed.Users[0] = SeedUser{Email: "a@example.com"}
	if _, err = New(Options{Seed: seed}); err == nil || !strings.Contains(err.Error(), "logo_upload is for dialect rbac") {
		t.Fatalf("docs took logo_upload: %v", err)
	}
	seed.Organizations[0].LogoUpload = "https://example.com/logo.png"
	if _, err = New(Options{Dialect: DialectRBAC, Seed: seed}); err == nil || !strings.Contains(err.Error(), "not a storage path") {
		t.Fatalf("rbac took a URL as an uploaded logo: %v", err)
	}
}
