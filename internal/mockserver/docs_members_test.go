package mockserver

import (
	"net/http"
	"net/url"
	"testing"
)

func TestMembersListInOrderAdded(t *testing.T) {
	ts := NewTestServer(t, Options{})
	admin := newClient(t, ts, AdminAPIKey)
	id := admin.createOrg("Acme")
	u1 := ts.CreateUser("zed@example.com")
	u2 := ts.CreateUser("amy@example.com")
	admin.setMember(id, u1.Email, "write")
	admin.setMember(id, OpsEmail, "upload")
	admin.setMember(id, u2.Email, "read")
	if err := ts.AcceptInvitation(id, OpsEmail); err != nil {
		t.Fatal(err)
	}

	got := admin.members(id)
	want := []memberObject{
		{Email: AdminEmail, Role: "super_admin"},
		{UID: u1.UID, Email: u1.Email, Role: "invite_write"},
		{Email: OpsEmail, Role: "upload"},
		{UID: u2.UID, Email: u2.Email, Role: "invite_read"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d members %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i].Email != want[i].Email || got[i].Role != want[i].Role || got[i].ImageURL != nil || got[i].UID == "" ||
			(want[i].UID != "" && got[i].UID != want[i].UID) {
			t.Fatalf("member %d is %+v, want %+v", i, got[i], want[i])
		}
	}

	// Any accepted member may list, whatever the role.
	ops := newClient(t, ts, OpsAPIKey)
	if n := len(ops.members(id)); n != len(want) {
		t.Fatalf("an upload member listed %d members, want %d", n, len(want))
	}
}

func TestMemberAddAndChange(t *testing.T) {
	ts := NewTestServer(t, Options{})
	admin := newClient(t, ts, AdminAPIKey)
	id := admin.createOrg("Acme")
	devUID := ts.State().Users[1].UID

	// Someone new becomes a pending invitee, with the full member as answer.
	r := admin.do(http.MethodPost, "/organization/members", map[string]string{"orgId": id, "email": DevEmail, "role": "write"}).wantOK(t)
	var top map[string]any
	r.decode(t, &top)
	if top["status"] != "OK" || len(top) != 2 {
		t.Fatalf("answer %s, want status OK and data", r.body)
	}
	var data struct {
		Data map[string]any `json:"data"`
	}
	r.decode(t, &data)
	want := map[string]any{"uid": devUID, "email": DevEmail, "role": "invite_write", "image_url": nil}
	if len(data.Data) != len(want) {
		t.Fatalf("data %v, want %v", data.Data, want)
	}
	for k, v := range want {
		if got, ok := data.Data[k]; !ok || got != v {
			t.Fatalf("data %v, want %v", data.Data, want)
		}
	}

	// A pending invitee with another role stays pending.
	if m := admin.setMember(id, DevEmail, "admin"); m.Role != "invite_admin" {
		t.Fatalf("role %q after changing a pending invitation, want invite_admin", m.Role)
	}
	if got := admin.memberRoles(id)[DevEmail]; got != "invite_admin" {
		t.Fatalf("listed role %q, want invite_admin", got)
	}

	// Once accepted, a change takes effect at once.
	if err := ts.AcceptInvitation(id, DevEmail); err != nil {
		t.Fatal(err)
	}
	if m := admin.setMember(id, DevEmail, "read"); m.Role != "read" {
		t.Fatalf("role %q after changing an accepted member, want read", m.Role)
	}
	if got := admin.memberRoles(id)[DevEmail]; got != "read" {
		t.Fatalf("listed role %q, want read", got)
	}

	// The same role again is a conflict, pending or accepted.
	admin.do(http.MethodPost, "/organization/members/", map[string]string{"orgId": id, "email": DevEmail, "role": "read"}).
		wantError(t, http.StatusConflict, "Member already exists in organization")
	admin.setMember(id, OpsEmail, "upload")
	admin.do(http.MethodPost, "/organization/members/", map[string]string{"orgId": id, "email": OpsEmail, "role": "upload"}).
		wantError(t, http.StatusConflict, "Member already exists in organization")
}

