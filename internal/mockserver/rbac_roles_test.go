package mockserver

import (
	"net/http"
	"slices"
	"testing"
)

// TestRBACRights checks README.md 2.1 role by role: dev holds the role in
// an organization of the admin account and tries every call once.
func TestRBACRights(t *testing.T) {
	tests := []struct {
		role    string
		pending bool
		allowed []string
	}{
		{"org_member", false, []string{"read", "list"}},
		{"org_billing_admin", false, []string{"read"}},
		{"org_admin", false, []string{"read", "list", "update", "invite", "remove"}},
		{"org_super_admin", false, []string{"read", "list", "update", "invite", "remove", "delete"}},
		{"org_super_admin", true, nil},
		{"org_admin", true, nil},
	}
	for _, tt := range tests {
		name := tt.role
		if tt.pending {
			name = "pending " + name
		}
		t.Run(name, func(t *testing.T) {
			ts := rbacServer(t)
			admin := newClient(t, ts, AdminAPIKey)
			id := admin.createOrg("Acme")
			admin.invite(id, DevEmail, tt.role)
			if !tt.pending {
				if err := ts.AcceptInvitation(id, DevEmail); err != nil {
					t.Fatal(err)
				}
			}
			admin.invite(id, OpsEmail, "org_member")
			target := ts.CreateUser("target@example.com")

			// Each call, with the refusal it gets without the right, in this
			// order so that deleting comes last.
			access := map[string]any{"orgId": id}
			orgID := map[string]any{"org_id": id}
			calls := []struct {
				name, method, path string
				body               any
				status             int
				code               string
				info               map[string]any
			}{
				{"read", http.MethodGet, "/organization/?orgId=" + id, nil, 400, "invalid_org_id", orgID},
				{"list", http.MethodGet, "/organization/members/?orgId=" + id, nil, 400, "cannot_access_organization", access},
				{"update", http.MethodPut, "/organization/", map[string]any{"orgId": id, "website": "w"}, 400, "cannot_access_organization", access},
				{"invite", http.MethodPost, "/organization/members/", map[string]any{"orgId": id, "email": target.Email, "invite_type": "org_member"}, 400, "cannot_access_organization", access},
				{"remove", http.MethodDelete, "/organization/members/", map[string]any{"orgId": id, "email": OpsEmail}, 400, "cannot_access_organization", access},
				{"delete", http.MethodDelete, "/organization/", map[string]any{"orgId": id}, 403, "invalid_org_id", orgID},
			}
			for _, c := range calls {
				if slices.Contains(tt.allowed, c.name) {
					newClient(t, ts, DevAPIKey).do(c.method, c.path, c.body).wantOK(t)
					continue
				}
				runNoEffect(t, ts, c.name+" refused", func(t *testing.T) {
					newClient(t, ts, DevAPIKey).do(c.method, c.path, c.body).wantCode(t, c.status, c.code, c.info)
				})
			}
		})
	}
}

// TestRBACRankGuards: nobody may invite or remove a role ranked above their
// own; an equal rank is allowed.
func TestRBACRankGuards(t *testing.T) {
	ts := rbacServer(t)
	admin, id := orgWithMembers(t, ts, "org_admin", "org_admin")
	dev := newClient(t, ts, DevAPIKey)
	peerSuper := ts.CreateUser("super@example.com")
	admin.invite(id, peerSuper.Email, "org_super_admin")
	users := map[string]User{}
	for _, name := range []string{"member", "billing", "admin", "super"} {
		users[name] = ts.CreateUser(name + "-invitee@example.com")
	}
	noRights := map[string]any{"data": "NO_RIGHTS"}
	inviteAs := func(c *apiClient, email, inviteType string) response {
		return c.do(http.MethodPost, "/organization/members/", map[string]string{"orgId": id, "email": email, "invite_type": inviteType})
	}
	removeAs := func(c *apiClient, email string) response {
		return c.do(http.MethodDelete, "/organization/members/", map[string]string{"orgId": id, "email": email})
	}

	// An org_admin invites up to its own rank.
	dev.invite(id, users["member"].Email, "org_member")
	dev.invite(id, users["billing"].Email, "org_billing_admin")
	dev.invite(id, users["admin"].Email, "org_admin")
	for _, inviteType := range []string{"org_super_admin", "super_admin", "invite_super_admin"} {
		inviteAs(dev, users["super"].Email, inviteType).wantCode(t, 400, "error_inviting_user_to_organization", noRights)
	}

	// It removes members up to its own rank, but no accepted org_super_admin.
	// A pending invitee ranks 0: it revokes an org_super_admin's invitation.
	removeAs(dev, AdminEmail).wantCode(t, 403, "cannot_delete_higher_priority_role", map[string]any{})
	removeAs(dev, peerSuper.Email).wantOK(t)
	removeAs(dev, users["admin"].Email).wantOK(t)
	removeAs(dev, OpsEmail).wantOK(t) // an accepted org_admin, like dev
	removeAs(dev, users["billing"].Email).wantOK(t)
	// And itself.
	removeAs(dev, DevEmail).wantOK(t)
	removeAs(dev, users["member"].Email).wantCode(t, 400, "cannot_access_organization", map[string]any{"orgId": id})

	// An org_super_admin invites and removes anyone, its accepted peers
	// included.
	admin.invite(id, users["super"].Email, "org_super_admin")
	admin.invite(id, peerSuper.Email, "org_super_admin")
	if err := ts.AcceptInvitation(id, peerSuper.Email); err != nil {
		t.Fatal(err)
	}
	removeAs(admin, peerSuper.Email).wantOK(t)
	wantListed(t, admin.listed(id),
		rbacListed{AdminEmail, "org_super_admin", false},
		rbacListed{users["member"].Email, "org_member", true},
		rbacListed{users["super"].Email, "org_super_admin", true})
}
