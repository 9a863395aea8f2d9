package mockserver

import (
	"net/http"
	"testing"
)

// rbacListed is a member as the rbac list shows it, for comparisons.
type rbacListed struct {
	email, role string
	pending     bool
}

// listed returns the members of an organization in the order listed,
// checking the shape of each on the way: exactly uid, email, image_url (a
// string, "" when none), role and is_tmp.
func (c *apiClient) listed(orgID string) []rbacListed {
	c.t.Helper()
	var raw []map[string]any
	c.do(http.MethodGet, "/organization/members/?orgId="+orgID, nil).wantOK(c.t).decode(c.t, &raw)
	out := make([]rbacListed, 0, len(raw))
	for _, m := range raw {
		wantKeys(c.t, m, []string{"email", "image_url", "is_tmp", "role", "uid"})
		uid, _ := m["uid"].(string)
		email, _ := m["email"].(string)
		role, _ := m["role"].(string)
		pending, isBool := m["is_tmp"].(bool)
		if uid == "" || m["image_url"] != "" || !isBool {
			c.t.Fatalf("member %v", m)
		}
		out = append(out, rbacListed{email, role, pending})
	}
	return out
}

func wantListed(t testing.TB, got []rbacListed, want ...rbacListed) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("members %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("members %+v, want %+v", got, want)
		}
	}
}

func TestRBACMembersList(t *testing.T) {
	ts := rbacServer(t)
	admin := newClient(t, ts, AdminAPIKey)
	id := admin.createOrg("Acme")
	zed := ts.CreateUser("zed@example.com")
	admin.invite(id, zed.Email, "org_admin")
	admin.invite(id, OpsEmail, "org_billing_admin")
	admin.invite(id, DevEmail, "org_member")
	if err := ts.AcceptInvitation(id, OpsEmail); err != nil {
		t.Fatal(err)
	}

	// A bare array, in the order added, pending invitees with their target
	// role and is_tmp.
	want := []rbacListed{
		{AdminEmail, "org_super_admin", false},
		{zed.Email, "org_admin", true},
		{OpsEmail, "org_billing_admin", false},
		{DevEmail, "org_member", true},
	}
	wantListed(t, admin.listed(id), want...)
	state := ts.State()
	if got := admin.members(id); got[1].UID != zed.UID || got[0].UID != state.Users[0].UID {
		t.Fatalf("uids %+v, want the accounts' %+v", got, state.Users)
	}

	// An org_member may list too.
	if err := ts.AcceptInvitation(id, DevEmail); err != nil {
		t.Fatal(err)
	}
	want[3].pending = false
	wantListed(t, newClient(t, ts, DevAPIKey).listed(id), want...)
}

func TestRBACInviteTypes(t *testing.T) {
	tests := map[string]string{
		"org_member":         "org_member",
		"org_billing_admin":  "org_billing_admin",
		"org_admin":          "org_admin",
		"org_super_admin":    "org_super_admin",
		"read":               "org_member",
		"upload":             "org_member",
		"write":              "org_member",
		"admin":              "org_admin",
		"super_admin":        "org_super_admin",
		"invite_read":        "org_member",
		"invite_upload":      "org_member",
		"invite_write":       "org_member",
		"invite_admin":       "org_admin",
		"invite_super_admin": "org_super_admin",
	}
	ts := rbacServer(t)
	admin := newClient(t, ts, AdminAPIKey)
	id := admin.createOrg("Acme")
	want := []rbacListed{{AdminEmail, "org_super_admin", false}}
	for inviteType, role := range tests {
		u := ts.CreateUser("as-" + inviteType + "@example.com")
		// invite checks the answer is exactly {"status": "ok"}.
		admin.invite(id, u.Email, inviteType)
		want = append(want, rbacListed{u.Email, role, true})
	}
	wantListed(t, admin.listed(id), want...)

	// invite_type wins over a role sent beside it.
	u := ts.CreateUser("both@example.com")
	admin.do(http.MethodPost, "/organization/members/", map[string]string{"orgId": id, "email": u.Email, "invite_type": "org_admin", "role": "org_member"}).
		wantBody(t, `{"status": "ok"}`)
	want = append(want, rbacListed{u.Email, "org_admin", true})
	wantListed(t, admin.listed(id), want...)
}

// TestRBACInviteNeverChangesAMember: the only way to another role is to
// remove and invite again, which leaves the member pending until accepted.
func TestRBACInviteNeverChangesAMember(t *testing.T) {
	ts := rbacServer(t)
	admin, id := orgWithMembers(t, ts, "org_member", "")
	admin.invite(id, OpsEmail, "org_member")
	alreadyInvited := map[string]any{"data": "ALREADY_INVITED"}

	for _, email := range []string{DevEmail, OpsEmail} {
		for _, inviteType := range []string{"org_member", "org_admin", "admin", "org_billing_admin"} {
			admin.do(http.MethodPost, "/organization/members/", map[string]string{"orgId": id, "email": email, "invite_type": inviteType}).
				wantCode(t, 400, "error_inviting_user_to_organization", alreadyInvited)
		}
	}
	wantListed(t, admin.listed(id),
		rbacListed{AdminEmail, "org_super_admin", false},
		rbacListed{DevEmail, "org_member", false},
		rbacListed{OpsEmail, "org_member", true})

	admin.do(http.MethodDelete, "/organization/members/", map[string]string{"orgId": id, "email": DevEmail}).wantBody(t, `{"status": "ok"}`)
	admin.invite(id, DevEmail, "org_admin")
	wantListed(t, admin.listed(id),
		rbacListed{AdminEmail, "org_super_admin", false},
		rbacListed{OpsEmail, "org_member", true},
		rbacListed{DevEmail, "org_admin", true})
	if err := ts.AcceptInvitation(id, DevEmail); err != nil {
		t.Fatal(err)
	}
	// The new role brings its rights once accepted.
	newClient(t, ts, DevAPIKey).do(http.MethodPut, "/organization/", map[string]string{"orgId": id, "name": "Renamed"}).wantOK(t)
}

