package mockserver

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

// errorFixture is an organization owned by the admin account, with dev an
// accepted write member and ops a pending admin, plus an account that
// belongs to no organization.
type errorFixture struct {
	ts       *TestServer
	orgID    string
	outsider User
}

func newErrorFixture(t *testing.T) errorFixture {
	ts := NewTestServer(t, Options{})
	admin, id := orgWithMembers(t, ts, "write", "")
	admin.setMember(id, OpsEmail, "admin")
	return errorFixture{ts: ts, orgID: id, outsider: ts.CreateUser("outsider@example.com")}
}

type errorCase struct {
	name    string
	key     string
	method  string
	path    string
	body    any
	status  int
	message string
}

// run sends each request and checks the error, and that the state did not
// change: an error has no effect.
func (f errorFixture) run(t *testing.T, cases []errorCase) {
	for _, tc := range cases {
		runNoEffect(t, f.ts, tc.name, func(t *testing.T) {
			newClient(t, f.ts, tc.key).do(tc.method, tc.path, tc.body).wantError(t, tc.status, tc.message)
		})
	}
}

// TestErrors covers each row of the error table of README.md 1.2 that a
// request can cause; injected 429 and 500 are in faults_test.go.
func TestErrors(t *testing.T) {
	f := newErrorFixture(t)
	id := f.orgID
	const (
		orgs    = "/organization/"
		members = "/organization/members/"
	)
	member := func(email, role string) map[string]string {
		return map[string]string{"orgId": id, "email": email, "role": role}
	}
	f.run(t, []errorCase{
		{"no key", "", http.MethodGet, orgs, nil, 401, "Invalid API key"},
		{"unknown key", "not-a-key", http.MethodGet, orgs, nil, 401, "Invalid API key"},
		{"no key with a bad body", "", http.MethodPost, members, rawBody("{"), 401, "Invalid API key"},

		{"create without name", AdminAPIKey, http.MethodPost, orgs, map[string]any{}, 400, "Name is required"},
		{"create with blank name", AdminAPIKey, http.MethodPost, orgs, map[string]any{"name": "  "}, 400, "Name is required"},
		{"create with a name not a string", AdminAPIKey, http.MethodPost, orgs, map[string]any{"name": 42}, 400, "Name is required"},
		{"update with blank name", AdminAPIKey, http.MethodPut, orgs, map[string]any{"orgId": id, "name": ""}, 400, "Name is required"},
		{"update with null name", AdminAPIKey, http.MethodPut, orgs, map[string]any{"orgId": id, "name": nil}, 400, "Name is required"},

		{"list members without orgId", AdminAPIKey, http.MethodGet, members, nil, 400, "orgId is required"},
		{"update without orgId", AdminAPIKey, http.MethodPut, orgs, map[string]any{"name": "x"}, 400, "orgId is required"},
		{"delete organization without orgId", AdminAPIKey, http.MethodDelete, orgs, nil, 400, "orgId is required"},
		{"add member without orgId", AdminAPIKey, http.MethodPost, members, map[string]any{"email": DevEmail, "role": "read"}, 400, "orgId is required"},
		{"add member with blank orgId", AdminAPIKey, http.MethodPost, members, map[string]any{"orgId": "", "email": DevEmail, "role": "read"}, 400, "orgId is required"},
		{"remove member without orgId", AdminAPIKey, http.MethodDelete, members, map[string]any{"email": DevEmail}, 400, "orgId is required"},

		{"add member without email", AdminAPIKey, http.MethodPost, members, map[string]any{"orgId": id, "role": "read"}, 400, "Invalid email format"},
		{"add member, no @", AdminAPIKey, http.MethodPost, members, member("not-an-email", "read"), 400, "Invalid email format"},
		{"add member, no domain dot", AdminAPIKey, http.MethodPost, members, member("a@b", "read"), 400, "Invalid email format"},
		{"add member, space", AdminAPIKey, http.MethodPost, members, member("a b@example.com", "read"), 400, "Invalid email format"},
		{"add member, two @", AdminAPIKey, http.MethodPost, members, member("a@b@example.com", "read"), 400, "Invalid email format"},
		{"remove member without email", AdminAPIKey, http.MethodDelete, members, map[string]any{"orgId": id}, 400, "Invalid email format"},
		{"remove member, bad email in query", AdminAPIKey, http.MethodDelete, members + "?orgId=" + id + "&email=x", nil, 400, "Invalid email format"},
		{"update with bad management_email", AdminAPIKey, http.MethodPut, orgs, map[string]any{"orgId": id, "management_email": "nope"}, 400, "Invalid email format"},
		{"update with null management_email", AdminAPIKey, http.MethodPut, orgs, map[string]any{"orgId": id, "management_email": nil}, 400, "Invalid email format"},

		{"add member without role", AdminAPIKey, http.MethodPost, members, map[string]any{"orgId": id, "email": OpsEmail}, 400, "Invalid role specified"},
		{"add member with invite_ role", AdminAPIKey, http.MethodPost, members, member(OpsEmail, "invite_read"), 400, "Invalid role specified"},
		{"add member with unknown role", AdminAPIKey, http.MethodPost, members, member(OpsEmail, "owner"), 400, "Invalid role specified"},
		{"add member with upper-case role", AdminAPIKey, http.MethodPost, members, member(OpsEmail, "ADMIN"), 400, "Invalid role specified"},
		{"add member with rbac role", AdminAPIKey, http.MethodPost, members, member(OpsEmail, "org_admin"), 400, "Invalid role specified"},

		{"update by a write member", DevAPIKey, http.MethodPut, orgs, map[string]any{"orgId": id, "name": "x"}, 403, "Admin role required"},
		{"delete organization by a write member", DevAPIKey, http.MethodDelete, orgs, map[string]any{"orgId": id}, 403, "Admin role required"},

		{"add member by a write member", DevAPIKey, http.MethodPost, members, member(f.outsider.Email, "read"), 403, "Insufficient permissions to manage members"},
		{"remove member by a write member", DevAPIKey, http.MethodDelete, members, map[string]any{"orgId": id, "email": OpsEmail}, 403, "Insufficient permissions to manage members"},

		{"get unknown organization", AdminAPIKey, http.MethodGet, orgs + "?orgId=missing", nil, 404, "Organization not found"},
		{"get organization as outsider", f.outsider.APIKey, http.MethodGet, orgs + "?orgId=" + id, nil, 404, "Organization not found"},
		{"list members as outsider", f.outsider.APIKey, http.MethodGet, members + "?orgId=" + id, nil, 404, "Organization not found"},
		{"list members of unknown organization", AdminAPIKey, http.MethodGet, members + "?orgId=missing", nil, 404, "Organization not found"},
		{"update unknown organization", AdminAPIKey, http.MethodPut, orgs, map[string]any{"orgId": "missing", "name": "x"}, 404, "Organization not found"},
		{"update as outsider", f.outsider.APIKey, http.MethodPut, orgs, map[string]any{"orgId": id, "name": "x"}, 404, "Organization not found"},
		{"delete unknown organization", AdminAPIKey, http.MethodDelete, orgs + "?orgId=missing", nil, 404, "Organization not found"},
		{"add member to unknown organization", AdminAPIKey, http.MethodPost, members, map[string]any{"orgId": "missing", "email": OpsEmail, "role": "read"}, 404, "Organization not found"},
		{"remove member of unknown organization", AdminAPIKey, http.MethodDelete, members, map[string]any{"orgId": "missing", "email": OpsEmail}, 404, "Organization not found"},

		{"add member without account", AdminAPIKey, http.MethodPost, members, member("nobody@example.com", "read"), 404, "User not found"},
		{"remove someone never invited", AdminAPIKey, http.MethodDelete, members, map[string]any{"orgId": id, "email": f.outsider.Email}, 404, "Member not found"},
		{"remove an email without account", AdminAPIKey, http.MethodDelete, members, map[string]any{"orgId": id, "email": "nobody@example.com"}, 404, "Member not found"},

		{"add accepted member with the same role", AdminAPIKey, http.MethodPost, members, member(DevEmail, "write"), 409, "Member already exists in organization"},
		{"add pending member with the same role", AdminAPIKey, http.MethodPost, members, member(OpsEmail, "admin"), 409, "Member already exists in organization"},

		{"remove the last super_admin", AdminAPIKey, http.MethodDelete, members, map[string]any{"orgId": id, "email": AdminEmail}, 400, "Cannot remove the last admin from the organization"},
		{"demote the last super_admin", AdminAPIKey, http.MethodPost, members, member(AdminEmail, "admin"), 400, "Cannot remove the last admin from the organization"},

		{"create with a body that is not JSON", AdminAPIKey, http.MethodPost, orgs, rawBody("name=Acme"), 400, "Invalid JSON body"},
		{"create with an empty body", AdminAPIKey, http.MethodPost, orgs, nil, 400, "Invalid JSON body"},
		{"create with a JSON array", AdminAPIKey, http.MethodPost, orgs, rawBody(`[{"name":"Acme"}]`), 400, "Invalid JSON body"},
		{"create with JSON null", AdminAPIKey, http.MethodPost, orgs, rawBody("null"), 400, "Invalid JSON body"},
		{"create with trailing data", AdminAPIKey, http.MethodPost, orgs, rawBody(`{"name":"Acme"} {}`), 400, "Invalid JSON body"},
		{"update with truncated JSON", AdminAPIKey, http.MethodPut, orgs, rawBody(`{"orgId":`), 400, "Invalid JSON body"},
		{"update with a logo not a string", AdminAPIKey, http.MethodPut, orgs, map[string]any{"orgId": id, "logo": 5}, 400, "Invalid JSON body"},
		{"add member with a JSON string", AdminAPIKey, http.MethodPost, members, rawBody(`"hello"`), 400, "Invalid JSON body"},
		{"remove member with a bad body", AdminAPIKey, http.MethodDelete, members + "?orgId=" + id + "&email=" + DevEmail, rawBody("{"), 400, "Invalid JSON body"},
		{"delete organization with a bad body", AdminAPIKey, http.MethodDelete, orgs, rawBody("[]"), 400, "Invalid JSON body"},

		{"unknown route", AdminAPIKey, http.MethodGet, "/nope", nil, 404, "Not found"},
		{"unknown route without key", "", http.MethodGet, "/organization/nope/", nil, 404, "Not found"},
		{"unknown method", AdminAPIKey, http.MethodPatch, orgs, map[string]any{"orgId": id}, 404, "Not found"},
		{"method a route does not have", AdminAPIKey, http.MethodPut, members, member(DevEmail, "read"), 404, "Not found"},
	})
}

