package capgo

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// cannedTransport answers every request with one status and body, without a network.
type cannedTransport struct {
	status int
	body   []byte
}

func (c cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: c.status,
		Header:     http.Header{"Content-Type": {"application/json"}, "Retry-After": {"0"}},
		Body:       io.NopCloser(bytes.NewReader(c.body)),
		Request:    req,
	}, nil
}

// FuzzClientAnswers feeds every call of the client arbitrary answers, in either dialect, truncated
// or hostile: it must never panic, never return success with nothing in it, and never let the
// key into an error.
func FuzzClientAnswers(f *testing.F) {
	for _, seed := range []struct {
		status int
		body   string
	}{
		{200, `{"data": [{"id": "o1", "name": "A", "logo": null, "customer_id": null}]}`},
		{200, `[{"id": "o1", "name": "A", "website": "https://a.example"}]`},
		{200, `{"data": {"id": "o1", "name": "A", "created_by": "u1"}}`},
		{200, `{"status": "Organization created", "id": "o1"}`},
		{200, `{"id": "b6f2"}`},
		{200, `{"status": "OK", "data": {"uid": "u1", "email": "a@example.com", "role": "invite_write", "image_url": null}}`},
		{200, `[{"uid": "u1", "email": "a@example.com", "role": "org_member", "is_tmp": true, "image_url": ""}]`},
		{200, `{"status": "ok"}`},
		{200, `{"data": null}`},
		{200, `{"data": [`},
		{200, ``},
		{200, `{"data": {"id": 7}}`},
		{200, `{"status": "Organization updated", "id": "o1", "data": {"id": "o1", "website": null, "enforcing_2fa": true, ` +
			`"password_policy_config": {"enabled": true, "min_length": 8, "require_uppercase": false, "require_number": true, ` +
			`"require_special": false}, "require_apikey_expiration": false, "max_apikey_expiration_days": null, ` +
			`"enforce_hashed_api_keys": true, "enforce_encrypted_bundles": false, "required_encryption_key": null}}`},
		{404, `{"error": "Member not found", "status": "KO"}`},
		{400, `{"error": "error_inviting_user_to_organization", "message": "x", "moreInfo": {"data": "NO_EMAIL"}}`},
		{429, `{"error": "too_many_requests", "message": "slow down", "moreInfo": {}}`},
		{502, `<html><body>Bad Gateway</body></html>`},
		{500, `{"error": {"nested": ["x"]}, "message": 3}`},
		{401, `{"error": "Invalid API key ` + testKey + `", "status": "KO"}`},
	} {
		f.Add(seed.status, []byte(seed.body))
	}

	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 599 {
			status = 200 + (status%400+400)%400
		}
		client, err := NewClient(Config{
			BaseURL:           "https://capgo.invalid",
			APIKey:            testKey,
			MaxRetries:        ptr(0),
			RequestsPerMinute: ptr(0),
			HTTPClient:        &http.Client{Transport: cannedTransport{status: status, body: body}},
		})
		// Each answer is tried on its own: a 401 must not keep the next ones from being sent.
		defer keyGates.Delete(keyID("https://capgo.invalid", testKey))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		check := func(call string, err error, empty bool) {
			if err != nil {
				if strings.Contains(err.Error(), testKey) {
					t.Fatalf("%s: the error shows the key: %v", call, err)
				}
				if apiErr, ok := AsAPIError(err); ok && apiErr.Message == "" {
					t.Fatalf("%s: an APIError without a message", call)
				}
				return
			}
			if status >= 300 {
				t.Fatalf("%s: a %d answer was taken for success", call, status)
			}
			if empty {
				t.Fatalf("%s: success with nothing in it", call)
			}
		}

		orgs, err := client.ListOrganizations(ctx)
		check("ListOrganizations", err, orgs == nil)
		org, err := client.GetOrganization(ctx, "o1")
		check("GetOrganization", err, org == nil || org.ID == "")
		id, err := client.CreateOrganization(ctx, CreateOrganizationRequest{Name: "A"})
		check("CreateOrganization", err, id == "")
		updated, err := client.UpdateOrganization(ctx, UpdateOrganizationRequest{ID: "o1", Name: ptr("B")})
		check("UpdateOrganization", err, updated == nil)
		check("DeleteOrganization", client.DeleteOrganization(ctx, "o1"), false)
		members, err := client.ListMembers(ctx, "o1")
		check("ListMembers", err, members == nil)
		_, err = client.AddMember(ctx, AddMemberRequest{OrganizationID: "o1", Email: "a@example.com", Role: "write"})
		check("AddMember", err, false)
		check("RemoveMember", client.RemoveMember(ctx, "o1", "a@example.com"), false)
		security, err := client.UpdateOrganizationSecurity(ctx, "o1", OrganizationSecurity{EnforceHashedAPIKeys: ptr(true)})
		check("UpdateOrganizationSecurity", err, security == nil || security.Enforcing2FA == nil)

		// The error helpers must hold on any answer too.
		_, _ = KindOf(err), IsAmbiguous(err)
	})
}
