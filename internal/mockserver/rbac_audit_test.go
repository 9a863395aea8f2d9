package mockserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"testing"
	"time"
)

const auditPath = "/organization/audit/"

// auditEntryKeys are the JSON names of an audit entry.
var auditEntryKeys = []string{"actor_apikey_id", "actor_apikey_name", "actor_type", "actor_user_email", "actor_user_id",
	"changed_fields", "created_at", "id", "new_record", "old_record", "operation", "org_id", "record_id", "table_name", "user_id"}

// auditPage is an answer of GET /organization/audit.
type auditPage struct {
	Data  []auditEntry `json:"data"`
	Total int          `json:"total"`
	Page  int          `json:"page"`
	Limit int          `json:"limit"`
}

// audit reads a page of the audit log, checking the JSON names on the way.
func (c *apiClient) audit(orgID, query string) auditPage {
	c.t.Helper()
	r := c.do(http.MethodGet, auditPath+"?orgId="+orgID+query, nil).wantOK(c.t)
	var raw struct {
		Data []map[string]json.RawMessage `json:"data"`
	}
	var names map[string]json.RawMessage
	r.decode(c.t, &names)
	wantKeys(c.t, names, []string{"data", "limit", "page", "total"})
	r.decode(c.t, &raw)
	for _, e := range raw.Data {
		wantKeys(c.t, e, auditEntryKeys)
	}
	var page auditPage
	r.decode(c.t, &page)
	return page
}

