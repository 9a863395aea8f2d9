package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// Plan-time checks of membership changes. They use the member list the refresh read (shared, so
// they cost no request) and tell what the apply will do, or refuse what it would refuse, so that
// nothing is sent for a change that cannot succeed. Without a client or a member list (the
// provider's settings are not known yet, or the list cannot be read) the apply decides.

// planMembers is the organization's member list as the refresh read it, and the member; ok is
// false when it cannot be had.
func (r *organizationMemberResource) planMembers(ctx context.Context, state memberModel) ([]capgo.Member, capgo.Member, bool) {
	if r.client == nil {
		return nil, capgo.Member{}, false
	}
	members, err := r.client.ListMembersShared(ctx, state.OrganizationID.ValueString())
	if err != nil {
		return nil, capgo.Member{}, false
	}
	member, found := findMember(members, state.Email.ValueString())
	return members, member, found
}

// isKeyUser reports whether member is the API key's own user, when the client can tell.
func (r *organizationMemberResource) isKeyUser(ctx context.Context, member capgo.Member) bool {
	uid, known := r.client.KeyUserID(ctx)
	return known && uid == member.UID
}

// checkRemoval tells whoever reviews the plan what removing a membership will do: refused for the
// last accepted super_admin, last of all and at the cost of Terraform's access for the API key's
// own membership. change is "destroys" or "replaces".
func (r *organizationMemberResource) checkRemoval(ctx context.Context, state memberModel, change string, diags *diag.Diagnostics) {
	orgID, email := state.OrganizationID.ValueString(), state.Email.ValueString()
	members, member, found := r.planMembers(ctx, state)
	if !found {
		if members == nil && capgo.IsSuperAdminRole(state.Role.ValueString()) {
			// Nothing is known of the organization's other members.
			diags.AddWarning("This plan removes a super_admin",
				fmt.Sprintf("The plan %s the membership of %s, a super_admin of organization %s. If they are its last "+
					"accepted super_admin, the provider will refuse to remove them and the apply will stop there.",
					change, email, orgID))
		}
		return
	}
	if isLastAcceptedSuperAdmin(members, email) {
		diags.AddWarning("The removal of the last super_admin will be refused",
			fmt.Sprintf("The plan %s the membership of %s, the last accepted super_admin of organization %s. "+
				"The provider will refuse to remove them, and the apply will stop there.\n\n%s",
				change, member.Email, orgID, lastSuperAdminWayOut))
		return
	}
	if !member.ControlsOrganization() {
		return
	}
	if r.isKeyUser(ctx, member) {
		diags.AddWarning("Terraform will lose access to the organization",
			fmt.Sprintf("The plan %s the membership of %s, the user the API key belongs to, in organization %s. "+
				"The provider removes it after its other changes to the organization in this run; from then on "+
				"the key can no longer see the organization, and later runs cannot manage it with this key.",
				change, member.Email, orgID))
		return
	}
	if _, known := r.client.KeyUserID(ctx); !known {
		diags.AddWarning("This plan removes an admin of the organization",
			fmt.Sprintf("The plan %s the membership of %s, an accepted %s of organization %s. The provider cannot "+
				"tell whose API key it uses (it can when the key's user is in more than one organization); if it is "+
				"%s's, Terraform loses access to the organization once the membership is removed. The provider "+
				"removes memberships of admins after its other changes to the organization in this run.",
				change, member.Email, member.Role, orgID, member.Email))
	}
}

// checkRoleChange refuses at plan time a role change the apply would refuse, and warns of what the
// plan cannot show: demoting the last accepted super_admin (either API), an accepted member's role
// change without reinvite_on_role_change, or of the key's own membership (Capgo's production API);
// a re-invitation, or the key's own demotion.
func (r *organizationMemberResource) checkRoleChange(ctx context.Context, state, plan memberModel, diags *diag.Diagnostics) {
	orgID, role := state.OrganizationID.ValueString(), plan.Role.ValueString()
	members, current, found := r.planMembers(ctx, state)
	if !found || capgo.SameRole(role, current.Role) {
		return
	}
	if !isMemberRole(current.Role) {
		diags.AddAttributeWarning(pathRole, "Role unknown to the provider",
			fmt.Sprintf("Capgo reports role %q for %s in organization %s, a role this provider does not assign (given "+
				"in the Capgo console). This plan replaces it with %q. To keep it, manage this membership in the Capgo "+
				"console instead: remove the resource from Terraform without destroying it (a removed block with "+
				"destroy = false).", current.Role, current.Email, orgID, role))
	}
	api := r.client.API()
	own := roleChangeIsGuarded(current, role, api) && r.isKeyUser(ctx, current)
	if api.ChangesRolesInPlace() {
		if !capgo.IsSuperAdminRole(role) && isLastAcceptedSuperAdmin(members, current.Email) {
			diags.AddAttributeError(pathRole, "Cannot demote the last super_admin",
				lastSuperAdminDetail(orgID, current.Email, "demoting them to "+role, api))
			return
		}
		if own {
			diags.AddAttributeWarning(pathRole, "This plan demotes the API key's own membership",
				fmt.Sprintf("%s is the user the API key belongs to. With role %q they can no longer manage the members "+
					"of organization %s, so later changes there will be refused for this key.", current.Email, role, orgID))
		}
		return
	}
	if own && !current.Pending() && !isLastAcceptedSuperAdmin(members, current.Email) {
		diags.Append(ownReinvitationRefusal(orgID, current.Email, role))
		return
	}
	// An unknown reinvite_on_role_change is decided at apply time.
	allowed := plan.ReinviteOnRoleChange.IsUnknown() || plan.ReinviteOnRoleChange.ValueBool()
	if refusal := reinvitationRefusal(orgID, members, current, role, allowed, api); refusal != nil {
		diags.Append(refusal)
		return
	}
	// Revoking and re-sending a pending invitation loses nothing; no need to alarm anyone.
	if !current.Pending() && plan.ReinviteOnRoleChange.ValueBool() {
		diags.AddAttributeWarning(pathRole, "This role change re-invites the member",
			fmt.Sprintf("Capgo's production API cannot change the role of %s, who has accepted their invitation to "+
				"organization %s. As reinvite_on_role_change is true, the apply removes them and invites them again as "+
				"%q: they have no access until they accept the new invitation.", current.Email, orgID, role))
	}
}
