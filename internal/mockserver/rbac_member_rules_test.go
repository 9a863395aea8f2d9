package mockserver

import (
	"net/http"
	"testing"
)

// TestRBACListMembersWithEmptyOrgID: an orgId given empty names an
// organization nobody can access; an orgId left out is a bad body.
func TestRBACListMembersWithEmptyOrgID(t *testing.T) {
	ts := rbacServer(t)
	admin := newClient(t, ts, AdminAPIKey)
	admin.do(http.MethodGet, membersPath+"?orgId=", nil).wantCode(t, 400, "cannot_access_organization", map[string]any{"orgId": ""})
	admin.do(http.MethodGet, membersPath+"?org_id=x", nil).wantCode(t, 400, "invalid_body", map[string]any{})
}

// TestRBACMemberEmailsNeedATopLevelDomain: an email's top-level domain has
// two letters or more, for an invitation as for a removal.
func TestRBACMemberEmailsNeedATopLevelDomain(t *testing.T) {
	ts := rbacServer(t)
	admin := newClient(t, ts, AdminAPIKey)
	id := admin.createOrg("Acme")
	for _, email := range []string{"someone@example.c", "someone@example.c0", "someone@example.1", "someone@localhost"} {
		runNoEffect(t, ts, email, func(t *testing.T) {
			admin.do(http.MethodPost, membersPath, map[string]string{"orgId": id, "email": email, "invite_type": "org_member"}).
				wantCode(t, 400, "invalid_body", map[string]any{})
			admin.do(http.MethodDelete, membersPath, map[string]string{"orgId": id, "email": email}).
				wantCode(t, 400, "invalid_body", map[string]any{})
		})
	}
	// Two letters are enough.
	short := ts.CreateUser("someone@example.co")
	admin.invite(id, short.Email, "org_member")
}

// TestRBACPendingInviteeRanksZeroForRemoval: an invitation ranks below
// everyone, so an org_admin revokes even an org_super_admin's; once
// accepted, the same member ranks above it.
func TestRBACPendingInviteeRanksZeroForRemoval(t *testing.T) {
	ts := rbacServer(t)
	admin, id := orgWithMembers(t, ts, "org_admin", "")
	dev := newClient(t, ts, DevAPIKey)
	admin.invite(id, OpsEmail, "org_super_admin")
	dev.do(http.MethodDelete, membersPath, map[string]string{"orgId": id, "email": OpsEmail}).wantBody(t, `{"status": "ok"}`)

	admin.invite(id, OpsEmail, "org_super_admin")
	if err := ts.AcceptInvitation(id, OpsEmail); err != nil {
		t.Fatal(err)
	}
	runNoEffect(t, ts, "accepted", func(t *testing.T) {
		dev.do(http.MethodDelete, membersPath, map[string]string{"orgId": id, "email": OpsEmail}).
			wantCode(t, 403, "cannot_delete_higher_priority_role", map[string]any{})
	})
}

// TestRBACMemberNotFoundSaysWhich: organization_member_not_found names the
// organization and the email in moreInfo.
func TestRBACMemberNotFoundSaysWhich(t *testing.T) {
	ts := rbacServer(t)
	admin := newClient(t, ts, AdminAPIKey)
	id := admin.createOrg("Acme")
	admin.do(http.MethodDelete, membersPath+"?orgId="+id+"&email="+OpsEmail, nil).
		wantCode(t, 404, "organization_member_not_found", map[string]any{"orgId": id, "email": OpsEmail})
}

// TestRBACRolesOutsideTheFour: a seed may give apikey_manager (rank 78),
// which the Capgo console assigns; the list shows it as it is, it may read
// the organization, and the API invites nobody to it.
func TestRBACRolesOutsideTheFour(t *testing.T) {
	seed := DefaultSeedFor(DialectRBAC)
	seed.Users = append(seed.Users, SeedUser{Email: "keys@example.com", APIKey: "k-keys"})
	seed.Organizations = append(seed.Organizations, SeedOrganization{Name: "Acme", Owner: AdminEmail, Members: []SeedMember{
		{Email: DevEmail, Role: "org_admin"},
		{Email: OpsEmail, Role: "org_member"},
		{Email: "keys@example.com", Role: "apikey_manager"},
	}})
	ts := NewTestServer(t, Options{Dialect: DialectRBAC, Seed: seed})
	id := madeOrganizations(ts.State())[0].ID
	admin := newClient(t, ts, AdminAPIKey)
	wantListed(t, admin.listed(id),
		rbacListed{AdminEmail, "org_super_admin", false},
		rbacListed{DevEmail, "org_admin", false},
		rbacListed{OpsEmail, "org_member", false},
		rbacListed{"keys@example.com", "apikey_manager", false})
	if m := madeOrganizations(ts.State())[0].Members[3]; m.Role != "apikey_manager" || m.Pending {
		t.Fatalf("state member %+v", m)
	}

	keys := newClient(t, ts, "k-keys")
	keys.getOrg(id)
	keys.do(http.MethodGet, membersPath+"?orgId="+id, nil).wantCode(t, 400, "cannot_access_organization", map[string]any{"orgId": id})
	keys.do(http.MethodPut, orgsPath, map[string]string{"orgId": id, "name": "Mine"}).wantCode(t, 400, "cannot_access_organization", map[string]any{"orgId": id})

	admin.do(http.MethodPost, membersPath, map[string]string{"orgId": id, "email": "newcomer@example.com", "invite_type": "apikey_manager"}).
		wantCode(t, 400, "invalid_body", map[string]any{})
	// It ranks 78: an org_admin removes it.
	newClient(t, ts, DevAPIKey).do(http.MethodDelete, membersPath, map[string]string{"orgId": id, "email": "keys@example.com"}).wantOK(t)
}