// TestRBACAuditRecordsTheWrites: each write of the API, and an invitation
// accepted in the console, leaves an entry, newest first; an update that
// changes nothing leaves none.
func TestRBACAuditRecordsTheWrites(t *testing.T) {
	clock := newFakeClock()
	ts := NewTestServer(t, Options{Dialect: DialectRBAC, Clock: clock.Now})
	admin := newClient(t, ts, AdminAPIKey)
	state := ts.State()
	adminUID, devUID := state.Users[0].UID, state.Users[1].UID
	id := admin.createOrg("Acme")
	clock.Advance(time.Second)
	admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": id, "name": "Renamed", "website": "acme.example"}).wantOK(t)
	admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": id, "name": "Renamed"}).wantOK(t) // no change
	clock.Advance(time.Second)
	admin.invite(id, DevEmail, "org_admin")
	if err := ts.AcceptInvitation(id, DevEmail); err != nil {
		t.Fatal(err)
	}
	newClient(t, ts, DevAPIKey).do(http.MethodDelete, membersPath, map[string]string{"orgId": id, "email": DevEmail}).wantOK(t)

	page := admin.audit(id, "")
	if page.Total != 6 || page.Page != 0 || page.Limit != 50 || len(page.Data) != 6 {
		t.Fatalf("page %+v, want the 6 entries", page)
	}
	type summary struct{ table, operation, record, user, actorType string }
	var got []summary
	for _, e := range page.Data {
		got = append(got, summary{e.TableName, e.Operation, e.RecordID, e.UserID, e.ActorType})
	}
	// A membership is recorded by its numeric id, the same through its life.
	devMembership, adminMembership := page.Data[0].RecordID, page.Data[4].RecordID
	if _, err := strconv.ParseInt(devMembership, 10, 64); err != nil || devMembership == adminMembership {
		t.Fatalf("membership record ids %q and %q, want two numbers", devMembership, adminMembership)
	}
	want := []summary{
		{"org_users", "DELETE", devMembership, devUID, "apikey"},
		{"org_users", "UPDATE", devMembership, devUID, "user"},
		{"org_users", "INSERT", devMembership, adminUID, "apikey"},
		{"orgs", "UPDATE", id, adminUID, "apikey"},
		{"org_users", "INSERT", adminMembership, adminUID, "apikey"},
		{"orgs", "INSERT", id, adminUID, "apikey"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("entries\n%+v\nwant\n%+v", got, want)
	}
	for i, e := range page.Data {
		if e.OrgID != id || (i > 0 && e.ID >= page.Data[i-1].ID) {
			t.Fatalf("entry %d %+v: want this organization's, newest first", i, e)
		}
	}

	update := page.Data[3]
	if !reflect.DeepEqual(update.ChangedFields, []string{"name", "website"}) || update.OldRecord["name"] != "Acme" ||
		update.NewRecord["name"] != "Renamed" || update.NewRecord["website"] != "https://acme.example/" ||
		update.CreatedAt != "2026-11-02T09:00:01.000000Z" {
		t.Fatalf("update entry %+v", update)
	}
	created := page.Data[5]
	if created.OldRecord != nil || created.NewRecord["id"] != id || created.ChangedFields != nil ||
		*created.ActorUserID != adminUID || *created.ActorUserEmail != AdminEmail || created.ActorAPIKeyID == nil || *created.ActorAPIKeyName != "default" {
		t.Fatalf("creation entry %+v", created)
	}
	accepted := page.Data[1]
	if accepted.OldRecord["is_tmp"] != true || accepted.NewRecord["is_tmp"] != false || accepted.NewRecord["role"] != "org_admin" ||
		!reflect.DeepEqual(accepted.ChangedFields, []string{"is_tmp"}) || accepted.ActorAPIKeyID != nil || accepted.ActorAPIKeyName != nil {
		t.Fatalf("acceptance entry %+v", accepted)
	}
	removed := page.Data[0]
	if removed.NewRecord != nil || removed.OldRecord["email"] != DevEmail || *removed.ActorUserEmail != DevEmail {
		t.Fatalf("removal entry %+v", removed)
	}
}

// TestRBACAuditPagingAndFilters: page (from 0) and limit (50 by default, at
// most 100) page the matching entries; tableName and operation filter them.
func TestRBACAuditPagingAndFilters(t *testing.T) {
	ts := rbacServer(t)
	admin := newClient(t, ts, AdminAPIKey)
	id := admin.createOrg("Acme") // 2 entries
	for i := range 120 {
		admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": id, "name": fmt.Sprintf("Name %03d", i)}).wantOK(t)
	}
	updates := func(p auditPage) []string {
		var names []string
		for _, e := range p.Data {
			name, _ := e.NewRecord["name"].(string)
			names = append(names, name)
		}
		return names
	}
	if p := admin.audit(id, ""); p.Total != 122 || p.Limit != 50 || len(p.Data) != 50 || updates(p)[0] != "Name 119" {
		t.Fatalf("first page: total %d limit %d, %d entries, newest %v", p.Total, p.Limit, len(p.Data), updates(p)[:1])
	}
	if p := admin.audit(id, "&limit=500"); p.Limit != 100 || len(p.Data) != 100 {
		t.Fatalf("limit 500 gave limit %d and %d entries, want 100", p.Limit, len(p.Data))
	}
	if p := admin.audit(id, "&page=2&limit=50"); p.Page != 2 || len(p.Data) != 22 || updates(p)[19] != "Name 000" {
		t.Fatalf("last page %+v", updates(p))
	}
	if p := admin.audit(id, "&page=9"); p.Total != 122 || len(p.Data) != 0 || p.Data == nil {
		t.Fatalf("a page past the end: %+v", p)
	}
	if p := admin.audit(id, "&operation=INSERT"); p.Total != 2 {
		t.Fatalf("%d inserts, want 2", p.Total)
	}
	if p := admin.audit(id, "&tableName=org_users"); p.Total != 1 || p.Data[0].Operation != "INSERT" {
		t.Fatalf("org_users entries %+v", p.Data)
	}
	if p := admin.audit(id, "&tableName=orgs&operation=UPDATE&limit=3&page=1"); p.Total != 120 || len(p.Data) != 3 || updates(p)[0] != "Name 116" {
		t.Fatalf("filtered page %v of %d", updates(p), p.Total)
	}
	for _, query := range []string{"&page=-1", "&page=x", "&limit=0", "&limit=ten", "&operation=insert", "&operation=SELECT"} {
		admin.do(http.MethodGet, auditPath+"?orgId="+id+query, nil).wantCode(t, 400, "invalid_body", map[string]any{})
	}
	admin.do(http.MethodGet, auditPath, nil).wantCode(t, 400, "invalid_body", map[string]any{})
}

// TestRBACAuditForAdminsOnly: org_admin and org_super_admin read the log;
// anyone else, and an unknown organization, get invalid_org_id. Dialect docs
// has no such route.
func TestRBACAuditForAdminsOnly(t *testing.T) {
	f := newRBACFixture(t)
	orgID := map[string]any{"org_id": f.orgID}
	for name, key := range map[string]string{
		"org_billing_admin": OpsAPIKey, "org_member": f.member.APIKey, "pending org_super_admin": f.pending.APIKey, "outsider": f.outsider.APIKey,
	} {
		t.Run(name, func(t *testing.T) {
			newClient(t, f.ts, key).do(http.MethodGet, auditPath+"?orgId="+f.orgID, nil).wantCode(t, 400, "invalid_org_id", orgID)
		})
	}
	newClient(t, f.ts, AdminAPIKey).do(http.MethodGet, auditPath+"?orgId=missing", nil).wantCode(t, 400, "invalid_org_id", map[string]any{"org_id": "missing"})
	if p := newClient(t, f.ts, DevAPIKey).audit(f.orgID, ""); p.Total == 0 {
		t.Fatal("the org_admin reads an empty log")
	}

	docs := NewTestServer(t, Options{})
	newClient(t, docs, AdminAPIKey).do(http.MethodGet, auditPath+"?orgId=x", nil).wantError(t, 404, "Not found")
}

// TestRBACAuditGoesWithTheOrganization: a deleted organization's log is gone
// with it, and a new organization starts with a log of its own.
func TestRBACAuditGoesWithTheOrganization(t *testing.T) {
	ts := rbacServer(t)
	admin := newClient(t, ts, AdminAPIKey)
	id := admin.createOrg("Acme")
	admin.do(http.MethodDelete, orgsPath+"?orgId="+id, nil).wantOK(t)
	admin.do(http.MethodGet, auditPath+"?orgId="+id, nil).wantCode(t, 400, "invalid_org_id", map[string]any{"org_id": id})
	other := admin.createOrg("Other")
	if p := admin.audit(other, ""); p.Total != 2 || p.Data[0].OrgID != other {
		t.Fatalf("new organization's log %+v", p)
	}
}
