package provider

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// Each kind of failure a user can fix gets its fix, whichever API answered.
func TestAPIErrorDiagnosticSaysWhatToDo(t *testing.T) {
	tests := map[string]struct {
		err  error
		want string
	}{
		"documented key refused":   {&capgo.APIError{StatusCode: 401, Message: "Invalid API key"}, "CAPGO_API_KEY"},
		"production key refused":   {&capgo.APIError{StatusCode: 401, Code: "invalid_apikey", Message: "Invalid apikey"}, "CAPGO_API_KEY"},
		"documented not admin":     {&capgo.APIError{StatusCode: 403, Message: "Admin role required"}, "needs the admin or super_admin role"},
		"documented members right": {&capgo.APIError{StatusCode: 403, Message: "Insufficient permissions to manage members"}, "removing super_admin needs super_admin"},
		"production no access":     {&capgo.APIError{StatusCode: 400, Code: "cannot_access_organization", Message: "x"}, "does not exist, or the user who owns the API key lacks the right"},
		"production delete":        {&capgo.APIError{StatusCode: 403, Code: "invalid_org_id", Message: "x", Method: "DELETE"}, "deleting it needs org_super_admin"},
		"production outranked":     {&capgo.APIError{StatusCode: 403, Code: "cannot_delete_higher_priority_role", Message: "x"}, "ranks above"},
		"production invalid body":  {&capgo.APIError{StatusCode: 400, Code: "invalid_body", Message: "Invalid body"}, "at least 3 characters"},
		"documented last admin":    {&capgo.APIError{StatusCode: 400, Message: "Cannot remove the last admin from the organization"}, "Give another member the super_admin role"},
		"rate limited":             {&capgo.APIError{StatusCode: 429, Code: "too_many_requests", Message: "x"}, "lower -parallelism"},
		"locked out":               {&capgo.APIError{StatusCode: 429, Code: "too_many_requests", Message: "x", RetryAfter: 15 * time.Minute}, "for 15m0s, after too many failed authentications"},
		"key without expiry":       {&capgo.APIError{StatusCode: 401, Code: "org_requires_expiring_key", Message: "x"}, "only API keys with an expiry date"},
		"production jwt":           {&capgo.APIError{StatusCode: 401, Code: "invalid_jwt", Message: "x"}, "CAPGO_API_KEY"},
		"server error":             {&capgo.APIError{StatusCode: 502, Message: "Bad Gateway"}, "Run Terraform again"},
		"unknown route":            {&capgo.APIError{StatusCode: 404, Code: "not_found", Message: "Not Found"}, "Check api_url"},
		"no answer":                {errors.New("dial tcp: connection refused"), "could not be reached"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			d := apiErrorDiagnostic(`update organization "o1"`, tt.err)
			if d.Summary() != `Unable to update organization "o1"` {
				t.Errorf("summary = %q", d.Summary())
			}
			if !strings.Contains(d.Detail(), tt.want) {
				t.Errorf("detail lacks %q:\n%s", tt.want, d.Detail())
			}
		})
	}
}
