package capgo

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// auditServer is a stub of the production API whose organization "org-1" has a log of n entries,
// ids n (the newest) down to 1, served as Capgo pages it: limit capped at maxLimit, pages from 0.
// Every request it gets for another route answers the organization, with its website field.
func auditServer(n, maxLimit int) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.URL.Path != auditLogRoute {
			reply(w, http.StatusOK, `{"id":"org-1","name":"Org","website":null}`)
			return
		}
		q := r.URL.Query()
		page, _ := strconv.Atoi(q.Get("page"))
		limit, _ := strconv.Atoi(q.Get("limit"))
		limit = min(limit, maxLimit)
		data := []map[string]any{}
		for id := n - page*limit; id > max(n-(page+1)*limit, 0); id-- {
			data = append(data, map[string]any{"id": id, "table_name": "org_users", "operation": "INSERT"})
		}
		answer, _ := json.Marshal(map[string]any{"data": data, "total": n, "page": page, "limit": limit})
		reply(w, http.StatusOK, string(answer))
	}
}

// auditRequests are the pages the stub was asked for, as "page/limit".
func auditRequests(s *stub) []string {
	var pages []string
	for _, r := range s.requests() {
		if r.path == auditLogRoute {
			pages = append(pages, r.query["page"][0]+"/"+r.query["limit"][0])
		}
	}
	return pages
}

// The log is read newest first, in pages of 100 (Capgo's most), until Limit entries or its end:
// total tells the end without asking for an empty page.
func TestListAuditLogPages(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		entries, maxLimit, limit int
		wantPages                []string
		wantEntries              int
	}{
		"all of 250":           {250, 100, 0, []string{"0/100", "1/100", "2/100"}, 250},
		"all of 200":           {200, 100, 0, []string{"0/100", "1/100"}, 200},
		"150 of 250":           {250, 100, 150, []string{"0/100", "1/100"}, 150},
		"30 of 250":            {250, 100, 30, []string{"0/30"}, 30},
		"1000 of 250":          {250, 100, 1000, []string{"0/100", "1/100", "2/100"}, 250},
		"empty":                {0, 100, 100, []string{"0/100"}, 0},
		"server pages of 50":   {120, 50, 0, []string{"0/100", "1/100", "2/100"}, 120},
		"exactly one page":     {100, 100, 100, []string{"0/100"}, 100},
		"one more than a page": {101, 100, 0, []string{"0/100", "1/100"}, 101},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			api := newStub(t, auditServer(tc.entries, tc.maxLimit))
			got, err := api.client().ListAuditLog(t.Context(), AuditLogQuery{OrganizationID: "org-1", Limit: tc.limit})
			if err != nil {
				t.Fatal(err)
			}
			if pages := auditRequests(api); !slices.Equal(pages, tc.wantPages) {
				t.Errorf("pages asked for: %v, want %v", pages, tc.wantPages)
			}
			if got == nil || len(got) != tc.wantEntries {
				t.Fatalf("got %d entries (nil: %t), want %d", len(got), got == nil, tc.wantEntries)
			}
			for i, e := range got {
				if want := int64(tc.entries - i); e.ID != want {
					t.Fatalf("entry %d has id %d, want %d: newest first, none twice or left out", i, e.ID, want)
				}
			}
		})
	}
}

// An entry logged between two pages pushes the last entry of a page onto the next, where it is
// not taken twice.
func TestListAuditLogEntryLoggedWhileReading(t *testing.T) {
	t.Parallel()
	api := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.URL.Path != auditLogRoute {
			reply(w, http.StatusOK, `{"id":"org-1","name":"Org","website":null}`)
			return
		}
		// 150 entries when the first page is read, 151 for the second.
		total := 150
		if r.URL.Query().Get("page") == "1" {
			total = 151
		}
		auditServer(total, 100)(w, r, n)
	})
	got, err := api.client().ListAuditLog(t.Context(), AuditLogQuery{OrganizationID: "org-1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 150 || got[0].ID != 150 || got[99].ID != 51 || got[100].ID != 50 || got[149].ID != 1 {
		t.Errorf("got %d entries, from %d to %d: want 150 to 1, each once", len(got), got[0].ID, got[len(got)-1].ID)
	}
}

