package mockserver

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// apiClient calls the public API of a TestServer over HTTP with one API key.
// Its helpers speak the dialect of the server: they send that dialect's
// bodies and check its answers.
type apiClient struct {
	t    testing.TB
	ts   *TestServer
	key  string
	rbac bool
	http *http.Client
}

func newClient(t testing.TB, ts *TestServer, key string) *apiClient {
	_, rbac := ts.Server.dialect.(rbacDialect)
	return &apiClient{t: t, ts: ts, key: key, rbac: rbac, http: ts.client}
}

// dialects are the dialects of the tests that run in each.
var dialects = []string{DialectDocs, DialectRBAC}

// inEachDialect runs test as the subtest "<dialect>/<name>" in each dialect,
// on a fresh server holding one organization of the admin account.
func inEachDialect(t *testing.T, name string, test func(t *testing.T, ts *TestServer, admin *apiClient, orgID string)) {
	t.Helper()
	for _, dialect := range dialects {
		t.Run(dialect+"/"+name, func(t *testing.T) {
			ts := NewTestServer(t, Options{Dialect: dialect})
			admin := newClient(t, ts, AdminAPIKey)
			test(t, ts, admin, admin.createOrg("Acme"))
		})
	}
}

// rbacServer starts a server speaking dialect rbac with the default seed.
func rbacServer(t testing.TB) *TestServer {
	t.Helper()
	return NewTestServer(t, Options{Dialect: DialectRBAC})
}

// response is an answer of the public API.
type response struct {
	status int
	header http.Header
	body   []byte
}

// rawBody marks a request body sent as is, not encoded as JSON.
type rawBody string

// do sends a request. body is nil (no body), a rawBody, or a value encoded as
// JSON. Transport failures fail the test.
func (c *apiClient) do(method, path string, body any) response {
	c.t.Helper()
	resp, err := c.try(method, path, body)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp
}

// try is do without failing the test on transport errors.
func (c *apiClient) try(method, path string, body any) (response, error) {
	c.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case rawBody:
		r = strings.NewReader(string(b))
	default:
		data, err := json.Marshal(b)
		if err != nil {
			c.t.Fatalf("encoding body: %v", err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, c.ts.URL+path, r)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	if c.key != "" {
		req.Header.Set("authorization", c.key)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, err
	}
	return response{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// decode unmarshals the body into v, failing the test when it is not JSON.
func (r response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decoding %q: %v", r.body, err)
	}
}

// wantOK fails the test unless the answer is a 200.
func (r response) wantOK(t testing.TB) response {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200; body %s", r.status, r.body)
	}
	return r
}

// wantError fails the test unless the answer is the docs error envelope with
// this status and message, and nothing else.
func (r response) wantError(t testing.TB, status int, message string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	var got map[string]any
	r.decode(t, &got)
	want := map[string]any{"error": message, "status": "KO"}
	if len(got) != len(want) || got["error"] != want["error"] || got["status"] != want["status"] {
		t.Fatalf("body %s, want {\"error\": %q, \"status\": \"KO\"}", r.body, message)
	}
}

// wantCode fails the test unless the answer is the rbac error envelope with
// this status and code, a non-empty message, and exactly moreInfo; a nil
// moreInfo means the answer must have none at all (not even {}).
func (r response) wantCode(t testing.TB, status int, code string, moreInfo map[string]any) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	var got map[string]any
	r.decode(t, &got)
	msg, _ := got["message"].(string)
	info, hasInfo := got["moreInfo"]
	wantKeys := 3
	if moreInfo == nil {
		wantKeys = 2
	}
	if len(got) != wantKeys || got["error"] != code || msg == "" || hasInfo != (moreInfo != nil) {
		t.Fatalf("body %s, want {\"error\": %q, \"message\": \"…\", \"moreInfo\": %v}", r.body, code, moreInfo)
	}
	if moreInfo != nil && !reflect.DeepEqual(info, moreInfo) {
		t.Fatalf("moreInfo %v, want %v", info, moreInfo)
	}
}