// TestRBACRemovingLastSuperAdminDeletesOrganization: the backend does not
// refuse to remove the last accepted org_super_admin; the organization goes
// with it, and the answer is still ok.
func TestRBACRemovingLastSuperAdminDeletesOrganization(t *testing.T) {
	tests := []struct {
		name string
		// setup adds members to the organization; the admin account is its
		// only accepted org_super_admin when setup returns.
		setup func(t *testing.T, ts *TestServer, admin *apiClient, id string)
	}{
		{"alone", func(*testing.T, *TestServer, *apiClient, string) {}},
		{"with other members", func(t *testing.T, ts *TestServer, admin *apiClient, id string) {
			admin.invite(id, DevEmail, "org_admin")
			admin.invite(id, OpsEmail, "org_member")
			if err := ts.AcceptInvitation(id, DevEmail); err != nil {
				t.Fatal(err)
			}
		}},
		{"with a pending org_super_admin", func(_ *testing.T, _ *TestServer, admin *apiClient, id string) {
			admin.invite(id, DevEmail, "org_super_admin")
		}},
		{"after another org_super_admin left", func(t *testing.T, ts *TestServer, admin *apiClient, id string) {
			admin.invite(id, DevEmail, "org_super_admin")
			if err := ts.AcceptInvitation(id, DevEmail); err != nil {
				t.Fatal(err)
			}
			// With two, removing one is a plain removal.
			newClient(t, ts, DevAPIKey).do(http.MethodDelete, "/organization/members/", map[string]string{"orgId": id, "email": DevEmail}).
				wantBody(t, `{"status": "ok"}`)
			if len(madeOrganizations(ts.State())) != 2 {
				t.Fatal("removing one of two org_super_admins deleted the organization")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := rbacServer(t)
			admin := newClient(t, ts, AdminAPIKey)
			id := admin.createOrg("Doomed")
			keep := admin.createOrg("Keep")
			tt.setup(t, ts, admin, id)

			admin.do(http.MethodDelete, "/organization/members/", map[string]string{"orgId": id, "email": AdminEmail}).
				wantBody(t, `{"status": "ok"}`)

			if orgs := madeOrganizations(ts.State()); len(orgs) != 1 || orgs[0].ID != keep {
				t.Fatalf("organizations %+v, want only %s", orgs, keep)
			}
			admin.do(http.MethodGet, "/organization/?orgId="+id, nil).wantCode(t, 400, "invalid_org_id", map[string]any{"org_id": id})
			newClient(t, ts, DevAPIKey).do(http.MethodGet, "/organization/members/?orgId="+id, nil).
				wantCode(t, 400, "cannot_access_organization", map[string]any{"orgId": id})
			if err := ts.AcceptInvitation(id, DevEmail); err == nil {
				t.Fatal("an invitation to the deleted organization could still be accepted")
			}
		})
	}
}

// TestRBACEmailsMatchExactly: an email that differs from the account's in
// case names no account at all.
func TestRBACEmailsMatchExactly(t *testing.T) {
	ts := rbacServer(t)
	admin := newClient(t, ts, AdminAPIKey)
	id := admin.createOrg("Acme")
	mixed := ts.CreateUser("Mixed.Case@Example.com")
	noEmail := map[string]any{"data": "NO_EMAIL"}
	invite := func(email string) response {
		return admin.do(http.MethodPost, "/organization/members/", map[string]string{"orgId": id, "email": email, "invite_type": "org_member"})
	}
	remove := func(email string) response {
		return admin.do(http.MethodDelete, "/organization/members/", map[string]string{"orgId": id, "email": email})
	}

	invite("mixed.case@example.com").wantCode(t, 400, "error_inviting_user_to_organization", noEmail)
	invite("MIXED.CASE@EXAMPLE.COM").wantCode(t, 400, "error_inviting_user_to_organization", noEmail)
	invite(mixed.Email).wantBody(t, `{"status": "ok"}`)
	// Once a member, another spelling is still no account, not a member.
	invite("mixed.case@example.com").wantCode(t, 400, "error_inviting_user_to_organization", noEmail)
	remove("mixed.case@example.com").wantCode(t, 404, "user_not_found", map[string]any{})
	wantListed(t, admin.listed(id),
		rbacListed{AdminEmail, "org_super_admin", false},
		rbacListed{mixed.Email, "org_member", true})

	remove(mixed.Email).wantBody(t, `{"status": "ok"}`)
	wantListed(t, admin.listed(id), rbacListed{AdminEmail, "org_super_admin", false})
}
