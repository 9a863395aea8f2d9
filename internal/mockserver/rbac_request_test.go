package mockserver

import (
	"net/http"
	"net/url"
	"testing"
)

// TestRBACEmptyObjectIsNoBody: {} is no body at all, so the query string
// is read instead, and with none the request is unparsable.
func TestRBACEmptyObjectIsNoBody(t *testing.T) {
	ts := rbacServer(t)
	admin := newClient(t, ts, AdminAPIKey)
	var out map[string]string
	admin.do(http.MethodPost, "/organization/?name=FromQuery", map[string]any{}).wantOK(t).decode(t, &out)
	if org := admin.getOrg(out["id"]); org.Name != "FromQuery" {
		t.Fatalf("name %q, want the query's", org.Name)
	}
	runNoEffect(t, ts, "no query", func(t *testing.T) {
		admin.do(http.MethodPost, "/organization/", map[string]any{}).wantCode(t, 400, "invalid_json_parse_body", map[string]any{})
	})
}

// TestRBACBodyWinsOverQueryWithoutMerging: a non-empty body is all the
// request says; the query string beside it is ignored, not merged.
func TestRBACBodyWinsOverQueryWithoutMerging(t *testing.T) {
	ts := rbacServer(t)
	admin, id := orgWithMembers(t, ts, "org_member", "")
	query := "?" + url.Values{"orgId": {id}, "email": {DevEmail}, "name": {"FromQuery"}}.Encode()

	// The orgId of the query does not complete a body without one.
	runNoEffect(t, ts, "remove with orgId in the query only", func(t *testing.T) {
		admin.do(http.MethodDelete, membersPath+query, map[string]string{"email": DevEmail}).wantCode(t, 400, "invalid_body", map[string]any{})
	})
	// Nor does its name join a body's orgId.
	admin.do(http.MethodPut, orgsPath+query, map[string]string{"orgId": id}).wantOK(t)
	if org := admin.getOrg(id); org.Name != "Acme" {
		t.Fatalf("name %q: the query's name was applied", org.Name)
	}
	var out map[string]string
	admin.do(http.MethodPost, orgsPath+query, map[string]string{"name": "FromBody"}).wantOK(t).decode(t, &out)
	if org := admin.getOrg(out["id"]); org.Name != "FromBody" {
		t.Fatalf("name %q, want the body's", org.Name)
	}
	// Without a body the query carries everything.
	admin.do(http.MethodDelete, membersPath+query, nil).wantBody(t, `{"status": "ok"}`)
	wantListed(t, admin.listed(id), rbacListed{AdminEmail, "org_super_admin", false})
}
