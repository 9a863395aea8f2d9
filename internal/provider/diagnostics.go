package provider

import (
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// apiErrorDiagnostic turns a failed API call into a diagnostic that says what failed, on what,
// and what the user can do about it. action reads as "Unable to <action>", e.g.
// `update organization "abc"`.
func apiErrorDiagnostic(action string, err error) diag.Diagnostic {
	summary := "Unable to " + action
	apiErr, ok := capgo.AsAPIError(err)
	if !ok {
		return diag.NewErrorDiagnostic(summary, fmt.Sprintf(
			"Capgo could not be reached: %s\n\nCheck the network and api_url, then run Terraform again.", err))
	}
	detail := fmt.Sprintf("Capgo answered %d: %s", apiErr.StatusCode, apiErr.Message)
	if apiErr.Code != "" && apiErr.Code != apiErr.Message {
		detail += " (" + apiErr.Code + ")"
	}
	if hint := hintFor(apiErr); hint != "" {
		detail += "\n\n" + hint
	}
	return diag.NewErrorDiagnostic(summary, detail)
}

// hintFor suggests the fix for the errors a user can do something about.
func hintFor(err *capgo.APIError) string {
	switch {
	case err.StatusCode == http.StatusUnauthorized:
		return "The API key was rejected. Check api_key in the provider block or the CAPGO_API_KEY " +
			"environment variable, and that the key has not been deleted in the Capgo console."
	case err.Message == "Admin role required":
		return "The user who owns the API key needs the admin or super_admin role in this organization."
	case err.Message == "Insufficient permissions to manage members":
		return "Managing members needs the admin or super_admin role in the organization; granting, " +
			"changing or removing super_admin needs super_admin."
	case err.Code == "cannot_access_organization":
		return "The organization does not exist, or the user who owns the API key lacks the right: changing an " +
			"organization or its members needs the org_admin or org_super_admin role in it."
	case err.Code == "invalid_org_id" && err.Method == http.MethodDelete:
		return "Deleting an organization needs the org_super_admin role in it."
	case err.Code == "cannot_delete_higher_priority_role":
		return "The member's role ranks above the API key user's own. Use a key of an org_super_admin of the organization."
	case err.Code == "invalid_body" && err.Method == http.MethodPost && err.Path == "/organization/":
		return "Capgo's production API needs an organization name of at least 3 characters, and a valid " +
			"management_email and website."
	case err.StatusCode == http.StatusForbidden:
		return "The user who owns the API key lacks the rights for this change in the organization."
	case err.StatusCode == http.StatusTooManyRequests:
		return "Capgo is rate limiting this API key. Wait a minute, or lower -parallelism, then run Terraform again."
	case err.StatusCode >= http.StatusInternalServerError:
		return "Capgo had a server error. Run Terraform again; if it persists, check Capgo's status."
	}
	return ""
}
