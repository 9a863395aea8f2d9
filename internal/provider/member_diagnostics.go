package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// memberOrganizationDiagnostic reports a failure to reach an organization's member list.
func memberOrganizationDiagnostic(orgID, action string, err error) diag.Diagnostic {
	if capgo.IsNotFound(err) {
		return diag.NewAttributeErrorDiagnostic(pathOrganizationID, "Organization not found",
			fmt.Sprintf("Organization %q does not exist, or the API key's user is not an accepted member of it. "+
				"Check organization_id, and that the key belongs to an admin of the organization.", orgID))
	}
	return apiErrorDiagnostic(fmt.Sprintf("%s organization %s", action, orgID), err)
}

// alreadyMemberDiagnostic refuses to create a membership that exists, and shows how to adopt it.
func alreadyMemberDiagnostic(orgID, email string, existing capgo.Member) diag.Diagnostic {
	what := "a member"
	if existing.Pending() {
		what = "invited (pending)"
	}
	id := memberID(orgID, email)
	return diag.NewAttributeErrorDiagnostic(pathEmail, "Already a member of the organization",
		fmt.Sprintf("%s is already %s in organization %s, with role %q. Nothing was changed.\n\n"+
			"To manage this membership with Terraform, import it:\n\n"+
			"  terraform import capgo_organization_member.<name> %s\n\n"+
			"or add an import block:\n\n"+
			"  import {\n    to = capgo_organization_member.<name>\n    id = %q\n  }",
			existing.Email, what, orgID, existing.PlainRole(), id, id))
}

// addMemberDiagnostic explains why an invitation was refused.
func addMemberDiagnostic(orgID, email string, err error) diag.Diagnostic {
	switch {
	case capgo.IsNoSuchUser(err):
		return diag.NewAttributeErrorDiagnostic(pathEmail, "No Capgo account for this email",
			fmt.Sprintf("Capgo has no account with the email %s, so it cannot be invited to organization %s. "+
				"The person must sign up to Capgo first, with exactly this email; then run terraform apply again.",
				email, orgID))
	case capgo.IsConflict(err):
		return diag.NewAttributeErrorDiagnostic(pathEmail, "Already a member of the organization",
			fmt.Sprintf("%s joined organization %s while Terraform was working. Nothing was changed; import the "+
				"membership with:\n\n  terraform import capgo_organization_member.<name> %s", email, orgID, memberID(orgID, email)))
	}
	return apiErrorDiagnostic(fmt.Sprintf("invite %s to organization %s", email, orgID), err)
}

// lastSuperAdminDetail explains the last-super_admin rule and the way out.
func lastSuperAdminDetail(orgID, email, change string) string {
	return fmt.Sprintf("%s is the last accepted super_admin of organization %s; %s would leave the organization "+
		"without anyone in full control, so the provider refuses, and nothing was changed.\n\n"+
		"Give another member the super_admin role first and wait until they have accepted their invitation; "+
		"or, to get rid of the whole organization, destroy the capgo_organization resource instead.", email, orgID, change)
}
