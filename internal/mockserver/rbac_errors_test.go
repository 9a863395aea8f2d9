package mockserver

import (
	"net/http"
	"testing"
)

// rbacFixture is an organization owned by the admin account
// (org_super_admin) with dev an accepted org_admin, ops an accepted
// org_billing_admin, member an accepted org_member whose email has capitals,
// and pending a pending org_super_admin; outsider belongs to no organization.
type rbacFixture struct {
	ts                        *TestServer
	orgID                     string
	member, pending, outsider User
}

func newRBACFixture(t *testing.T) rbacFixture {
	t.Helper()
	ts := rbacServer(t)
	admin, id := orgWithMembers(t, ts, "org_admin", "org_billing_admin")
	f := rbacFixture{
		ts:       ts,
		orgID:    id,
		member:   ts.CreateUser("Member.Mixed@Example.com"),
		pending:  ts.CreateUser("pending@example.com"),
		outsider: ts.CreateUser("outsider@example.com"),
	}
	admin.invite(id, f.member.Email, "org_member")
	if err := ts.AcceptInvitation(id, f.member.Email); err != nil {
		t.Fatal(err)
	}
	admin.invite(id, f.pending.Email, "org_super_admin")
	return f
}

type rbacErrorCase struct {
	name     string
	key      string
	method   string
	path     string
	body     any
	status   int
	code     string
	moreInfo map[string]any // nil: the answer has no moreInfo at all
}

// run sends each request and checks the error, and that the state did not
// change.
func (f rbacFixture) run(t *testing.T, cases []rbacErrorCase) {
	for _, tc := range cases {
		runNoEffect(t, f.ts, tc.name, func(t *testing.T) {
			newClient(t, f.ts, tc.key).do(tc.method, tc.path, tc.body).wantCode(t, tc.status, tc.code, tc.moreInfo)
		})
	}
}

const (
	orgsPath    = "/organization/"
	membersPath = "/organization/members/"
)

