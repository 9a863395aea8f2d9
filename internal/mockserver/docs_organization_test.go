package mockserver

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

func TestOrganizationCreateAndGet(t *testing.T) {
	// On a clock of the test's, the timestamps tell exactly when the organization was made: a
	// minute after the seed, whose objects would show the time the server started.
	clock := newFakeClock()
	ts := NewTestServer(t, Options{Clock: clock.Now})
	admin := newClient(t, ts, AdminAPIKey)

	clock.Advance(time.Minute)
	created := clock.Now()
	id := admin.createOrg("Acme")
	org := admin.getOrg(id)

	state := ts.State()
	adminUID := state.Users[0].UID
	if org.ID != id || org.Name != "Acme" || org.CreatedBy != adminUID ||
		org.ManagementEmail != AdminEmail || org.Logo != nil || org.CustomerID != nil {
		t.Fatalf("organization %+v does not match the creation", org)
	}
	for _, ts := range []string{org.CreatedAt, org.UpdatedAt} {
		parsed, err := time.Parse(time.RFC3339, ts)
		if err != nil {
			t.Fatalf("timestamp %q is not RFC 3339: %v", ts, err)
		}
		if _, offset := parsed.Zone(); offset != 0 || ts[len(ts)-1] != 'Z' {
			t.Fatalf("timestamp %q is not in UTC", ts)
		}
		if !parsed.Equal(created) {
			t.Fatalf("timestamp %q, want the time of the request, %s", ts, created.Format(time.RFC3339))
		}
	}

	// The creator is its accepted super_admin.
	members := admin.members(id)
	if len(members) != 1 || members[0].Email != AdminEmail || members[0].Role != "super_admin" || members[0].UID != adminUID {
		t.Fatalf("members %+v, want the creator as super_admin", members)
	}
}

func TestOrganizationNamesAreNotUnique(t *testing.T) {
	ts := NewTestServer(t, Options{})
	admin := newClient(t, ts, AdminAPIKey)
	first := admin.createOrg("Same")
	second := admin.createOrg("Same")
	if first == second {
		t.Fatalf("two creations gave the same id %s", first)
	}
}

func TestOrganizationCreateIgnoresOtherFields(t *testing.T) {
	ts := NewTestServer(t, Options{})
	admin := newClient(t, ts, AdminAPIKey)
	var out struct{ ID string }
	admin.do(http.MethodPost, "/organization", map[string]any{
		"name": "Acme", "management_email": "other@example.com", "logo": "x", "id": "chosen",
	}).wantOK(t).decode(t, &out)
	org := admin.getOrg(out.ID)
	if out.ID == "chosen" || org.ManagementEmail != AdminEmail || org.Logo != nil {
		t.Fatalf("organization %+v took fields the create must ignore", org)
	}
}

