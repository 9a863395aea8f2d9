package capgo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// apiCall runs one client method and keeps only its error.
type apiCall struct {
	method, path string
	run          func(context.Context, *Client) error
}

var (
	callList = apiCall{http.MethodGet, "/organization/", func(ctx context.Context, c *Client) error {
		_, err := c.ListOrganizations(ctx)
		return err
	}}
	callGet = apiCall{http.MethodGet, "/organization/", func(ctx context.Context, c *Client) error {
		_, err := c.GetOrganization(ctx, "org-1")
		return err
	}}
	callCreate = apiCall{http.MethodPost, "/organization/", func(ctx context.Context, c *Client) error {
		_, err := c.CreateOrganization(ctx, CreateOrganizationRequest{Name: "Acme"})
		return err
	}}
	callUpdate = apiCall{http.MethodPut, "/organization/", func(ctx context.Context, c *Client) error {
		_, err := c.UpdateOrganization(ctx, UpdateOrganizationRequest{ID: "org-1", Name: ptr("X")})
		return err
	}}
	callDelete = apiCall{http.MethodDelete, "/organization/", func(ctx context.Context, c *Client) error {
		return c.DeleteOrganization(ctx, "org-1")
	}}
	callListMembers = apiCall{http.MethodGet, "/organization/members/", func(ctx context.Context, c *Client) error {
		_, err := c.ListMembers(ctx, "org-1")
		return err
	}}
	callAddMember = apiCall{http.MethodPost, "/organization/members/", func(ctx context.Context, c *Client) error {
		_, err := c.AddMember(ctx, AddMemberRequest{OrganizationID: "org-1", Email: "dev@example.com", Role: "write"})
		return err
	}}
	callRemoveMember = apiCall{http.MethodDelete, "/organization/members/", func(ctx context.Context, c *Client) error {
		return c.RemoveMember(ctx, "org-1", "dev@example.com")
	}}
)

// helperResults is what the classification says about an error: its kind, and whether a write
// that failed so may have been carried out.
type helperResults struct {
	Kind      ErrorKind
	Ambiguous bool
}

func classify(err error) helperResults {
	return helperResults{Kind: KindOf(err), Ambiguous: IsAmbiguous(err)}
}

// TestDocsErrorTable covers every row of the docs dialect's error table.
func TestDocsErrorTable(t *testing.T) {
	tests := []struct {
		status  int
		message string
		call    apiCall
		want    helperResults
	}{
		{401, "Invalid API key", callList, helperResults{Kind: KindKeyRefused}},
		{400, "Name is required", callCreate, helperResults{Kind: KindInvalidInput}},
		{400, "orgId is required", callUpdate, helperResults{Kind: KindInvalidInput}},
		{400, "Invalid email format", callAddMember, helperResults{Kind: KindInvalidInput}},
		{400, "Invalid role specified", callAddMember, helperResults{Kind: KindInvalidInput}},
		{403, "Admin role required", callDelete, helperResults{Kind: KindNotAllowed}},
		{403, "Insufficient permissions to manage members", callRemoveMember, helperResults{Kind: KindNotAllowed}},
		{404, "Organization not found", callGet, helperResults{Kind: KindNotFound}},
		{404, "User not found", callAddMember, helperResults{Kind: KindNoSuchAccount}},
		{404, "Member not found", callRemoveMember, helperResults{Kind: KindNotFound}},
		{409, "Member already exists in organization", callAddMember, helperResults{Kind: KindAlreadyMember}},
		{400, "Cannot remove the last admin from the organization", callRemoveMember, helperResults{Kind: KindLastSuperAdmin}},
		{400, "Invalid JSON body", callUpdate, helperResults{Kind: KindInvalidInput}},
		{429, "Too many requests", callListMembers, helperResults{Kind: KindRateLimited}},
		{500, "Internal server error", callCreate, helperResults{Kind: KindServerError, Ambiguous: true}},
		{500, "Internal server error", callGet, helperResults{Kind: KindServerError}},
		{500, "Internal server error", callRemoveMember, helperResults{Kind: KindServerError, Ambiguous: true}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %d %s", tt.call.method, tt.status, tt.message), func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				if tt.status == http.StatusTooManyRequests {
					w.Header().Set("Retry-After", "7")
				}
				reply(w, tt.status, `{"error":"`+tt.message+`","status":"KO"}`)
			})
			err := tt.call.run(t.Context(), s.client(noRetries))
			apiErr, ok := AsAPIError(err)
			if !ok {
				t.Fatalf("error %v (%T) is not an *APIError", err, err)
			}
			if apiErr.StatusCode != tt.status || apiErr.Message != tt.message || apiErr.Code != "" {
				t.Errorf("got status %d code %q message %q, want %d \"\" %q",
					apiErr.StatusCode, apiErr.Code, apiErr.Message, tt.status, tt.message)
			}
			if apiErr.Method != tt.call.method || apiErr.Path != tt.call.path {
				t.Errorf("request = %s %s, want %s %s", apiErr.Method, apiErr.Path, tt.call.method, tt.call.path)
			}
			if want := fmt.Sprintf("%s %s: %d %s", tt.call.method, tt.call.path, tt.status, tt.message); err.Error() != want {
				t.Errorf("Error() = %q, want %q", err.Error(), want)
			}
			if got := classify(err); got != tt.want {
				t.Errorf("helpers = %+v, want %+v", got, tt.want)
			}
			wantWait := time.Duration(0)
			if tt.status == http.StatusTooManyRequests {
				wantWait = 7 * time.Second
			}
			if apiErr.RetryAfter != wantWait {
				t.Errorf("RetryAfter = %v, want %v", apiErr.RetryAfter, wantWait)
			}
		})
	}
}

