package mockserver

import (
	"net/http"
	"testing"
)

const insufficient = "Insufficient permissions to manage members"

func TestPendingInviteesHaveNoRights(t *testing.T) {
	for _, role := range []string{"admin", "super_admin"} {
		t.Run(role, func(t *testing.T) {
			ts := NewTestServer(t, Options{})
			admin := newClient(t, ts, AdminAPIKey)
			id := admin.createOrg("Acme")
			admin.setMember(id, DevEmail, role)
			dev := newClient(t, ts, DevAPIKey)
			const notFound = "Organization not found"

			dev.do(http.MethodGet, "/organization/?orgId="+id, nil).wantError(t, 404, notFound)
			dev.do(http.MethodGet, "/organization/members/?orgId="+id, nil).wantError(t, 404, notFound)
			dev.do(http.MethodPut, "/organization/", map[string]any{"orgId": id, "name": "x"}).wantError(t, 404, notFound)
			dev.do(http.MethodPost, "/organization/members/", map[string]any{"orgId": id, "email": OpsEmail, "role": "read"}).wantError(t, 404, notFound)
			dev.do(http.MethodDelete, "/organization/members/", map[string]any{"orgId": id, "email": DevEmail}).wantError(t, 404, notFound)
			dev.do(http.MethodDelete, "/organization/", map[string]any{"orgId": id}).wantError(t, 404, notFound)

			// Accepting gives the rights of the role.
			if err := ts.AcceptInvitation(id, DevEmail); err != nil {
				t.Fatal(err)
			}
			dev.setMember(id, OpsEmail, "read")
		})
	}
}

func TestAdminCannotGrantSuperAdmin(t *testing.T) {
	ts := NewTestServer(t, Options{})
	admin, id := orgWithMembers(t, ts, "admin", "write")
	dev := newClient(t, ts, DevAPIKey)
	outsider := ts.CreateUser("new@example.com")

	dev.do(http.MethodPost, "/organization/members/", map[string]any{"orgId": id, "email": outsider.Email, "role": "super_admin"}).wantError(t, 403, insufficient)
	dev.do(http.MethodPost, "/organization/members/", map[string]any{"orgId": id, "email": OpsEmail, "role": "super_admin"}).wantError(t, 403, insufficient)
	dev.do(http.MethodPost, "/organization/members/", map[string]any{"orgId": id, "email": DevEmail, "role": "super_admin"}).wantError(t, 403, insufficient)

	// A super_admin may.
	if m := admin.setMember(id, OpsEmail, "super_admin"); m.Role != "super_admin" {
		t.Fatalf("role %q, want super_admin", m.Role)
	}
}

func TestAdminManagesRolesBelowSuperAdmin(t *testing.T) {
	ts := NewTestServer(t, Options{})
	_, id := orgWithMembers(t, ts, "admin", "read")
	dev := newClient(t, ts, DevAPIKey)
	outsider := ts.CreateUser("new@example.com")

	dev.setMember(id, outsider.Email, "admin")
	dev.setMember(id, OpsEmail, "write")
	dev.setMember(id, OpsEmail, "admin")
	dev.do(http.MethodDelete, "/organization/members/", map[string]any{"orgId": id, "email": OpsEmail}).wantOK(t)
	// Demoting oneself is allowed.
	dev.setMember(id, DevEmail, "read")
	dev.do(http.MethodDelete, "/organization/members/", map[string]any{"orgId": id, "email": outsider.Email}).wantError(t, 403, insufficient)
}

func TestAdminCannotTouchSuperAdmins(t *testing.T) {
	tests := []struct {
		name    string
		pending bool
	}{
		{"accepted super_admin", false},
		{"pending super_admin", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := NewTestServer(t, Options{})
			admin, id := orgWithMembers(t, ts, "admin", "")
			admin.setMember(id, OpsEmail, "super_admin")
			if !tt.pending {
				if err := ts.AcceptInvitation(id, OpsEmail); err != nil {
					t.Fatal(err)
				}
			}
			dev := newClient(t, ts, DevAPIKey)

			for _, role := range []string{"read", "admin"} {
				dev.do(http.MethodPost, "/organization/members/", map[string]any{"orgId": id, "email": OpsEmail, "role": role}).wantError(t, 403, insufficient)
			}
			dev.do(http.MethodDelete, "/organization/members/", map[string]any{"orgId": id, "email": OpsEmail}).wantError(t, 403, insufficient)
			// The owner is a super_admin too.
			dev.do(http.MethodDelete, "/organization/members/", map[string]any{"orgId": id, "email": AdminEmail}).wantError(t, 403, insufficient)

			want := "super_admin"
			if tt.pending {
				want = "invite_super_admin"
			}
			if got := admin.memberRoles(id)[OpsEmail]; got != want {
				t.Fatalf("role %q after refused changes, want %q", got, want)
			}
		})
	}
}

func TestLastSuperAdminStays(t *testing.T) {
	const lastAdmin = "Cannot remove the last admin from the organization"
	ts := NewTestServer(t, Options{})
	admin := newClient(t, ts, AdminAPIKey)
	dev := newClient(t, ts, DevAPIKey)
	id := admin.createOrg("Acme")

	removeSelf := func(c *apiClient, email string) response {
		return c.do(http.MethodDelete, "/organization/members/", map[string]any{"orgId": id, "email": email})
	}
	demote := func(c *apiClient, email string) response {
		return c.do(http.MethodPost, "/organization/members/", map[string]any{"orgId": id, "email": email, "role": "admin"})
	}

	removeSelf(admin, AdminEmail).wantError(t, 400, lastAdmin)
	demote(admin, AdminEmail).wantError(t, 400, lastAdmin)

	// A pending super_admin does not count.
	admin.setMember(id, DevEmail, "super_admin")
	removeSelf(admin, AdminEmail).wantError(t, 400, lastAdmin)
	demote(admin, AdminEmail).wantError(t, 400, lastAdmin)

	// A second accepted super_admin makes it possible, once.
	if err := ts.AcceptInvitation(id, DevEmail); err != nil {
		t.Fatal(err)
	}
	demote(admin, AdminEmail).wantOK(t)
	removeSelf(dev, DevEmail).wantError(t, 400, lastAdmin)
	admin.do(http.MethodPost, "/organization/members/", map[string]any{"orgId": id, "email": AdminEmail, "role": "super_admin"}).wantError(t, 403, insufficient)
	dev.setMember(id, AdminEmail, "super_admin")
	removeSelf(admin, AdminEmail).wantOK(t)
	removeSelf(dev, DevEmail).wantError(t, 400, lastAdmin)
	demote(dev, DevEmail).wantError(t, 400, lastAdmin)

	if roles := dev.memberRoles(id); len(roles) != 1 || roles[DevEmail] != "super_admin" {
		t.Fatalf("members %v, want dev alone as super_admin", roles)
	}
}
