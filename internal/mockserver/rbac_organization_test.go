package mockserver

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestRBACOrganizationCreateAndGet(t *testing.T) {
	// On a clock of the test's, the timestamps tell exactly when the organization was made: a
	// minute after the seed, whose objects would show the time the server started.
	clock := newFakeClock()
	ts := NewTestServer(t, Options{Dialect: DialectRBAC, Clock: clock.Now})
	admin := newClient(t, ts, AdminAPIKey)

	// The answer is exactly {"id"}, and three characters are enough.
	clock.Advance(time.Minute)
	id := admin.createOrg("Abc")

	// One organization is a bare object, with website.
	var raw map[string]any
	admin.do(http.MethodGet, "/organization/?orgId="+id, nil).wantOK(t).decode(t, &raw)
	wantKeys(t, raw, rbacOrganizationKeys)
	org := admin.getOrg(id)
	adminUID := ts.State().Users[0].UID
	if org.ID != id || org.Name != "Abc" || org.CreatedBy != adminUID || org.ManagementEmail != AdminEmail ||
		org.Logo != nil || org.Website != nil || org.CustomerID == nil || *org.CustomerID != "pending_"+id {
		t.Fatalf("organization %+v does not match the creation", org)
	}
	if created, err := time.Parse(time.RFC3339, org.CreatedAt); err != nil || !created.Equal(clock.Now()) || org.UpdatedAt != org.CreatedAt {
		t.Fatalf("timestamps %s %s: %v", org.CreatedAt, org.UpdatedAt, err)
	}

	// The creator is its accepted org_super_admin.
	members := admin.members(id)
	if len(members) != 1 || members[0].UID != adminUID || members[0].Role != "org_super_admin" ||
		members[0].IsTmp == nil || *members[0].IsTmp {
		t.Fatalf("members %+v, want the creator as accepted org_super_admin", members)
	}
}

func TestRBACOrganizationCreateFields(t *testing.T) {
	tests := []struct {
		name        string
		body        map[string]any
		wantName    string
		wantEmail   string
		wantWebsite *string
	}{
		{"email and website", map[string]any{"name": "Acme", "email": "billing@example.com", "website": "https://acme.example"},
			"Acme", "billing@example.com", ptr("https://acme.example/")},
		{"email trimmed", map[string]any{"name": "Acme", "email": "  billing@example.com "}, "Acme", "billing@example.com", nil},
		{"blank website is none", map[string]any{"name": "Acme", "website": "   "}, "Acme", AdminEmail, nil},
		{"estimatedMau and intent", map[string]any{"name": "Acme", "estimatedMau": 1000000, "intent": "ota"}, "Acme", AdminEmail, nil},
		{"estimatedMau zero", map[string]any{"name": "Acme", "estimatedMau": 0, "intent": "unknown"}, "Acme", AdminEmail, nil},
		{"empty website is none", map[string]any{"name": "Acme", "website": ""}, "Acme", AdminEmail, nil},
		{"null website is none", map[string]any{"name": "Acme", "website": nil}, "Acme", AdminEmail, nil},
		{"other fields ignored", map[string]any{"name": "Acme", "management_email": "x@example.com", "logo": "l", "id": "chosen", "customer_id": "c"},
			"Acme", AdminEmail, nil},
		{"three characters in more bytes", map[string]any{"name": "Été"}, "Été", AdminEmail, nil},
		{"name sanitised", map[string]any{"name": "  <b>Spaced</b> Org  "}, "Spaced Org", AdminEmail, nil},
		{"three characters once sanitised", map[string]any{"name": "<p> Abc </p>"}, "Abc", AdminEmail, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := rbacServer(t)
			admin := newClient(t, ts, AdminAPIKey)
			var out map[string]string
			admin.do(http.MethodPost, "/organization", tt.body).wantOK(t).decode(t, &out)
			org := admin.getOrg(out["id"])
			if len(out) != 1 || org.ID != out["id"] || org.Name != tt.wantName || org.ManagementEmail != tt.wantEmail ||
				!equalPtr(org.Website, tt.wantWebsite) || org.Logo != nil || *org.CustomerID != "pending_"+org.ID {
				t.Fatalf("answer %v, organization %+v", out, org)
			}
		})
	}
}

// TestRBACOrganizationCreateFromQueryString: without a body, the query string
// carries the parameters, so only "no body and no query" is unparsable.
func TestRBACOrganizationCreateFromQueryString(t *testing.T) {
	ts := rbacServer(t)
	admin := newClient(t, ts, AdminAPIKey)
	var out map[string]string
	admin.do(http.MethodPost, "/organization/?name=Acme&website=https://acme.example", nil).wantOK(t).decode(t, &out)
	if org := admin.getOrg(out["id"]); org.Name != "Acme" || !equalPtr(org.Website, ptr("https://acme.example/")) {
		t.Fatalf("organization %+v", org)
	}
}

