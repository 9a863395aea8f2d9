package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/membership"
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
	if hint := hintFor(err); hint != "" {
		detail += "\n\n" + hint
	}
	return diag.NewErrorDiagnostic(summary, detail)
}

// hintFor suggests the fix for the errors a user can do something about.
func hintFor(err error) string {
	switch capgo.KindOf(err) {
	case capgo.KindKeyRefused:
		return "The API key was rejected. Check api_key in the provider block or the CAPGO_API_KEY " +
			"environment variable, and that the key has not been deleted in the Capgo console."
	case capgo.KindKeyNeedsExpiry:
		return "This organization accepts only API keys with an expiry date. Create a key with an expiry date in " +
			"the Capgo console, and use it as api_key or CAPGO_API_KEY."
	case capgo.KindLockedOut:
		wait, _ := capgo.LockedOutFor(err)
		return fmt.Sprintf("Capgo refuses every request from this machine's address for %s, after too many failed "+
			"authentications from it (wrong or deleted API keys, here or on other machines behind the same address). "+
			"Nothing was retried: check the API key, then run Terraform again once that time has passed.", wait)
	case capgo.KindNotCapgo:
		return "The answer did not come from Capgo's API. Check api_url: it is the API's base URL, such as " +
			"https://api.capgo.app, without a path."
	case capgo.KindNotAllowed:
		return "The user who owns the API key lacks the right for this change: changing an organization or its " +
			"members needs the admin or super_admin role in it (org_admin or org_super_admin in Capgo's production " +
			"API), and granting, changing or removing super_admin needs super_admin."
	case capgo.KindNoAccess:
		return "The organization does not exist, or the user who owns the API key lacks the right: changing an " +
			"organization or its members needs the org_admin or org_super_admin role in it, and deleting it needs " +
			"org_super_admin."
	case capgo.KindLastSuperAdmin:
		return "An organization keeps at least one accepted super_admin. " + membership.LastSuperAdminWayOut
	case capgo.KindOutranked:
		return "The member's role ranks above the API key user's own. Use a key of an org_super_admin of the organization."
	case capgo.KindInvalidInput:
		return "Capgo refused a value of the configuration. Capgo's production API needs an organization name of " +
			"at least 3 characters, and a valid management_email and website."
	case capgo.KindRateLimited:
		return "Capgo is rate limiting this API key. Wait a minute, or lower -parallelism, then run Terraform again."
	case capgo.KindServerError:
		return "Capgo had a server error. Run Terraform again; if it persists, check Capgo's status."
	}
	return ""
}

// createNotAllowedDiagnostic reports an organization the API key may not create.
func createNotAllowedDiagnostic(name string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic(fmt.Sprintf("Unable to create organization %q", name), fmt.Sprintf(
		"Capgo refused to let this API key create organizations (%s). Nothing was created, and nothing else was "+
			"tried.\n\nCreating an organization with an API key needs two things: the key must hold the "+
			"organization-creation right (given when the key is made in the Capgo console), and its user must "+
			"currently be an admin (org_admin or org_super_admin) of at least one organization, such as the one "+
			"Capgo gives every account when it signs up.", errorCode(err)))
}
