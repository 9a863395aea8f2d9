package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
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

// unknownRoleDiagnostic reports a role the server at hand has no name for (roleToSend).
func unknownRoleDiagnostic(err error) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(pathRole, "Role unknown to this Capgo server", err.Error()+".")
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
			existing.Email, what, orgID, existing.Role, id, id))
}

// addMemberDiagnostic explains why an invitation was refused.
func addMemberDiagnostic(orgID, email, role string, api capgo.API, err error) diag.Diagnostic {
	switch capgo.KindOf(err) {
	case capgo.KindNoSuchAccount:
		exactly := "with this email"
		if api.MatchesEmailsExactly() {
			exactly = "with exactly this email, letter case included (Capgo's production API matches emails " +
				"case by case, so Dev@example.com is not dev@example.com)"
		}
		return diag.NewAttributeErrorDiagnostic(pathEmail, "No Capgo account for this email",
			fmt.Sprintf("Capgo has no account with the email %s, so it cannot be invited to organization %s. "+
				"The person must sign up to Capgo first, %s; then run terraform apply again.", email, orgID, exactly))
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

// lastSuperAdminDetail explains the last-super_admin rule and the way out. Against Capgo's
// production API the stakes are higher: it deletes the whole organization.
func lastSuperAdminDetail(orgID, email, change string, api capgo.API) string {
	consequence := "would leave the organization without anyone in full control"
	if api.DeletesOrganizationWithLastSuperAdmin() {
		consequence = "would make Capgo delete the whole organization, with all its apps (this is what its " +
			"production API does when the last org_super_admin goes)"
	}
	return fmt.Sprintf("%s is the last accepted super_admin of organization %s; %s %s, so the provider refuses, "+
		"and nothing was changed.\n\n%s", email, orgID, change, consequence, lastSuperAdminWayOut)
}

// lastSuperAdminWayOut is what to do instead of removing or demoting the last super_admin.
const lastSuperAdminWayOut = "Give another member the super_admin role first and wait until they have accepted " +
	"their invitation. To delete the whole organization instead, first stop managing this membership without " +
	"removing it (a removed block with destroy = false, or terraform state rm), then destroy the capgo_organization."

// acceptedRoleChangeDetail explains why a role change against Capgo's production API needs the
// user's consent, and the ways forward.
func acceptedRoleChangeDetail(orgID, email, from, to string) string {
	return fmt.Sprintf("%s has accepted their invitation to organization %s with role %q. Capgo's production API "+
		"cannot change the role of an accepted member: the only way is to remove them and invite them again as %q, "+
		"and they have no access until they accept that new invitation. Nothing was changed.\n\n"+
		"To do that, set reinvite_on_role_change = true on this resource. Or change the role in the Capgo console "+
		"and set role to match it.", email, orgID, from, to)
}

// reinvitationFailedDiagnostic reports a re-invitation that removed the member but could not invite
// them again, and whether the previous invitation could be put back.
func reinvitationFailedDiagnostic(orgID string, previous capgo.Member, role string, api capgo.API, err, restoreErr error) diag.Diagnostic {
	inviteProblem := addMemberDiagnostic(orgID, previous.Email, role, api, err).Detail()
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

// ownReinvitationRefusal refuses to change the role of the API key's own accepted membership
// against Capgo's production API: removing it first would leave the key unable to invite it again.
func ownReinvitationRefusal(orgID, email, role string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(pathRole, "Cannot change the role of the API key's own membership",
		fmt.Sprintf("%s is the user the API key belongs to. Capgo's production API changes a role by removing the "+
			"member and inviting them again as %q; once the key's user is removed from organization %s, the key can "+
			"no longer invite anyone there, itself included. Nothing was changed.\n\n"+
			"Change this role in the Capgo console, or with the API key of another org_super_admin of the "+
			"organization, then set role to match.", email, role, orgID))
}