// TestRBACErrors covers each row of the error table of README.md 2.2 that
// a request can cause; injected 429 and 5xx are in faults_test.go.
func TestRBACErrors(t *testing.T) {
	f := newRBACFixture(t)
	id := f.orgID
	none := map[string]any{}
	orgID := map[string]any{"org_id": id}
	orgIDMissing := map[string]any{"org_id": "missing"}
	access := map[string]any{"orgId": id}
	accessMissing := map[string]any{"orgId": "missing"}
	refused := func(why string) map[string]any { return map[string]any{"data": why} }
	invite := func(email, inviteType string) map[string]any {
		return map[string]any{"orgId": id, "email": email, "invite_type": inviteType}
	}
	remove := map[string]any{"orgId": id, "email": OpsEmail}
	const (
		get, post, put, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete
		adm, dev, ops       = AdminAPIKey, DevAPIKey, OpsAPIKey
	)
	mem, pend, out := f.member.APIKey, f.pending.APIKey, f.outsider.APIKey
	f.run(t, []rbacErrorCase{
		{"no key", "", get, orgsPath, nil, 401, "no_key_provided", none},
		{"blank key", "  ", get, orgsPath, nil, 401, "no_key_provided", none},
		{"no key with a bad body", "", post, membersPath, rawBody("{"), 401, "no_key_provided", none},
		{"unknown key", "not-a-key", get, orgsPath, nil, 401, "invalid_apikey", none},
		{"unknown key on a removal", "not-a-key", del, membersPath, remove, 401, "invalid_jwt", none},
		{"unknown UUID key on a removal", "0b0e5c1a-7d4f-4a8e-9c21-5e6f7a8b9c0d", del, membersPath, remove, 401, "invalid_apikey", none},
		{"no key on a creation", "", post, orgsPath, map[string]any{"name": "Acme"}, 401, "no_jwt_apikey_or_subkey", none},

		{"create, no body, no query", adm, post, orgsPath, nil, 400, "invalid_json_parse_body", none},
		{"update, no body, no query", adm, put, orgsPath, nil, 400, "invalid_json_parse_body", none},
		{"delete organization, no body, no query", adm, del, orgsPath, nil, 400, "invalid_json_parse_body", none},
		{"invite, no body, no query", adm, post, membersPath, nil, 400, "invalid_json_parse_body", none},
		{"remove, no body, no query", adm, del, membersPath, nil, 400, "invalid_json_parse_body", none},
		{"create with a body that is not JSON", adm, post, orgsPath, rawBody("name=Acme"), 400, "invalid_json_parse_body", none},
		{"create with a JSON array", adm, post, orgsPath, rawBody(`[{"name":"Acme"}]`), 400, "invalid_json_parse_body", none},
		{"create with JSON null", adm, post, orgsPath, rawBody("null"), 400, "invalid_json_parse_body", none},
		{"create with trailing data", adm, post, orgsPath, rawBody(`{"name":"Acme"} {}`), 400, "invalid_json_parse_body", none},
		{"update with truncated JSON", adm, put, orgsPath, rawBody(`{"orgId":`), 400, "invalid_json_parse_body", none},
		{"create with {}", adm, post, orgsPath, map[string]any{}, 400, "invalid_json_parse_body", none},
		{"update with {}", adm, put, orgsPath, rawBody(" { } "), 400, "invalid_json_parse_body", none},
		{"invite with {}", adm, post, membersPath, map[string]any{}, 400, "invalid_json_parse_body", none},
		{"remove with {}", adm, del, membersPath, map[string]any{}, 400, "invalid_json_parse_body", none},
		{"delete organization with {}", adm, del, orgsPath, map[string]any{}, 400, "invalid_json_parse_body", none},
		{"remove with a bad body beside a good query", adm, del, membersPath + "?orgId=" + id + "&email=" + OpsEmail, rawBody("{"), 400, "invalid_json_parse_body", none},

		{"create without name", adm, post, orgsPath, map[string]any{"website": "acme.example"}, 400, "invalid_body", none},
		{"create with a 2-character name", adm, post, orgsPath, map[string]any{"name": "ab"}, 400, "invalid_body", none},
		{"create with 2 characters in 3 bytes", adm, post, orgsPath, map[string]any{"name": "Év"}, 400, "invalid_body", none},
		{"create with 2 characters among blanks", adm, post, orgsPath, map[string]any{"name": "  ab  "}, 400, "invalid_body", none},
		{"create with a name not a string", adm, post, orgsPath, map[string]any{"name": 123}, 400, "invalid_body", none},
		{"create with a bad email", adm, post, orgsPath, map[string]any{"name": "Acme", "email": "nope"}, 400, "invalid_body", none},
		{"create with a null email", adm, post, orgsPath, map[string]any{"name": "Acme", "email": nil}, 400, "invalid_body", none},
		{"create with a website not a string", adm, post, orgsPath, map[string]any{"name": "Acme", "website": 5}, 400, "invalid_body", none},
		{"update without orgId", adm, put, orgsPath, map[string]any{"name": "Acme"}, 400, "invalid_body", none},
		{"update with a name of tags only", adm, put, orgsPath, map[string]any{"orgId": id, "name": " <b></b> "}, 400, "invalid_body", none},
		{"update with an empty name", adm, put, orgsPath, map[string]any{"orgId": id, "name": ""}, 400, "invalid_body", none},
		{"update with a null name", adm, put, orgsPath, map[string]any{"orgId": id, "name": nil}, 400, "invalid_body", none},
		{"update with a bad management_email", adm, put, orgsPath, map[string]any{"orgId": id, "management_email": "nope"}, 400, "invalid_body", none},
		{"update with a logo not a string", adm, put, orgsPath, map[string]any{"orgId": id, "logo": 5}, 400, "invalid_body", none},
		{"update with a website not a string", adm, put, orgsPath, map[string]any{"orgId": id, "website": true}, 400, "invalid_body", none},
		{"delete organization, query without orgId", adm, del, orgsPath + "?id=" + id, nil, 400, "missing_org_id", none},
		{"delete organization, body without orgId", adm, del, orgsPath, map[string]any{"id": id}, 400, "missing_org_id", none},
		{"delete organization, empty orgId", adm, del, orgsPath + "?orgId=", nil, 400, "missing_org_id", none},
		{"list members without orgId", adm, get, membersPath, nil, 400, "invalid_body", none},
		{"invite without orgId", adm, post, membersPath, map[string]any{"email": OpsEmail, "invite_type": "org_member"}, 400, "invalid_body", none},
		{"invite without email", adm, post, membersPath, map[string]any{"orgId": id, "invite_type": "org_member"}, 400, "invalid_body", none},
		{"invite with a bad email", adm, post, membersPath, invite("a@b", "org_member"), 400, "invalid_body", none},
		{"invite without invite_type", adm, post, membersPath, map[string]any{"orgId": id, "email": f.outsider.Email}, 400, "invalid_body", none},
		{"invite with role and no invite_type", adm, post, membersPath, map[string]any{"orgId": id, "email": f.outsider.Email, "role": "org_member"}, 400, "invalid_body", none},
		{"invite with an unknown invite_type", adm, post, membersPath, invite(f.outsider.Email, "owner"), 400, "invalid_body", none},
		{"invite with an upper-case invite_type", adm, post, membersPath, invite(f.outsider.Email, "ADMIN"), 400, "invalid_body", none},
		{"invite with a prefixed rbac role", adm, post, membersPath, invite(f.outsider.Email, "invite_org_member"), 400, "invalid_body", none},
		{"invite with an invite_type not a string", adm, post, membersPath, map[string]any{"orgId": id, "email": f.outsider.Email, "invite_type": 1}, 400, "invalid_body", none},
		{"remove without orgId", adm, del, membersPath, map[string]any{"email": OpsEmail}, 400, "invalid_body", none},
		{"remove without email", adm, del, membersPath, map[string]any{"orgId": id}, 400, "invalid_body", none},
		{"remove with a bad email in the query", adm, del, membersPath + "?orgId=" + id + "&email=x", nil, 400, "invalid_body", none},

		{"get an unknown organization", adm, get, orgsPath + "?orgId=missing", nil, 400, "invalid_org_id", orgIDMissing},
		{"get as outsider", out, get, orgsPath + "?orgId=" + id, nil, 400, "invalid_org_id", orgID},
		{"get as pending invitee", pend, get, orgsPath + "?orgId=" + id, nil, 400, "invalid_org_id", orgID},

		{"update an unknown organization", adm, put, orgsPath, map[string]any{"orgId": "missing", "name": "Acme"}, 400, "cannot_access_organization", accessMissing},
		{"update as org_member", mem, put, orgsPath, map[string]any{"orgId": id, "name": "Acme"}, 400, "cannot_access_organization", access},
		{"update as org_billing_admin", ops, put, orgsPath, map[string]any{"orgId": id, "name": "Acme"}, 400, "cannot_access_organization", access},
		{"update as pending org_super_admin", pend, put, orgsPath, map[string]any{"orgId": id, "name": "Acme"}, 400, "cannot_access_organization", access},
		{"update as outsider", out, put, orgsPath, map[string]any{"orgId": id, "name": "Acme"}, 400, "cannot_access_organization", access},
		{"list members of an unknown organization", adm, get, membersPath + "?orgId=missing", nil, 400, "cannot_access_organization", accessMissing},
		{"list members as org_billing_admin", ops, get, membersPath + "?orgId=" + id, nil, 400, "cannot_access_organization", access},
		{"list members as pending invitee", pend, get, membersPath + "?orgId=" + id, nil, 400, "cannot_access_organization", access},
		{"list members as outsider", out, get, membersPath + "?orgId=" + id, nil, 400, "cannot_access_organization", access},
		{"invite to an unknown organization", adm, post, membersPath, map[string]any{"orgId": "missing", "email": f.outsider.Email, "invite_type": "org_member"}, 400, "cannot_access_organization", accessMissing},
		{"invite as org_member", mem, post, membersPath, invite(f.outsider.Email, "org_member"), 400, "cannot_access_organization", access},
		{"invite as org_billing_admin", ops, post, membersPath, invite(f.outsider.Email, "org_member"), 400, "cannot_access_organization", access},
		{"invite as pending org_super_admin", pend, post, membersPath, invite(f.outsider.Email, "org_member"), 400, "cannot_access_organization", access},
		{"remove from an unknown organization", adm, del, membersPath, map[string]any{"orgId": "missing", "email": OpsEmail}, 400, "cannot_access_organization", accessMissing},
		{"remove as org_member", mem, del, membersPath, remove, 400, "cannot_access_organization", access},
		{"remove as org_billing_admin", ops, del, membersPath, map[string]any{"orgId": id, "email": f.member.Email}, 400, "cannot_access_organization", access},

		{"delete organization as org_admin", dev, del, orgsPath, map[string]any{"orgId": id}, 403, "invalid_org_id", orgID},
		{"delete organization as org_member", mem, del, orgsPath + "?orgId=" + id, nil, 403, "invalid_org_id", orgID},
		{"delete organization as org_billing_admin", ops, del, orgsPath, map[string]any{"orgId": id}, 403, "invalid_org_id", orgID},
		{"delete organization as pending org_super_admin", pend, del, orgsPath, map[string]any{"orgId": id}, 403, "invalid_org_id", orgID},
		{"delete organization as outsider", out, del, orgsPath, map[string]any{"orgId": id}, 403, "invalid_org_id", orgID},
		{"delete an unknown organization", adm, del, orgsPath + "?orgId=missing", nil, 403, "invalid_org_id", orgIDMissing},

		{"invite an accepted member with the same role", adm, post, membersPath, invite(f.member.Email, "org_member"), 400, "error_inviting_user_to_organization", refused("ALREADY_INVITED")},
		{"invite an accepted member with another role", adm, post, membersPath, invite(f.member.Email, "org_admin"), 400, "error_inviting_user_to_organization", refused("ALREADY_INVITED")},
		{"invite a pending invitee with another role", adm, post, membersPath, invite(f.pending.Email, "org_member"), 400, "error_inviting_user_to_organization", refused("ALREADY_INVITED")},
		{"invite oneself", adm, post, membersPath, invite(AdminEmail, "org_super_admin"), 400, "error_inviting_user_to_organization", refused("ALREADY_INVITED")},
		{"invite a higher member with a lower role", dev, post, membersPath, invite(AdminEmail, "read"), 400, "error_inviting_user_to_organization", refused("ALREADY_INVITED")},
		{"invite an email without account", adm, post, membersPath, invite("nobody@example.com", "org_member"), 400, "error_inviting_user_to_organization", refused("NO_EMAIL")},
		{"invite another case of an account", adm, post, membersPath, invite("OUTSIDER@example.com", "org_member"), 400, "error_inviting_user_to_organization", refused("NO_EMAIL")},
		{"invite another case of a member", adm, post, membersPath, invite("member.mixed@example.com", "org_member"), 400, "error_inviting_user_to_organization", refused("NO_EMAIL")},
		{"org_admin invites an org_super_admin", dev, post, membersPath, invite(f.outsider.Email, "org_super_admin"), 400, "error_inviting_user_to_organization", refused("NO_RIGHTS")},
		{"org_admin invites a super_admin", dev, post, membersPath, invite(f.outsider.Email, "super_admin"), 400, "error_inviting_user_to_organization", refused("NO_RIGHTS")},
		{"org_admin invites an invite_super_admin", dev, post, membersPath, invite(f.outsider.Email, "invite_super_admin"), 400, "error_inviting_user_to_organization", refused("NO_RIGHTS")},

		{"remove an email without account", adm, del, membersPath, map[string]any{"orgId": id, "email": "nobody@example.com"}, 404, "user_not_found", none},
		{"remove another case of a member", adm, del, membersPath, map[string]any{"orgId": id, "email": "member.mixed@example.com"}, 404, "user_not_found", none},
		{"remove an account never invited", adm, del, membersPath, map[string]any{"orgId": id, "email": f.outsider.Email}, 404, "organization_member_not_found",
			map[string]any{"orgId": id, "email": f.outsider.Email}},

		{"org_admin removes the org_super_admin", dev, del, membersPath, map[string]any{"orgId": id, "email": AdminEmail}, 403, "cannot_delete_higher_priority_role", none},

		{"unknown route", adm, get, "/nope", nil, 404, "not_found", nil},
		{"unknown route without key", "", get, "/organization/nope/", nil, 404, "not_found", nil},
		{"unknown method", adm, http.MethodPatch, orgsPath, map[string]any{"orgId": id}, 404, "not_found", nil},
		{"method a route does not have", adm, put, membersPath, invite(OpsEmail, "org_member"), 404, "not_found", nil},
	})
}