func TestRbacErrorEnvelope(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		body        string
		call        apiCall
		wantCode    string
		wantMessage string
		wantMore    map[string]any
		want        helperResults
	}{
		{
			name:   "invite refused, no account",
			status: 400, call: callAddMember,
			body:     `{"error":"error_inviting_user_to_organization","message":"Error inviting user to organization","moreInfo":{"data":"NO_EMAIL"}}`,
			wantCode: "error_inviting_user_to_organization", wantMessage: "Error inviting user to organization",
			wantMore: map[string]any{"data": "NO_EMAIL"},
			want:     helperResults{Kind: KindNoSuchAccount},
		},
		{
			name:   "invite refused, already invited",
			status: 400, call: callAddMember,
			body:     `{"error":"error_inviting_user_to_organization","message":"Error inviting user to organization","moreInfo":{"data":"ALREADY_INVITED"}}`,
			wantCode: "error_inviting_user_to_organization", wantMessage: "Error inviting user to organization",
			wantMore: map[string]any{"data": "ALREADY_INVITED"},
			want:     helperResults{Kind: KindAlreadyMember},
		},
		{
			name:   "invite refused, role above the caller's",
			status: 400, call: callAddMember,
			body:     `{"error":"error_inviting_user_to_organization","message":"Error inviting user to organization","moreInfo":{"data":"NO_RIGHTS"}}`,
			wantCode: "error_inviting_user_to_organization", wantMessage: "Error inviting user to organization",
			wantMore: map[string]any{"data": "NO_RIGHTS"},
			want:     helperResults{Kind: KindOutranked},
		},
		{
			name:   "reading an organization that cannot be read",
			status: 400, call: callGet,
			body:     `{"error":"invalid_org_id","message":"Invalid org_id","moreInfo":{"org_id":"org-1"}}`,
			wantCode: "invalid_org_id", wantMessage: "Invalid org_id",
			wantMore: map[string]any{"org_id": "org-1"},
			want:     helperResults{Kind: KindNotFound},
		},
		{
			name:   "members of an organization that cannot be reached",
			status: 400, call: callListMembers,
			body:     `{"error":"cannot_access_organization","message":"You cannot access this organization","moreInfo":{"orgId":"org-1"}}`,
			wantCode: "cannot_access_organization", wantMessage: "You cannot access this organization",
			wantMore: map[string]any{"orgId": "org-1"},
			want:     helperResults{Kind: KindNoAccess},
		},
		{
			name:   "member not found",
			status: 404, call: callRemoveMember,
			body:     `{"error":"organization_member_not_found","message":"Organization member not found","moreInfo":{}}`,
			wantCode: "organization_member_not_found", wantMessage: "Organization member not found",
			wantMore: map[string]any{},
			want:     helperResults{Kind: KindNotFound},
		},
		{
			name:   "user not found on delete",
			status: 404, call: callRemoveMember,
			body:     `{"error":"user_not_found","message":"User not found","moreInfo":{"email":"dev@example.com"}}`,
			wantCode: "user_not_found", wantMessage: "User not found",
			wantMore: map[string]any{"email": "dev@example.com"},
			want:     helperResults{Kind: KindNoSuchAccount},
		},
		{
			name:   "unknown route is not a missing object",
			status: 404, call: callGet,
			body:     `{"error":"not_found","message":"Not Found"}`,
			wantCode: "not_found", wantMessage: "Not Found",
			want: helperResults{Kind: KindNotCapgo},
		},
		{
			name:   "invalid key",
			status: 401, call: callList,
			body:     `{"error":"invalid_apikey","message":"Invalid apikey","moreInfo":{}}`,
			wantCode: "invalid_apikey", wantMessage: "Invalid apikey", wantMore: map[string]any{},
			want: helperResults{Kind: KindKeyRefused},
		},
		{
			name:   "code without message",
			status: 403, call: callDelete,
			body:     `{"error":"invalid_org_id","moreInfo":{"org_id":"org-1"}}`,
			wantCode: "invalid_org_id", wantMessage: "invalid_org_id",
			wantMore: map[string]any{"org_id": "org-1"},
			want:     helperResults{Kind: KindNoAccess},
		},
		{
			name:   "unknown error",
			status: 500, call: callUpdate,
			body:     `{"error":"unknown_error","message":"Unknown error","moreInfo":{"nested":{"list":[1,"a"]}}}`,
			wantCode: "unknown_error", wantMessage: "Unknown error",
			wantMore: map[string]any{"nested": map[string]any{"list": []any{1.0, "a"}}},
			want:     helperResults{Kind: KindServerError, Ambiguous: true},
		},
		{
			name:   "moreInfo of the wrong type",
			status: 400, call: callCreate,
			body:     `{"error":"invalid_body","message":"Invalid body","moreInfo":"oops"}`,
			wantCode: "invalid_body", wantMessage: "Invalid body",
			want: helperResults{Kind: KindInvalidInput},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStub(t, answer(tt.status, tt.body))
			err := tt.call.run(t.Context(), s.client(noRetries))
			apiErr, ok := AsAPIError(err)
			if !ok {
				t.Fatalf("error %v (%T) is not an *APIError", err, err)
			}
			if apiErr.StatusCode != tt.status || apiErr.Code != tt.wantCode || apiErr.Message != tt.wantMessage {
				t.Errorf("got %d %q %q, want %d %q %q", apiErr.StatusCode, apiErr.Code, apiErr.Message,
					tt.status, tt.wantCode, tt.wantMessage)
			}
			if !reflect.DeepEqual(apiErr.MoreInfo, tt.wantMore) {
				t.Errorf("MoreInfo = %#v, want %#v", apiErr.MoreInfo, tt.wantMore)
			}
			if !strings.Contains(err.Error(), tt.wantCode) {
				t.Errorf("Error() = %q lacks the code", err.Error())
			}
			if got := classify(err); got != tt.want {
				t.Errorf("helpers = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestAPIErrorString(t *testing.T) {
	tests := map[string]struct {
		err  APIError
		want string
	}{
		"docs": {
			APIError{StatusCode: 404, Message: "Member not found", Method: "DELETE", Path: "/organization/members/"},
			"DELETE /organization/members/: 404 Member not found",
		},
		"rbac": {
			APIError{StatusCode: 400, Code: "error_inviting_user_to_organization", Message: "Error inviting",
				MoreInfo: map[string]any{"data": "ALREADY_INVITED"}, Method: "POST", Path: "/organization/members/"},
			`POST /organization/members/: 400 error_inviting_user_to_organization: Error inviting (more info: {"data":"ALREADY_INVITED"})`,
		},
		"nothing known": {
			APIError{StatusCode: 503, Method: "GET", Path: "/organization/"},
			"GET /organization/: 503 Service Unavailable",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNonJSONErrorBody(t *testing.T) {
	const page = "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n" +
		"<hr><center>nginx</center>\n" + "<!-- padding -->" + "</body>\n</html>\n"
	s := newStub(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte(page + strings.Repeat("x", 10000)))
	})
	err := callGet.run(t.Context(), s.client(noRetries))
	apiErr, ok := AsAPIError(err)
	if !ok {
		t.Fatalf("error %v (%T) is not an *APIError", err, err)
	}
	if apiErr.StatusCode != http.StatusBadGateway {
		t.Errorf("StatusCode = %d, want 502", apiErr.StatusCode)
	}
	if !strings.Contains(apiErr.Message, "502 Bad Gateway") || strings.Contains(apiErr.Message, "<") {
		t.Errorf("Message = %q, want the page's text without tags", apiErr.Message)
	}
	if len(err.Error()) > 250 {
		t.Errorf("Error() is %d bytes long, want a short text: %q", len(err.Error()), err.Error())
	}
	if IsAmbiguous(err) {
		t.Error("a failed GET is never ambiguous")
	}
}

func TestNonCapgoNotFoundIsNotNotFound(t *testing.T) {
	for name, tt := range map[string]struct {
		body string
		want bool
	}{
		"html page":      {body: "<html>404 page not found</html>", want: false},
		"plain text":     {body: "404 page not found", want: false},
		"empty":          {body: "", want: false},
		"foreign json":   {body: `{"detail":"missing"}`, want: false},
		"docs envelope":  {body: `{"error":"Organization not found","status":"KO"}`, want: true},
		"rbac not_found": {body: `{"error":"not_found","message":"Not Found"}`, want: false},
	} {
		t.Run(name, func(t *testing.T) {
			s := newStub(t, answer(http.StatusNotFound, tt.body))
			err := callGet.run(t.Context(), s.client(noRetries))
			if _, ok := AsAPIError(err); !ok {
				t.Fatalf("error %v (%T) is not an *APIError", err, err)
			}
			if got := KindOf(err) == KindNotFound; got != tt.want {
				t.Errorf("KindOf = %v, want not found %v (%v)", KindOf(err), tt.want, err)
			}
		})
	}
}

func TestHelpersOnOtherErrors(t *testing.T) {
	wrapped := fmt.Errorf("reading: %w", &APIError{StatusCode: 404, Message: "Member not found", Method: "GET", Path: "/x"})
	if KindOf(wrapped) != KindNotFound {
		t.Error("KindOf does not see through wrapping")
	}
	if apiErr, ok := AsAPIError(wrapped); !ok || apiErr.StatusCode != http.StatusNotFound {
		t.Errorf("AsAPIError(wrapped) = %v, %v", apiErr, ok)
	}
	for _, err := range []error{nil, errors.New("boom")} {
		if got := classify(err); got != (helperResults{}) {
			t.Errorf("classification of %v = %+v, want KindOther and not ambiguous", err, got)
		}
		if _, ok := AsAPIError(err); ok {
			t.Errorf("AsAPIError(%v) = true", err)
		}
	}
}

func TestIsAmbiguousOnBuiltErrors(t *testing.T) {
	tests := map[string]struct {
		err  error
		want bool
	}{
		"POST 500":           {&APIError{StatusCode: 500, Method: "POST"}, true},
		"PUT 502":            {&APIError{StatusCode: 502, Method: "PUT"}, true},
		"DELETE 503":         {&APIError{StatusCode: 503, Method: "DELETE"}, true},
		"POST 501":           {&APIError{StatusCode: 501, Method: "POST"}, false},
		"POST 429":           {&APIError{StatusCode: 429, Method: "POST"}, false},
		"POST 409":           {&APIError{StatusCode: 409, Method: "POST"}, false},
		"GET 500":            {&APIError{StatusCode: 500, Method: "GET"}, false},
		"sent, no answer":    {&requestError{method: "POST", err: errors.New("EOF"), ambiguous: true}, true},
		"never sent":         {&requestError{method: "POST", err: errors.New("refused")}, false},
		"wrapped and sent":   {fmt.Errorf("x: %w", &requestError{method: "PUT", err: errors.New("EOF"), ambiguous: true}), true},
		"plain error":        {errors.New("EOF"), false},
		"wrapped APIError 5": {fmt.Errorf("x: %w", &APIError{StatusCode: 500, Method: "POST"}), true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := IsAmbiguous(tt.err); got != tt.want {
				t.Errorf("IsAmbiguous = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestKeyNeverInErrors makes a server echo the key everywhere it can.
func TestKeyNeverInErrors(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		key := r.Header.Get("Authorization")
		reply(w, http.StatusUnauthorized, `{"error":"invalid_apikey","message":"Invalid apikey `+key+`",`+
			`"moreInfo":{"key":"`+key+`","`+key+`":["`+key+`"]}}`)
	})
	err := callList.run(t.Context(), s.client(noRetries))
	apiErr, ok := AsAPIError(err)
	if !ok {
		t.Fatalf("error %v is not an *APIError", err)
	}
	if strings.Contains(err.Error(), testKey) || strings.Contains(fmt.Sprintf("%#v", apiErr), testKey) {
		t.Errorf("the API key leaked into the error: %#v", apiErr)
	}
	if !strings.Contains(apiErr.Message, "[REDACTED]") {
		t.Errorf("Message = %q, want the key replaced", apiErr.Message)
	}

	html := newStub(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<p>bad request from " + r.Header.Get("Authorization") + "</p>"))
	})
	if err := callGet.run(t.Context(), html.client(noRetries)); err == nil || strings.Contains(err.Error(), testKey) {
		t.Errorf("non-JSON error = %v, want an error without the key", err)
	}

	c := newTestClient(t, closedURL(t), noRetries)
	if err := callCreate.run(t.Context(), c); err == nil || strings.Contains(err.Error(), testKey) {
		t.Errorf("connection error = %v, want an error without the key", err)
	}
}

// TestKeyPiecesNeverInErrors echoes the key in a proxy's HTML page at every offset around the
// cuts made to summarise it (the first 4096 bytes looked at, the first 120 characters of text
// kept): no piece of it may be left in the error.
func TestKeyPiecesNeverInErrors(t *testing.T) {
	const key = "3f6c1a2e-9b7d-4e85-a0c4-d2b9e8f71a56"
	const minPiece = 6
	check := func(t *testing.T, where string, body string) {
		t.Helper()
		c := newTestClient(t, "https://capgo.invalid", noRetries, func(cfg *Config) {
			cfg.APIKey = key
			cfg.HTTPClient = &http.Client{Transport: cannedTransport{http.StatusBadGateway, []byte(body)}}
		})
		err := callGet.run(t.Context(), c)
		apiErr, ok := AsAPIError(err)
		if !ok {
			t.Fatalf("%s: error %v (%T) is not an *APIError", where, err, err)
		}
		for _, text := range []string{err.Error(), apiErr.Code, apiErr.Message, fmt.Sprintf("%#v", apiErr)} {
			for i := 0; i+minPiece <= len(key); i++ {
				if piece := key[i : i+minPiece]; strings.Contains(text, piece) {
					t.Errorf("%s: %q of the key is in %q", where, piece, text)
					return
				}
			}
		}
	}
	for off := 120 - len(key) - 2; off <= 120+2; off++ {
		// The page's text: off characters, then the key.
		check(t, fmt.Sprintf("key at character %d of the text", off),
			"<html><body><p>"+strings.Repeat("x", off)+key+" is not allowed here</p></body></html>")
	}
	for off := 4096 - len(key) - 2; off <= 4096+2; off++ {
		// A tag of off bytes, which leaves no text, then the key.
		check(t, fmt.Sprintf("key at byte %d of the page", off),
			"<"+strings.Repeat("a", off-2)+">"+key+" is not allowed here")
	}
}