// wantBody fails the test unless the answer is a 200 whose JSON body equals
// want, compared as decoded JSON.
func (r response) wantBody(t testing.TB, want string) {
	t.Helper()
	r.wantOK(t)
	var got, exp any
	r.decode(t, &got)
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatalf("bad expectation %s: %v", want, err)
	}
	if !reflect.DeepEqual(got, exp) {
		t.Fatalf("body %s, want %s", r.body, want)
	}
}

// runNoEffect runs send as the subtest name, which fails if the state of the
// server changed: a refused request has no effect.
func runNoEffect(t *testing.T, ts *TestServer, name string, send func(t *testing.T)) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		before, err := json.Marshal(ts.State())
		if err != nil {
			t.Fatal(err)
		}
		send(t)
		after, err := json.Marshal(ts.State())
		if err != nil {
			t.Fatal(err)
		}
		if string(before) != string(after) {
			t.Fatalf("the failed request changed the state:\nbefore %s\nafter  %s", before, after)
		}
	})
}

// The JSON names of the public API's objects. Helpers check them apart from
// the types that encode and decode the objects, so that a wrong name in a
// type shows up as a failure rather than as an empty field.
var (
	docsOrganizationKeys = []string{"created_at", "created_by", "customer_id", "id", "logo", "management_email", "name", "updated_at"}
	rbacOrganizationKeys = append(slices.Clone(docsOrganizationKeys), "website")
	docsMemberKeys       = []string{"email", "image_url", "role", "uid"}
	rbacMemberKeys       = append(slices.Clone(docsMemberKeys), "is_tmp")
	// rbacSecurityKeys are the security settings, which only the answer to
	// a PUT and the mock's state show.
	rbacSecurityKeys = []string{"enforce_encrypted_bundles", "enforce_hashed_api_keys", "enforcing_2fa", "max_apikey_expiration_days",
		"password_policy_config", "require_apikey_expiration", "required_encryption_key"}
	// rbacStateKeys are an organization of the mock's state; rbacRowKeys the stored row that
	// PUT answers, which also keeps the onboarding answers.
	rbacStateKeys = append(slices.Clone(rbacOrganizationKeys), rbacSecurityKeys...)
	rbacRowKeys   = append(slices.Clone(rbacStateKeys), "onboarding")
)

// wantKeys fails the test unless the JSON object obj has exactly keys.
func wantKeys[V any](t testing.TB, obj map[string]V, keys []string) {
	t.Helper()
	got := slices.Sorted(maps.Keys(obj))
	want := slices.Sorted(slices.Values(keys))
	if !slices.Equal(got, want) {
		t.Fatalf("object %v has keys %v, want %v", obj, got, want)
	}
}

// decodeObject decodes the JSON object raw into v, failing the test unless
// its names are exactly keys.
func decodeObject(t testing.TB, raw []byte, keys []string, v any) {
	t.Helper()
	var names map[string]json.RawMessage
	if err := json.Unmarshal(raw, &names); err != nil {
		t.Fatalf("decoding %s: %v", raw, err)
	}
	wantKeys(t, names, keys)
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decoding %s: %v", raw, err)
	}
}

// dataOf is the content of docs's {"data": …} envelope, or the whole body in
// rbac, which has none.
func (c *apiClient) dataOf(r response) []byte {
	c.t.Helper()
	if c.rbac {
		return r.body
	}
	var envelope struct {
		Data json.RawMessage `json:"data"`
	}
	r.decode(c.t, &envelope)
	return envelope.Data
}

// createOrg creates an organization and returns its id.
func (c *apiClient) createOrg(name string) string {
	c.t.Helper()
	var out map[string]any
	c.do(http.MethodPost, "/organization/", map[string]string{"name": name}).wantOK(c.t).decode(c.t, &out)
	id, _ := out["id"].(string)
	wantKeys := 2 // docs: status and id
	if c.rbac {
		wantKeys = 1
	}
	if id == "" || len(out) != wantKeys || (!c.rbac && out["status"] != "Organization created") {
		c.t.Fatalf("create organization: unexpected answer %v", out)
	}
	return id
}