// TestRBACCheckOrder gives each request two faults: the one checked first
// wins. The order is that of docs (README.md 1.9), then the refusals of an
// invitation and a removal in the order doc.go gives.
func TestRBACCheckOrder(t *testing.T) {
	f := newRBACFixture(t)
	id := f.orgID
	none := map[string]any{}
	f.run(t, []rbacErrorCase{
		{"body before orgId", AdminAPIKey, http.MethodPost, membersPath, rawBody("[]"), 400, "invalid_json_parse_body", none},
		{"fields before organization", AdminAPIKey, http.MethodPost, membersPath, map[string]any{"orgId": "missing", "email": OpsEmail, "invite_type": "boss"}, 400, "invalid_body", none},
		{"organization before rank", DevAPIKey, http.MethodPost, membersPath, map[string]any{"orgId": "missing", "email": "nobody@example.com", "invite_type": "org_super_admin"}, 400, "cannot_access_organization", map[string]any{"orgId": "missing"}},
		{"rights before rank", f.member.APIKey, http.MethodPost, membersPath, map[string]any{"orgId": id, "email": f.outsider.Email, "invite_type": "org_super_admin"}, 400, "cannot_access_organization", map[string]any{"orgId": id}},
		{"rank before account", DevAPIKey, http.MethodPost, membersPath, map[string]any{"orgId": id, "email": "nobody@example.com", "invite_type": "org_super_admin"}, 400, "error_inviting_user_to_organization", map[string]any{"data": "NO_RIGHTS"}},
		{"rank before membership", DevAPIKey, http.MethodPost, membersPath, map[string]any{"orgId": id, "email": AdminEmail, "invite_type": "org_super_admin"}, 400, "error_inviting_user_to_organization", map[string]any{"data": "NO_RIGHTS"}},

		{"remove: email before organization", AdminAPIKey, http.MethodDelete, membersPath, map[string]any{"orgId": "missing", "email": "bad"}, 400, "invalid_body", none},
		{"remove: rights before account", f.member.APIKey, http.MethodDelete, membersPath, map[string]any{"orgId": id, "email": "nobody@example.com"}, 400, "cannot_access_organization", map[string]any{"orgId": id}},
		{"remove: account before rank", DevAPIKey, http.MethodDelete, membersPath, map[string]any{"orgId": id, "email": "ADMIN@example.com"}, 404, "user_not_found", none},

		{"update: name before organization", AdminAPIKey, http.MethodPut, orgsPath, map[string]any{"orgId": "missing", "name": "<i></i>"}, 400, "invalid_body", none},
		{"update: organization before rights", f.member.APIKey, http.MethodPut, orgsPath, map[string]any{"orgId": "missing"}, 400, "cannot_access_organization", map[string]any{"orgId": "missing"}},
		{"delete: orgId before rights", DevAPIKey, http.MethodDelete, orgsPath, map[string]any{"orgId": ""}, 400, "missing_org_id", none},
	})
}