// The filters go out as the API names them, and only when set.
func TestListAuditLogFilters(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		query                AuditLogQuery
		wantTable, wantOpers []string
	}{
		"none":      {AuditLogQuery{OrganizationID: "org-1"}, nil, nil},
		"table":     {AuditLogQuery{OrganizationID: "org-1", Table: "org_users"}, []string{"org_users"}, nil},
		"operation": {AuditLogQuery{OrganizationID: "org-1", Operation: "DELETE"}, nil, []string{"DELETE"}},
		"both":      {AuditLogQuery{OrganizationID: "org-1", Table: "apps", Operation: "UPDATE"}, []string{"apps"}, []string{"UPDATE"}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			api := newStub(t, auditServer(3, 100))
			if _, err := api.client().ListAuditLog(t.Context(), tc.query); err != nil {
				t.Fatal(err)
			}
			reqs := api.requests()
			audit := reqs[len(reqs)-1]
			if audit.path != auditLogRoute || audit.method != http.MethodGet {
				t.Fatalf("last request %s %s, want GET %s", audit.method, audit.path, auditLogRoute)
			}
			if got := audit.query["orgId"]; !slices.Equal(got, []string{"org-1"}) {
				t.Errorf("orgId = %v", got)
			}
			if got := audit.query["tableName"]; !slices.Equal(got, tc.wantTable) {
				t.Errorf("tableName = %v, want %v", got, tc.wantTable)
			}
			if got := audit.query["operation"]; !slices.Equal(got, tc.wantOpers) {
				t.Errorf("operation = %v, want %v", got, tc.wantOpers)
			}
		})
	}
}

// An entry keeps its records and changed fields as the JSON Capgo sent, null included.
func TestListAuditLogDecodesEntries(t *testing.T) {
	t.Parallel()
	api := newStub(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.URL.Path != auditLogRoute {
			reply(w, http.StatusOK, `{"id":"org-1","name":"Org","website":null}`)
			return
		}
		reply(w, http.StatusOK, `{"data":[{"id":7,"created_at":"2026-11-02T10:00:00Z","table_name":"org_users",
			"record_id":"42","operation":"UPDATE","user_id":"u-1","org_id":"org-1",
			"old_record":{"role":"org_member"},"new_record":{"role":"org_admin"},"changed_fields":["role"],
			"actor_type":"apikey","actor_user_id":"u-2","actor_user_email":"admin@example.com",
			"actor_apikey_id":12,"actor_apikey_name":"terraform"},
			{"id":6,"created_at":"2026-11-01T10:00:00Z","table_name":"orgs","record_id":"org-1","operation":"INSERT",
			"user_id":null,"org_id":"org-1","old_record":null,"new_record":{"name":"Org"},"changed_fields":null,
			"actor_type":"system","actor_user_id":null,"actor_user_email":null,"actor_apikey_id":null,"actor_apikey_name":null}],
			"total":2,"page":0,"limit":100}`)
	})
	got, err := api.client().ListAuditLog(t.Context(), AuditLogQuery{OrganizationID: "org-1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d entries, want 2", len(got))
	}
	update, insert := got[0], got[1]
	if update.ID != 7 || update.RecordID != "42" || update.Operation != "UPDATE" || *update.UserID != "u-1" ||
		update.OrganizationID != "org-1" || update.ActorType != "apikey" || *update.ActorUserEmail != "admin@example.com" ||
		*update.ActorAPIKeyID != 12 || *update.ActorAPIKeyName != "terraform" || *update.ActorUserID != "u-2" {
		t.Errorf("update entry: %+v", update)
	}
	if string(update.OldRecord) != `{"role":"org_member"}` || string(update.NewRecord) != `{"role":"org_admin"}` ||
		string(update.ChangedFields) != `["role"]` {
		t.Errorf("update records: %s, %s, %s", update.OldRecord, update.NewRecord, update.ChangedFields)
	}
	if !isNull(insert.OldRecord) || isNull(insert.NewRecord) || !isNull(insert.ChangedFields) || insert.UserID != nil ||
		insert.ActorUserEmail != nil || insert.ActorAPIKeyID != nil {
		t.Errorf("insert entry: %+v", insert)
	}
}