// TestTooLargeBodyIsInvalid calls the handler directly: over a real
// connection the server would also close it, which costs the test half a
// second of lingering for nothing more to check.
func TestTooLargeBodyIsInvalid(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(dialect, func(t *testing.T) {
			srv, err := New(Options{Dialect: dialect})
			if err != nil {
				t.Fatal(err)
			}
			big := append([]byte(`{"name":"Acme"}`), bytes.Repeat([]byte(" "), maxBodyBytes)...)
			req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/organization/", bytes.NewReader(big))
			req.Header.Set("authorization", AdminAPIKey)
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			r := response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
			if dialect == DialectRBAC {
				r.wantCode(t, 400, "invalid_json_parse_body", map[string]any{})
			} else {
				r.wantError(t, 400, "Invalid JSON body")
			}
		})
	}
}

// TestMemberCheckOrder gives each request two faults: the one that comes
// first in README.md 1.9 (and the same order for the other routes) wins.
func TestMemberCheckOrder(t *testing.T) {
	f := newErrorFixture(t)
	id := f.orgID
	const members = "/organization/members/"
	f.run(t, []errorCase{
		{"key before body", "", http.MethodPost, members, rawBody("["), 401, "Invalid API key"},
		{"body before orgId", AdminAPIKey, http.MethodPost, members, rawBody("[]"), 400, "Invalid JSON body"},
		{"orgId before email", AdminAPIKey, http.MethodPost, members, map[string]any{"email": "bad", "role": "bad"}, 400, "orgId is required"},
		{"email before role", AdminAPIKey, http.MethodPost, members, map[string]any{"orgId": "missing", "email": "bad", "role": "bad"}, 400, "Invalid email format"},
		{"role before organization", AdminAPIKey, http.MethodPost, members, map[string]any{"orgId": "missing", "email": "nobody@example.com", "role": "bad"}, 400, "Invalid role specified"},
		{"organization before account", AdminAPIKey, http.MethodPost, members, map[string]any{"orgId": "missing", "email": "nobody@example.com", "role": "read"}, 404, "Organization not found"},
		{"rights before account", DevAPIKey, http.MethodPost, members, map[string]any{"orgId": id, "email": "nobody@example.com", "role": "read"}, 403, "Insufficient permissions to manage members"},
		{"rights before conflict", DevAPIKey, http.MethodPost, members, map[string]any{"orgId": id, "email": DevEmail, "role": "write"}, 403, "Insufficient permissions to manage members"},

		{"remove: orgId before email", AdminAPIKey, http.MethodDelete, members, map[string]any{"email": "bad"}, 400, "orgId is required"},
		{"remove: email before organization", AdminAPIKey, http.MethodDelete, members, map[string]any{"orgId": "missing", "email": "bad"}, 400, "Invalid email format"},
		{"remove: rights before member", DevAPIKey, http.MethodDelete, members, map[string]any{"orgId": id, "email": "nobody@example.com"}, 403, "Insufficient permissions to manage members"},

		{"update: name before organization", AdminAPIKey, http.MethodPut, "/organization/", map[string]any{"orgId": "missing", "name": " "}, 400, "Name is required"},
		{"update: email before organization", AdminAPIKey, http.MethodPut, "/organization/", map[string]any{"orgId": "missing", "management_email": "bad"}, 400, "Invalid email format"},
		{"update: organization before rights", DevAPIKey, http.MethodPut, "/organization/", map[string]any{"orgId": "missing"}, 404, "Organization not found"},
	})
}
