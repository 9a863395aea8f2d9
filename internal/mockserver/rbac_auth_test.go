package mockserver

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// sendWithHeaders sends a request with exactly these headers, no key but
// theirs; body is encoded as JSON when not nil.
func sendWithHeaders(t *testing.T, ts *TestServer, method, path string, body any, headers map[string]string) response {
	t.Helper()
	var r io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, ts.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := ts.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: data}
}

// TestRBACKeyHeaders: the key may come in capgkey or authorization, and
// capgkey wins over the other, even when it is wrong. x-api-key is read only
// by the routes that also take a session (POST and PUT organization, DELETE
// members, the audit log): elsewhere a key sent only there is no key.
func TestRBACKeyHeaders(t *testing.T) {
	ts := rbacServer(t)
	devOrg := newClient(t, ts, DevAPIKey).createOrg("Dev's") // which only dev can read
	read := func(headers map[string]string) response {
		return sendWithHeaders(t, ts, http.MethodGet, "/organization/?orgId="+devOrg, nil, headers)
	}
	rename := func(headers map[string]string) response {
		return sendWithHeaders(t, ts, http.MethodPut, orgsPath, map[string]string{"orgId": devOrg, "name": "Dev's own"}, headers)
	}
	for _, header := range []string{"capgkey", "authorization"} {
		read(map[string]string{header: DevAPIKey}).wantOK(t)
		read(map[string]string{header: AdminAPIKey}).wantCode(t, 400, "invalid_org_id", map[string]any{"org_id": devOrg})
		rename(map[string]string{header: DevAPIKey}).wantOK(t)
	}
	read(map[string]string{"x-api-key": DevAPIKey}).wantCode(t, 401, "no_key_provided", map[string]any{})
	rename(map[string]string{"x-api-key": DevAPIKey}).wantOK(t)
	rename(map[string]string{"x-api-key": AdminAPIKey}).wantCode(t, 400, "cannot_access_organization", map[string]any{"orgId": devOrg})
	read(map[string]string{"capgkey": DevAPIKey, "authorization": AdminAPIKey, "x-api-key": AdminAPIKey}).wantOK(t)
	read(map[string]string{"authorization": DevAPIKey, "x-api-key": AdminAPIKey}).wantOK(t)
	rename(map[string]string{"authorization": DevAPIKey, "x-api-key": AdminAPIKey}).wantOK(t)
	read(map[string]string{"capgkey": "wrong", "authorization": DevAPIKey}).wantCode(t, 401, "invalid_apikey", map[string]any{})
}

// TestRBACAuthenticationErrorsPerRoute: POST and PUT organization, DELETE
// members and the audit log take a session as well as a key, and say so when
// refusing one; the other routes speak of API keys only. The mock's own keys, which are
// not UUIDs, are valid keys everywhere.
func TestRBACAuthenticationErrorsPerRoute(t *testing.T) {
	ts := rbacServer(t)
	adminOrg := newClient(t, ts, AdminAPIKey).createOrg("Admin's")
	const unknownUUID = "6f1c2a7e-9b3d-4c4e-8f0a-1d2e3f405060"
	routes := []struct {
		method, path string
		body         any
		session      bool
	}{
		{http.MethodPost, orgsPath, map[string]string{"name": "Acme"}, true},
		{http.MethodPut, orgsPath, map[string]string{"orgId": adminOrg, "name": "Renamed"}, true},
		{http.MethodDelete, membersPath, map[string]string{"orgId": adminOrg, "email": OpsEmail}, true},
		{http.MethodGet, orgsPath, nil, false},
		{http.MethodGet, auditPath + "?orgId=" + adminOrg, nil, true},
		{http.MethodGet, membersPath + "?orgId=" + adminOrg, nil, false},
		{http.MethodPost, membersPath, map[string]string{"orgId": adminOrg, "email": OpsEmail, "invite_type": "org_member"}, false},
		{http.MethodDelete, orgsPath + "?orgId=" + adminOrg, nil, false},
	}
	none := map[string]any{}
	for _, rt := range routes {
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			noKey, notUUID, unknown := "no_key_provided", "invalid_apikey", "invalid_apikey"
			if rt.session {
				noKey, notUUID = "no_jwt_apikey_or_subkey", "invalid_jwt"
			}
			runNoEffect(t, ts, "no key", func(t *testing.T) {
				newClient(t, ts, "").do(rt.method, rt.path, rt.body).wantCode(t, 401, noKey, none)
			})
			runNoEffect(t, ts, "blank key", func(t *testing.T) {
				newClient(t, ts, " ").do(rt.method, rt.path, rt.body).wantCode(t, 401, noKey, none)
			})
			runNoEffect(t, ts, "unknown value, not a UUID", func(t *testing.T) {
				newClient(t, ts, "capgo-mock-nobody-key").do(rt.method, rt.path, rt.body).wantCode(t, 401, notUUID, none)
			})
			runNoEffect(t, ts, "unknown UUID", func(t *testing.T) {
				newClient(t, ts, unknownUUID).do(rt.method, rt.path, rt.body).wantCode(t, 401, unknown, none)
			})
		})
	}
	// The default keys authenticate on every route.
	for _, rt := range routes {
		if r := newClient(t, ts, AdminAPIKey).do(rt.method, rt.path, rt.body); r.status == http.StatusUnauthorized {
			t.Fatalf("%s %s with the admin's default key: %d %s", rt.method, rt.path, r.status, r.body)
		}
	}
}
