package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/membership"
)

// memberOrganizationDiagnostic reports a failure to reach an organization's member list.
func memberOrganizationDiagnostic(orgID, action string, err error) diag.Diagnostic {
	switch capgo.KindOf(err) {
	case capgo.KindNotFound:
		return organizationNotFoundDiagnostic(orgID)
	case capgo.KindNoAccess:
		// The organization exists (the callers check that first): the user lacks the right.
		return diag.NewAttributeErrorDiagnostic(pathOrganizationID, "No access to the organization's members",
			fmt.Sprintf("Capgo refused to %s organization %s to the API key's user (%s). Listing members needs the "+
				"org_member, org_admin or org_super_admin role (org_billing_admin may not), and changing them needs "+
				"org_admin or org_super_admin. Use a key of such a member.", action, orgID, errorCode(err)))
	}
	return apiErrorDiagnostic(fmt.Sprintf("%s organization %s", action, orgID), err)
}

// organizationNotFoundDiagnostic reports an organization_id that names no organization the key's
// user can see.
func organizationNotFoundDiagnostic(orgID string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(pathOrganizationID, "Organization not found",
		fmt.Sprintf("Organization %q does not exist, or the API key's user is not an accepted member of it. "+
			"Check organization_id, and that the key belongs to an admin of the organization.", orgID))
}

// errorCode is the API's error code, or its message when it has none.
func errorCode(err error) string {
	if apiErr, ok := capgo.AsAPIError(err); ok {
		if apiErr.Code != "" {
			return apiErr.Code
		}
		return apiErr.Message
	}
	return err.Error()
}

// addMemberDiagnostic explains why an invitation was refused.
func addMemberDiagnostic(orgID, email, role string, server capgo.Capabilities, err error) diag.Diagnostic {
	switch capgo.KindOf(err) {
	case capgo.KindNoSuchAccount:
		return diag.NewAttributeErrorDiagnostic(pathEmail, "No Capgo account for this email",
			fmt.Sprintf("%s cannot be invited to organization %s: %s", email, orgID, noAccountSentence(email, server)))
	case capgo.KindAlreadyMember:
		id := memberID(orgID, email)
		return diag.NewAttributeErrorDiagnostic(pathEmail, "Already a member of the organization",
			fmt.Sprintf("%s is already a member or a pending invitee of organization %s (they were added while "+
				"Terraform was working). Nothing was changed.\n\nTo manage this membership with Terraform, import it:\n\n"+
				"  terraform import capgo_organization_member.<name> %s\n\nor add an import block:\n\n"+
				"  import {\n    to = capgo_organization_member.<name>\n    id = %q\n  }", email, orgID, id, id))
	case capgo.KindOutranked:
		return diag.NewAttributeErrorDiagnostic(pathRole, "Role above the API key's own",
			fmt.Sprintf("Capgo refused to invite %s to organization %s as %q: nobody may grant a role above their "+
				"own. Use a key of an org_super_admin of the organization, or a lower role.", email, orgID, role))
	}
	return apiErrorDiagnostic(fmt.Sprintf("invite %s to organization %s", email, orgID), err)
}

// reinvitationFailedDiagnostic reports a re-invitation that removed the member but could not invite
// them again, and whether the previous invitation could be put back.
func reinvitationFailedDiagnostic(orgID string, previous capgo.Member, role string, server capgo.Capabilities, err, restoreErr error) diag.Diagnostic {
	inviteProblem := addMemberDiagnostic(orgID, previous.Email, role, server, err).Detail()
	if restoreErr == nil {
		return diag.NewAttributeErrorDiagnostic(pathRole, "Role change failed; previous role restored",
			fmt.Sprintf("To change the role of %s in organization %s, they were removed and invited again as %q, "+
				"which failed:\n\n%s\n\nThey were invited again with their previous role %q instead, and are "+
				"pending until they accept.", previous.Email, orgID, role, inviteProblem, previous.Role))
	}
	return diag.NewAttributeErrorDiagnostic(pathRole, "Role change failed; member removed",
		fmt.Sprintf("To change the role of %s in organization %s, they were removed and invited again as %q, which "+
			"failed:\n\n%s\n\nInviting them again with their previous role %q failed too (%s). They are no longer "+
			"in the organization: run terraform apply again to invite them.", previous.Email, orgID, role,
			inviteProblem, previous.Role, restoreErr))
}