// getOrg reads one organization. It decodes the object of either dialect
// into the rbac type, the larger of the two: in docs, Website stays nil.
func (c *apiClient) getOrg(id string) rbacOrganization {
	c.t.Helper()
	keys := docsOrganizationKeys
	if c.rbac {
		keys = rbacOrganizationKeys
	}
	var org rbacOrganization
	r := c.do(http.MethodGet, "/organization/?orgId="+id, nil).wantOK(c.t)
	decodeObject(c.t, c.dataOf(r), keys, &org)
	return org
}

// setMember adds a member or changes a role in docs, expecting success.
func (c *apiClient) setMember(orgID, email, role string) memberObject {
	c.t.Helper()
	var out struct {
		Status string          `json:"status"`
		Data   json.RawMessage `json:"data"`
	}
	c.do(http.MethodPost, "/organization/members/", map[string]string{"orgId": orgID, "email": email, "role": role}).wantOK(c.t).decode(c.t, &out)
	if out.Status != "OK" {
		c.t.Fatalf("set member: status %q, want OK", out.Status)
	}
	var m memberObject
	decodeObject(c.t, out.Data, docsMemberKeys, &m)
	return m
}

// invite adds a member in either dialect, expecting success: in docs as
// setMember does, in rbac with invite_type and its bare {"status": "ok"}.
func (c *apiClient) invite(orgID, email, role string) {
	c.t.Helper()
	if !c.rbac {
		c.setMember(orgID, email, role)
		return
	}
	c.do(http.MethodPost, "/organization/members/", map[string]string{"orgId": orgID, "email": email, "invite_type": role}).
		wantBody(c.t, `{"status": "ok"}`)
}

// members lists the members of an organization, each with the JSON names of
// the dialect's member object.
func (c *apiClient) members(orgID string) []memberObject {
	c.t.Helper()
	keys := docsMemberKeys
	if c.rbac {
		keys = rbacMemberKeys
	}
	var list []json.RawMessage
	r := c.do(http.MethodGet, "/organization/members/?orgId="+orgID, nil).wantOK(c.t)
	if err := json.Unmarshal(c.dataOf(r), &list); err != nil {
		c.t.Fatalf("decoding the members %s: %v", r.body, err)
	}
	out := make([]memberObject, len(list))
	for i, raw := range list {
		decodeObject(c.t, raw, keys, &out[i])
	}
	return out
}

// memberRoles maps the email of each member to its role as listed.
func (c *apiClient) memberRoles(orgID string) map[string]string {
	c.t.Helper()
	roles := map[string]string{}
	for _, m := range c.members(orgID) {
		roles[m.Email] = m.Role
	}
	return roles
}

// orgWithMembers creates an organization owned by the admin account with dev
// and ops as accepted members with the given roles, in the server's dialect
// ("" leaves one out).
func orgWithMembers(t testing.TB, ts *TestServer, devRole, opsRole string) (admin *apiClient, orgID string) {
	t.Helper()
	admin = newClient(t, ts, AdminAPIKey)
	orgID = admin.createOrg("Acme")
	for _, m := range []struct{ email, role string }{{DevEmail, devRole}, {OpsEmail, opsRole}} {
		if m.role == "" {
			continue
		}
		admin.invite(orgID, m.email, m.role)
		if err := ts.AcceptInvitation(orgID, m.email); err != nil {
			t.Fatal(err)
		}
	}
	return admin, orgID
}

// fakeClock is a clock for Options.Clock that moves only when told, so that
// tests go through rate-limit windows and lockouts without waiting.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// madeOrganizations are the organizations of state but the ones each account
// starts with in dialect rbac, as Capgo's sign-up gives: those named after
// the email of the account that created them. Tests that count organizations
// count the ones they made.
func madeOrganizations(state State) []StateOrganization {
	emails := map[string]string{}
	for _, u := range state.Users {
		emails[u.UID] = u.Email
	}
	var out []StateOrganization
	for _, o := range state.Organizations {
		if o.Name != ownOrganizationName(emails[o.CreatedBy]) {
			out = append(out, o)
		}
	}
	return out
}