func TestMemberRemove(t *testing.T) {
	tests := []struct {
		name    string
		pending bool
		query   bool
	}{
		{"accepted member, body", false, false},
		{"accepted member, query string", false, true},
		{"pending invitation, body", true, false},
		{"pending invitation, query string", true, true},
	}
	for _, tt := range tests {
		inEachDialect(t, tt.name, func(t *testing.T, ts *TestServer, admin *apiClient, id string) {
			// Roles both dialects take (rbac as invite_type aliases).
			admin.invite(id, DevEmail, "write")
			admin.invite(id, OpsEmail, "read")
			if !tt.pending {
				if err := ts.AcceptInvitation(id, DevEmail); err != nil {
					t.Fatal(err)
				}
			}

			remove := func() response {
				if tt.query {
					return admin.do(http.MethodDelete, "/organization/members/?"+url.Values{"orgId": {id}, "email": {DevEmail}}.Encode(), nil)
				}
				return admin.do(http.MethodDelete, "/organization/members", map[string]string{"orgId": id, "email": DevEmail})
			}
			if admin.rbac {
				remove().wantBody(t, `{"status": "ok"}`)
			} else {
				remove().wantBody(t, `{"status": "OK"}`)
			}
			roles := admin.memberRoles(id)
			if _, still := roles[DevEmail]; still || len(roles) != 2 {
				t.Fatalf("members after removal %v", roles)
			}
			// Removed means removed: a second removal finds nothing.
			if admin.rbac {
				remove().wantCode(t, http.StatusNotFound, "organization_member_not_found", map[string]any{"orgId": id, "email": DevEmail})
			} else {
				remove().wantError(t, http.StatusNotFound, "Member not found")
			}
		})
	}
}

func TestDeleteParametersFromBodyAndQuery(t *testing.T) {
	ts := NewTestServer(t, Options{})
	admin := newClient(t, ts, AdminAPIKey)
	id := admin.createOrg("Acme")
	admin.setMember(id, DevEmail, "write")

	// orgId in the query string and email in the body are read together.
	admin.do(http.MethodDelete, "/organization/members?orgId="+id, map[string]string{"email": DevEmail}).wantOK(t)
	if _, still := admin.memberRoles(id)[DevEmail]; still {
		t.Fatal("member still listed after removal")
	}
}

func TestEmailsMatchWithoutRegardToCase(t *testing.T) {
	ts := NewTestServer(t, Options{})
	admin := newClient(t, ts, AdminAPIKey)
	id := admin.createOrg("Acme")
	mixed := ts.CreateUser("Mixed.Case@Example.com")

	// The answer carries the email as the account registered it.
	if m := admin.setMember(id, "mixed.case@EXAMPLE.COM", "write"); m.Email != mixed.Email || m.UID != mixed.UID {
		t.Fatalf("member %+v, want the account %+v", m, mixed)
	}
	if got := admin.members(id)[1].Email; got != mixed.Email {
		t.Fatalf("listed email %q, want %q", got, mixed.Email)
	}
	// Another spelling of the same email is the same member.
	admin.do(http.MethodPost, "/organization/members", map[string]string{"orgId": id, "email": "MIXED.case@example.com", "role": "write"}).
		wantError(t, http.StatusConflict, "Member already exists in organization")
	if err := ts.AcceptInvitation(id, "MIXED.CASE@EXAMPLE.COM"); err != nil {
		t.Fatal(err)
	}
	if got := admin.memberRoles(id)[mixed.Email]; got != "write" {
		t.Fatalf("role %q after accepting, want write", got)
	}
	admin.do(http.MethodDelete, "/organization/members", map[string]string{"orgId": id, "email": "mixed.CASE@example.COM"}).wantOK(t)
	if n := len(admin.members(id)); n != 1 {
		t.Fatalf("%d members after removal, want 1", n)
	}
}

func TestRoutesAndAuthenticationHeaders(t *testing.T) {
	tests := []struct {
		name   string
		header string
		path   string
	}{
		{"authorization, trailing slash", "authorization", "/organization/"},
		{"authorization, no trailing slash", "authorization", "/organization"},
		{"capgkey, trailing slash", "capgkey", "/organization/"},
		{"capgkey, no trailing slash", "capgkey", "/organization"},
	}
	for _, dialect := range dialects {
		ts := NewTestServer(t, Options{Dialect: dialect})
		for _, tt := range tests {
			t.Run(dialect+"/"+tt.name, func(t *testing.T) {
				req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, ts.URL+tt.path, nil)
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set(tt.header, DevAPIKey)
				resp, err := ts.client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("status %d, want 200", resp.StatusCode)
				}
				if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
					t.Fatalf("Content-Type %q, want application/json", ct)
				}
			})
		}
	}
}
