package mockserver

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// apiClient calls the public API of a TestServer over HTTP with one API key.
type apiClient struct {
	t    testing.TB
	ts   *TestServer
	key  string
	http *http.Client
}

func newClient(t testing.TB, ts *TestServer, key string) *apiClient {
	return &apiClient{t: t, ts: ts, key: key, http: ts.client}
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

// wireOrganization and wireMember decode answers independently of the types
// the server encodes with, so a wrong JSON name shows up as a failure.
type wireOrganization struct {
	ID              string  `json:"id"`
	CreatedBy       string  `json:"created_by"`
	CreatedAt       string  `json:"created_at"`
	UpdatedAt       string  `json:"updated_at"`
	Logo            *string `json:"logo"`
	Name            string  `json:"name"`
	ManagementEmail string  `json:"management_email"`
	CustomerID      *string `json:"customer_id"`
}

type wireMember struct {
	UID      string  `json:"uid"`
	Email    string  `json:"email"`
	ImageURL *string `json:"image_url"`
	Role     string  `json:"role"`
}

// createOrg creates an organization and returns its id.
func (c *apiClient) createOrg(name string) string {
	c.t.Helper()
	var out struct {
		Status string `json:"status"`
		ID     string `json:"id"`
	}
	c.do(http.MethodPost, "/organization/", map[string]string{"name": name}).wantOK(c.t).decode(c.t, &out)
	if out.ID == "" || out.Status != "Organization created" {
		c.t.Fatalf("create organization: unexpected answer %+v", out)
	}
	return out.ID
}

// getOrg reads one organization.
func (c *apiClient) getOrg(id string) wireOrganization {
	c.t.Helper()
	var out struct {
		Data wireOrganization `json:"data"`
	}
	c.do(http.MethodGet, "/organization/?orgId="+id, nil).wantOK(c.t).decode(c.t, &out)
	return out.Data
}

// setMember adds a member or changes a role, expecting success.
func (c *apiClient) setMember(orgID, email, role string) wireMember {
	c.t.Helper()
	var out struct {
		Status string     `json:"status"`
		Data   wireMember `json:"data"`
	}
	c.do(http.MethodPost, "/organization/members/", map[string]string{"orgId": orgID, "email": email, "role": role}).wantOK(c.t).decode(c.t, &out)
	if out.Status != "OK" {
		c.t.Fatalf("set member: status %q, want OK", out.Status)
	}
	return out.Data
}

// members lists the members of an organization.
func (c *apiClient) members(orgID string) []wireMember {
	c.t.Helper()
	var out struct {
		Data []wireMember `json:"data"`
	}
	c.do(http.MethodGet, "/organization/members/?orgId="+orgID, nil).wantOK(c.t).decode(c.t, &out)
	return out.Data
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
// and ops as accepted members with the given roles ("" leaves one out).
func orgWithMembers(t testing.TB, ts *TestServer, devRole, opsRole string) (admin *apiClient, orgID string) {
	t.Helper()
	admin = newClient(t, ts, AdminAPIKey)
	orgID = admin.createOrg("Acme")
	for _, m := range []struct{ email, role string }{{DevEmail, devRole}, {OpsEmail, opsRole}} {
		if m.role == "" {
			continue
		}
		admin.setMember(orgID, m.email, m.role)
		if err := ts.AcceptInvitation(orgID, m.email); err != nil {
			t.Fatal(err)
		}
	}
	return admin, orgID
}