// Failures: a server without an audit log is sent nothing for it; an organization the key cannot
// see and a refused read come back as KindNotFound; a page that fails fails the whole read.
func TestListAuditLogErrors(t *testing.T) {
	t.Parallel()
	documentedOrg := `{"data":{"id":"org-1","name":"Org","created_by":"u","management_email":"a@example.com"}}`
	refused := `{"error":"invalid_org_id","message":"You can't access this organization","moreInfo":{"org_id":"org-1"}}`
	for name, tc := range map[string]struct {
		handler    func(http.ResponseWriter, *http.Request, int)
		wantErr    error
		wantKind   ErrorKind
		wantAudits int
	}{
		"documented API": {
			handler: answer(http.StatusOK, documentedOrg), wantErr: ErrNoAuditLog, wantAudits: 0,
		},
		"organization not visible": {
			handler: answer(http.StatusBadRequest, refused), wantKind: KindNotFound, wantAudits: 0,
		},
		"read refused": {
			handler: func(w http.ResponseWriter, r *http.Request, n int) {
				if r.URL.Path == auditLogRoute {
					reply(w, http.StatusBadRequest, refused)
					return
				}
				auditServer(1, 100)(w, r, n)
			},
			wantKind: KindNotFound, wantAudits: 1,
		},
		"second page fails": {
			handler: func(w http.ResponseWriter, r *http.Request, n int) {
				if r.URL.Query().Get("page") == "1" {
					reply(w, http.StatusInternalServerError, `{"error":"internal_error","message":"boom"}`)
					return
				}
				auditServer(150, 100)(w, r, n)
			},
			wantKind: KindServerError, wantAudits: 2,
		},
		"unreadable page": {
			handler: func(w http.ResponseWriter, r *http.Request, n int) {
				if r.URL.Path == auditLogRoute {
					reply(w, http.StatusOK, `{"data":"not a list"}`)
					return
				}
				auditServer(1, 100)(w, r, n)
			},
			wantKind: KindUnreachable, wantAudits: 1,
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			api := newStub(t, tc.handler)
			got, err := api.client(noRetries).ListAuditLog(t.Context(), AuditLogQuery{OrganizationID: "org-1"})
			switch {
			case err == nil:
				t.Fatalf("got %d entries, want an error", len(got))
			case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
				t.Errorf("got %v, want %v", err, tc.wantErr)
			case tc.wantErr == nil && KindOf(err) != tc.wantKind:
				t.Errorf("got %v (kind %v), want kind %v", err, KindOf(err), tc.wantKind)
			}
			if got != nil {
				t.Errorf("got %d entries with the error, want none", len(got))
			}
			if n := len(auditRequests(api)); n != tc.wantAudits {
				t.Errorf("%d audit requests, want %d", n, tc.wantAudits)
			}
		})
	}
}

// Against the mock of the production API: an invitation and a removal through the admin's key
// are logged as the key's, newest first; a member without the admin role may not read the log.
// Against the documented API, one read of the organization tells there is no log, then nothing
// more is sent.
func TestListAuditLogAgainstMock(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	ts := mockserver.NewTestServer(t, mockserver.Options{Dialect: mockserver.DialectRBAC})
	admin := keyClient(t, ts, mockserver.AdminAPIKey)
	orgID, err := admin.CreateOrganization(ctx, CreateOrganizationRequest{Name: "Audited"})
	if err != nil {
		t.Fatal(err)
	}
	invite := func(email string) error {
		_, err := admin.AddMember(ctx, AddMemberRequest{OrganizationID: orgID, Email: email, Role: "write"})
		return err
	}
	// Made in this order: a slice literal's elements are evaluated left to right.
	for _, err := range []error{
		invite(mockserver.OpsEmail), admin.RemoveMember(ctx, orgID, mockserver.OpsEmail),
		invite(mockserver.DevEmail), ts.AcceptInvitation(orgID, mockserver.DevEmail),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}

	members, err := keyClient(t, ts, mockserver.AdminAPIKey).ListAuditLog(ctx, AuditLogQuery{OrganizationID: orgID, Table: "org_users", Operation: "DELETE"})
	if err != nil {
		t.Fatal(err)
	}
	if len(members) != 1 || members[0].ActorType != "apikey" || *members[0].ActorUserEmail != mockserver.AdminEmail ||
		isNull(members[0].OldRecord) || !isNull(members[0].NewRecord) {
		t.Errorf("the removal: %+v", members)
	}
	all, err := admin.ListAuditLog(ctx, AuditLogQuery{OrganizationID: orgID, Table: "org_users"})
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, e := range all {
		ops = append(ops, fmt.Sprintf("%s %s", e.Operation, e.ActorType))
	}
	// Newest first: the acceptance in the console, the invitation, the removal, the first
	// invitation, then the creator's own membership.
	if want := []string{"UPDATE user", "INSERT apikey", "DELETE apikey", "INSERT apikey", "INSERT apikey"}; !slices.Equal(ops, want) {
		t.Errorf("org_users entries, newest first: %v, want %v", ops, want)
	}

	if _, err := keyClient(t, ts, mockserver.DevAPIKey).ListAuditLog(ctx, AuditLogQuery{OrganizationID: orgID}); KindOf(err) != KindNotFound {
		t.Errorf("a member without the admin role: got %v, want kind %v", err, KindNotFound)
	}

	docs := mockserver.NewTestServer(t, mockserver.Options{Dialect: mockserver.DialectDocs})
	c := keyClient(t, docs, mockserver.AdminAPIKey)
	docsOrg, err := c.CreateOrganization(ctx, CreateOrganizationRequest{Name: "Docs"})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := c.ListAuditLog(ctx, AuditLogQuery{OrganizationID: docsOrg}); !errors.Is(err, ErrNoAuditLog) {
			t.Fatalf("documented API: got %v, want ErrNoAuditLog", err)
		}
	}
	stats := docs.Stats()
	if stats.ByRoute["GET /organization/audit/"] != 0 || stats.ByRoute["GET /organization/"] != 1 {
		t.Errorf("documented API: requests %v, want one read of the organization and no audit request", stats.ByRoute)
	}
}