func TestRBACOrganizationList(t *testing.T) {
	ts := rbacServer(t)
	own := map[string]string{} // each account's organization of its own
	for _, o := range ts.State().Organizations {
		own[o.Name] = o.ID
	}
	admin, id := orgWithMembers(t, ts, "org_billing_admin", "")
	dev := newClient(t, ts, DevAPIKey)
	ops := newClient(t, ts, OpsAPIKey)
	pendingIn := admin.createOrg("Pending")
	admin.invite(pendingIn, DevEmail, "org_admin")

	// No organization is a bare empty array.
	ops.do(http.MethodDelete, "/organization/?orgId="+own[OpsEmail], nil).wantOK(t)
	ops.do(http.MethodGet, "/organization/", nil).wantBody(t, `[]`)

	list := func(c *apiClient) []string {
		t.Helper()
		var raw []map[string]any
		c.do(http.MethodGet, "/organization", nil).wantOK(t).decode(t, &raw)
		ids := []string{}
		for _, o := range raw {
			wantKeys(t, o, rbacOrganizationKeys)
			oid, _ := o["id"].(string)
			ids = append(ids, oid)
		}
		slices.Sort(ids)
		return ids
	}
	// An org_billing_admin sees the organization; a pending invitee does not.
	if got, want := list(dev), slices.Sorted(slices.Values([]string{own[DevEmail], id})); !slices.Equal(got, want) {
		t.Fatalf("dev lists %v, want %v", got, want)
	}
	if got, want := list(admin), slices.Sorted(slices.Values([]string{own[AdminEmail], id, pendingIn})); !slices.Equal(got, want) {
		t.Fatalf("admin lists %v, want %v", got, want)
	}

	// At most 50, all of the caller's and none twice.
	all := map[string]bool{own[AdminEmail]: true, id: true, pendingIn: true}
	for i := range 50 {
		all[admin.createOrg(fmt.Sprintf("Org %02d", i))] = true
	}
	got := list(admin)
	if len(got) != 50 || len(slices.Compact(slices.Clone(got))) != 50 {
		t.Fatalf("listed %d organizations (%d distinct), want 50 of 53", len(got), len(slices.Compact(slices.Clone(got))))
	}
	for _, o := range got {
		if !all[o] {
			t.Fatalf("listed %s, not one of the caller's", o)
		}
	}
}

// putOrganization sends a PUT and checks the answer: exactly status, id and
// the whole stored row, whose organization object is what a read right
// after answers.
func (c *apiClient) putOrganization(id string, body map[string]any) rbacOrganizationRow {
	c.t.Helper()
	r := c.do(http.MethodPut, "/organization/", body).wantOK(c.t)
	var raw map[string]any
	r.decode(c.t, &raw)
	wantKeys(c.t, raw, []string{"data", "id", "status"})
	data, _ := raw["data"].(map[string]any)
	wantKeys(c.t, data, rbacRowKeys)
	var out struct {
		Status string              `json:"status"`
		ID     string              `json:"id"`
		Data   rbacOrganizationRow `json:"data"`
	}
	r.decode(c.t, &out)
	if out.Status != "Organization updated" || out.ID != id {
		c.t.Fatalf("answer %s", r.body)
	}
	if read := c.getOrg(id); !reflect.DeepEqual(read, out.Data.rbacOrganization) {
		c.t.Fatalf("answer data %+v, read back %+v", out.Data.rbacOrganization, read)
	}
	return out.Data
}

func TestRBACOrganizationUpdate(t *testing.T) {
	clock := newFakeClock()
	ts := NewTestServer(t, Options{Dialect: DialectRBAC, Clock: clock.Now})
	admin, id := orgWithMembers(t, ts, "org_admin", "")
	dev := newClient(t, ts, DevAPIKey)
	created := admin.getOrg(id)
	clock.Advance(time.Hour)

	// An org_admin may update, website included; updated_at stays.
	org := dev.putOrganization(id, map[string]any{"orgId": id, "name": "Renamed", "logo": "https://example.com/l.png",
		"management_email": "billing@example.com", "website": "https://acme.example"})
	if org.Name != "Renamed" || org.ManagementEmail != "billing@example.com" || !equalPtr(org.Logo, ptr("https://example.com/l.png")) ||
		!equalPtr(org.Website, ptr("https://acme.example/")) || org.CreatedAt != created.CreatedAt || org.UpdatedAt != created.UpdatedAt ||
		!equalPtr(org.CustomerID, created.CustomerID) {
		t.Fatalf("organization after update %+v", org)
	}

	// Only the fields present change.
	previous := org
	clock.Advance(time.Hour)
	org = admin.putOrganization(id, map[string]any{"orgId": id, "logo": "  https://example.com/other.png "})
	if org.Name != previous.Name || !equalPtr(org.Website, previous.Website) || !equalPtr(org.Logo, ptr("https://example.com/other.png")) ||
		org.UpdatedAt != created.UpdatedAt {
		t.Fatalf("logo update gave %+v after %+v", org, previous)
	}

	// website null and "" both clear it.
	for _, empty := range []any{nil, "", "  "} {
		admin.putOrganization(id, map[string]any{"orgId": id, "website": "w.example"})
		if got := admin.putOrganization(id, map[string]any{"orgId": id, "website": empty}); got.Website != nil {
			t.Fatalf("website %q after clearing with %#v, want null", *got.Website, empty)
		}
	}
}

func ptr(s string) *string { return &s }

func equalPtr(a, b *string) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}