// accessLostDiagnostic reports a write not sent because an earlier write of this run removed or
// demoted the API key's own membership of the organization.
func accessLostDiagnostic(orgID, email, action string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(pathOrganizationID, "Terraform lost access to the organization",
		fmt.Sprintf("Earlier in this run the provider removed or demoted a membership of organization %s, and "+
			"since then the API key's user can no longer see the organization: it was the key's own membership. "+
			"Nothing was sent for %s: the membership could not be %s or verified, and it stays in the Terraform "+
			"state as it was. To go on, use the API key of another admin of the organization.", orgID, email, action))
}

// accessLostAfterDiagnostic warns that the write just made took the API key's own access away.
func accessLostAfterDiagnostic(orgID, email string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Terraform lost access to the organization",
		fmt.Sprintf("After the change to the membership of %s, the API key's user can no longer see organization "+
			"%s: it was the key's own membership. Terraform can no longer change or verify anything in that "+
			"organization with this key; use the API key of another admin of the organization.", email, orgID))
}

// organizationNotVisibleDiagnostic reports a write whose organization the API key can no longer see,
// although this provider process did not delete it: it may be gone, or the key's access may be.
func organizationNotVisibleDiagnostic(orgID, email, action string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(pathOrganizationID, "Organization no longer visible",
		fmt.Sprintf("The API key's user can no longer see organization %s: it was deleted outside Terraform, or the "+
			"key's user lost access to it (removed or demoted in the Capgo console). The membership of %s could not "+
			"be %s or verified, so it stays in the Terraform state as it was.\n\n"+
			"If the organization was deleted, the next terraform plan drops it and its members from the state. "+
			"Otherwise use the API key of an admin of the organization.", orgID, email, action))
}

// memberWriteDiagnostic reports a membership change that failed.
func memberWriteDiagnostic(orgID string, c membership.Change, server capgo.Capabilities, err error) diag.Diagnostic {
	var reinvitation *reinvitationError
	switch {
	case errors.As(err, &reinvitation):
		return reinvitationFailedDiagnostic(orgID, reinvitation.previous, c.Role, server, reinvitation.err, reinvitation.restoreErr)
	case c.Action == membership.Invite:
		return addMemberDiagnostic(orgID, c.Email, c.Role, server, err)
	case c.Action == membership.Remove:
		return apiErrorDiagnostic(fmt.Sprintf("remove %s from organization %s", c.Email, orgID), err)
	}
	return apiErrorDiagnostic(fmt.Sprintf("change the role of %s in organization %s to %q", c.Email, orgID, c.Role), err)
}

// memberAttribute is the attribute of capgo_organization_member a finding is about.
func memberAttribute(f membership.Finding) path.Path {
	switch f.Subject {
	case membership.AboutRole:
		return pathRole
	case membership.AboutEmail:
		return pathEmail
	}
	return path.Empty()
}

// noAccountSentence says, for an invitation Capgo refused for want of an account, what the person
// must do. A server that matches emails case included was also asked for the lower-case spelling.
func noAccountSentence(email string, server capgo.Capabilities) string {
	also := ""
	if server.MatchesEmailsExactly && strings.ToLower(email) != email {
		also = fmt.Sprintf(" (nor under %s)", strings.ToLower(email))
	}
	return fmt.Sprintf("Capgo has no account with this email%s. The person must sign up to Capgo first, with this "+
		"email; then run terraform apply again.", also)
}