func TestOrganizationList(t *testing.T) {
	ts := NewTestServer(t, Options{})
	admin := newClient(t, ts, AdminAPIKey)
	dev := newClient(t, ts, DevAPIKey)
	ops := newClient(t, ts, OpsAPIKey)

	// An empty list is an empty array, not null.
	empty := dev.do(http.MethodGet, "/organization/", nil).wantOK(t)
	if string(empty.body) != "{\"data\":[]}\n" {
		t.Fatalf("empty list %q, want {\"data\":[]}", empty.body)
	}

	first := admin.createOrg("First")
	second := admin.createOrg("Second")
	third := admin.createOrg("Third")
	devOrg := dev.createOrg("Dev's own")
	admin.setMember(second, DevEmail, "read")
	admin.setMember(third, DevEmail, "read")
	if err := ts.AcceptInvitation(third, DevEmail); err != nil {
		t.Fatal(err)
	}

	list := func(c *apiClient) []string {
		var out struct{ Data []docsOrganization }
		c.do(http.MethodGet, "/organization", nil).wantOK(t).decode(t, &out)
		ids := []string{}
		for _, o := range out.Data {
			ids = append(ids, o.ID)
		}
		return ids
	}
	tests := []struct {
		name   string
		client *apiClient
		want   []string
	}{
		{"oldest first", admin, []string{first, second, third}},
		// Dev is pending in second: pending invitees do not see the organization.
		{"accepted memberships only", dev, []string{third, devOrg}},
		{"none", ops, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := list(tt.client)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestOrganizationGetByReadOnlyMember(t *testing.T) {
	ts := NewTestServer(t, Options{})
	_, id := orgWithMembers(t, ts, "read", "")
	dev := newClient(t, ts, DevAPIKey)
	if got := dev.getOrg(id); got.ID != id {
		t.Fatalf("got organization %s, want %s", got.ID, id)
	}
}

func TestOrganizationUpdate(t *testing.T) {
	ts := NewTestServer(t, Options{})
	admin, id := orgWithMembers(t, ts, "admin", "")
	dev := newClient(t, ts, DevAPIKey)
	created := admin.getOrg(id)

	put := func(c *apiClient, body map[string]any) (status string, data map[string]string) {
		t.Helper()
		var out struct {
			Status string            `json:"status"`
			Data   map[string]string `json:"data"`
		}
		r := c.do(http.MethodPut, "/organization/", body).wantOK(t)
		r.decode(t, &out)
		var raw map[string]any
		r.decode(t, &raw)
		if len(raw) != 2 {
			t.Fatalf("answer %s has other fields than status and data", r.body)
		}
		return out.Status, out.Data
	}

	// An admin (not only the super_admin) may update.
	status, data := put(dev, map[string]any{"orgId": id, "name": "Renamed", "logo": "https://example.com/logo.png", "management_email": "billing@example.com"})
	if status != "Organization updated" {
		t.Fatalf("status %q, want Organization updated", status)
	}
	wantData := map[string]string{"id": id, "name": "Renamed", "management_email": "billing@example.com"}
	if len(data) != len(wantData) {
		t.Fatalf("data %v, want exactly %v", data, wantData)
	}
	for k, v := range wantData {
		if data[k] != v {
			t.Fatalf("data %v, want %v", data, wantData)
		}
	}
	org := admin.getOrg(id)
	if org.Name != "Renamed" || org.ManagementEmail != "billing@example.com" || org.Logo == nil ||
		*org.Logo != "https://example.com/logo.png" || org.CreatedAt != created.CreatedAt {
		t.Fatalf("organization after update %+v", org)
	}
	if org.UpdatedAt <= created.UpdatedAt {
		t.Fatalf("updated_at %s did not move past %s", org.UpdatedAt, created.UpdatedAt)
	}

	// Only the fields present change, and updated_at changes on every PUT,
	// even one that changes nothing else.
	previous := org
	put(admin, map[string]any{"orgId": id})
	org = admin.getOrg(id)
	if org.Name != previous.Name || org.Logo == nil || org.ManagementEmail != previous.ManagementEmail {
		t.Fatalf("empty update changed fields: %+v", org)
	}
	if org.UpdatedAt <= previous.UpdatedAt {
		t.Fatalf("updated_at %s did not move past %s", org.UpdatedAt, previous.UpdatedAt)
	}

	// logo null and "" both clear it.
	for _, empty := range []any{nil, ""} {
		put(admin, map[string]any{"orgId": id, "logo": "x"})
		put(admin, map[string]any{"orgId": id, "logo": empty})
		if got := admin.getOrg(id).Logo; got != nil {
			t.Fatalf("logo %q after clearing with %#v, want null", *got, empty)
		}
	}
}

func TestOrganizationDelete(t *testing.T) {
	for _, dialect := range dialects {
		for _, query := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/parameters in the query string: %v", dialect, query), func(t *testing.T) {
				ts := NewTestServer(t, Options{Dialect: dialect})
				// In docs an admin may delete, in rbac an org_super_admin only;
				// dev deletes, having just that role.
				deleter := "admin"
				if dialect == DialectRBAC {
					deleter = "org_super_admin"
				}
				admin, id := orgWithMembers(t, ts, deleter, "read")
				keep := admin.createOrg("Keep")
				dev := newClient(t, ts, DevAPIKey)

				var r response
				if query {
					r = dev.do(http.MethodDelete, "/organization?orgId="+id, nil)
				} else {
					r = dev.do(http.MethodDelete, "/organization/", map[string]string{"orgId": id})
				}
				get := admin.do(http.MethodGet, "/organization/?orgId="+id, nil)
				if dev.rbac {
					r.wantBody(t, `{"status": "ok"}`)
					get.wantCode(t, http.StatusBadRequest, "invalid_org_id", map[string]any{"org_id": id})
				} else {
					r.wantBody(t, fmt.Sprintf(`{"status": "Organization deleted", "id": %q}`, id))
					get.wantError(t, http.StatusNotFound, "Organization not found")
				}
				if orgs := madeOrganizations(ts.State()); len(orgs) != 1 || orgs[0].ID != keep {
					t.Fatalf("state after delete has organizations %+v, want only %s", orgs, keep)
				}
			})
		}
	}
}
