package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// membersOf lists an organization's members with list, and reports gone when the organization no
// longer exists.
func membersOf(ctx context.Context, client *capgo.Client, orgID string,
	list func(context.Context, string) ([]capgo.Member, error),
) (members []capgo.Member, gone bool, err error) {
	members, err = list(ctx, orgID)
	if capgo.IsNotFound(err) || (capgo.IsOrganizationUnreachable(err) && organizationGone(ctx, client, orgID)) {
		return nil, true, nil
	}
	return members, false, err
}

// membersOfExisting is membersOf for callers to whom a missing organization is an error.
func membersOfExisting(ctx context.Context, client *capgo.Client, orgID string,
	list func(context.Context, string) ([]capgo.Member, error),
) ([]capgo.Member, diag.Diagnostics) {
	var diags diag.Diagnostics
	members, gone, err := membersOf(ctx, client, orgID, list)
	switch {
	case gone:
		diags.Append(organizationNotFoundDiagnostic(orgID))
	case err != nil:
		diags.Append(memberOrganizationDiagnostic(orgID, "list the members of", err))
	}
	return members, diags
}

// organizationGone tells, after an answer of Capgo's production API that means either "no such
// organization" or "you may not do this in it" (capgo.IsOrganizationUnreachable), which of the
// two it was. Forgetting an organization or its members for want of a right would be wrong.
func organizationGone(ctx context.Context, client *capgo.Client, id string) bool {
	_, err := client.GetOrganization(ctx, id)
	return capgo.IsOrganizationGone(err)
}

// findMember reads the organization's member list afresh and finds email in it.
func (r *organizationMemberResource) findMember(ctx context.Context, orgID, email string) (capgo.Member, bool, error) {
	members, err := r.client.ListMembers(ctx, orgID)
	if err != nil {
		return capgo.Member{}, false, err
	}
	member, found := findMember(members, email)
	return member, found, nil
}

// setRole invites email with role, or (documented API) changes the role of an existing member.
// After an ambiguous failure it reads the member list back, and sends the request again only if
// the member does not hold the role yet. The member is returned when the API's answer or the
// read-back shows it.
func (r *organizationMemberResource) setRole(ctx context.Context, orgID, email, role string) (*capgo.Member, error) {
	var result *capgo.Member
	err := r.client.WriteConfirmed(ctx,
		func(ctx context.Context) error {
			var err error
			result, err = r.client.AddMember(ctx, capgo.AddMemberRequest{OrganizationID: orgID, Email: email, Role: role})
			return err
		},
		func(ctx context.Context) (bool, error) {
			member, found, err := r.findMember(ctx, orgID, email)
			if !found || !sameRole(role, member.PlainRole()) {
				return false, err
			}
			result = &member
			return true, nil
		})
	return result, err
}

// memberAfterWrite returns the member as stored after an add: from the answer when the API gives
// one (the documented API does), else from the member list.
func (r *organizationMemberResource) memberAfterWrite(ctx context.Context, orgID, email string, added *capgo.Member) (capgo.Member, diag.Diagnostics) {
	var diags diag.Diagnostics
	if added != nil && strings.EqualFold(added.Email, email) && added.UID != "" {
		return *added, diags
	}
	member, found, err := r.findMember(ctx, orgID, email)
	if err != nil {
		diags.Append(memberOrganizationDiagnostic(orgID, "read back the members of", err))
		return capgo.Member{}, diags
	}
	if !found {
		diags.AddError("Member not found after inviting them",
			fmt.Sprintf("Capgo accepted the invitation of %s to organization %s but does not list them. Run "+
				"terraform apply again.", email, orgID))
	}
	return member, diags
}

// remove removes a member or revokes an invitation, confirming after an ambiguous failure. The
// email goes out as Capgo lists it: its production API matches emails case included.
func (r *organizationMemberResource) remove(ctx context.Context, orgID string, member capgo.Member) error {
	return r.client.WriteConfirmed(ctx,
		func(ctx context.Context) error {
			err := r.client.RemoveMember(ctx, orgID, member.Email)
			if capgo.IsNotFound(err) && !capgo.IsNoSuchUser(err) {
				return nil // already removed
			}
			return err
		},
		func(ctx context.Context) (bool, error) {
			_, found, err := r.findMember(ctx, orgID, member.Email)
			return !found, err
		})
}

// changeRoleInPlace changes a role with the documented API's add call, which updates an existing
// member or invitation and keeps an invitation pending.
func (r *organizationMemberResource) changeRoleInPlace(ctx context.Context, orgID string, members []capgo.Member,
	current capgo.Member, role string,
) (capgo.Member, diag.Diagnostics) {
	var diags diag.Diagnostics
	email := current.Email
	sent, err := roleToSend(role, false)
	if err != nil {
		diags.Append(unknownRoleDiagnostic(err))
		return capgo.Member{}, diags
	}
	if !isSuperAdminRole(role) && isLastAcceptedSuperAdmin(members, email) {
		diags.AddAttributeError(pathRole, "Cannot demote the last super_admin",
			lastSuperAdminDetail(orgID, email, "demoting them to "+role, false))
		return capgo.Member{}, diags
	}
	added, err := r.setRole(ctx, orgID, email, sent)
	if err != nil && !capgo.IsConflict(err) { // a conflict means they hold that role already
		diags.Append(apiErrorDiagnostic(fmt.Sprintf("change the role of %s in organization %s to %q", email, orgID, role), err))
		return capgo.Member{}, diags
	}
	return r.memberAfterWrite(ctx, orgID, email, added)
}

// changeRoleByReinvitation changes a role against Capgo's production API, which cannot change
// one: the member is removed and invited again with the new role. A pending invitation loses
// nothing by that. An accepted member loses their access until they accept the new invitation, so
// that is done only when allowed; and never for the last accepted org_super_admin, whose removal
// makes Capgo delete the whole organization.
func (r *organizationMemberResource) changeRoleByReinvitation(ctx context.Context, orgID string, members []capgo.Member,
	current capgo.Member, role string, allowed bool,
) (capgo.Member, diag.Diagnostics) {
	var diags diag.Diagnostics
	email := current.Email
	if refusal := reinvitationRefusal(orgID, members, current, role, allowed); refusal != nil {
		diags.Append(refusal)
		return capgo.Member{}, diags
	}

	tflog.Info(ctx, "changing a Capgo member's role by removing and re-inviting them", map[string]any{"organization_id": orgID})
	if err := r.remove(ctx, orgID, current); err != nil {
		diags.Append(apiErrorDiagnostic(fmt.Sprintf("remove %s from organization %s to invite them again as %q", email, orgID, role), err))
		return capgo.Member{}, diags
	}
	added, err := r.setRole(ctx, orgID, email, role)
	if err != nil {
		// Put the previous invitation back rather than leave the person out of the organization.
		_, restoreErr := r.setRole(ctx, orgID, email, current.PlainRole())
		diags.Append(reinvitationFailedDiagnostic(orgID, current, role, err, restoreErr))
		return capgo.Member{}, diags
	}
	return r.memberAfterWrite(ctx, orgID, email, added)
}

// checkRoleChange refuses at plan time a role change the apply would refuse: an accepted member,
// against Capgo's production API, without reinvite_on_role_change; and warns of a re-invitation.
// The member list is the one the refresh read, so this costs no request. When it cannot be read,
// the apply decides.
func (r *organizationMemberResource) checkRoleChange(ctx context.Context, state, plan memberModel, diags *diag.Diagnostics) {
	orgID, email, role := state.OrganizationID.ValueString(), state.Email.ValueString(), plan.Role.ValueString()
	members, err := r.client.ListMembersShared(ctx, orgID)
	if err != nil || !speaksProduction(members) {
		return
	}
	current, found := findMember(members, email)
	if !found || sameRole(role, current.PlainRole()) {
		return
	}
	// An unknown reinvite_on_role_change is decided at apply time.
	allowed := plan.ReinviteOnRoleChange.IsUnknown() || plan.ReinviteOnRoleChange.ValueBool()
	if refusal := reinvitationRefusal(orgID, members, current, role, allowed); refusal != nil {
		diags.Append(refusal)
		return
	}
	// Revoking and re-sending a pending invitation loses nothing; no need to alarm anyone.
	if !current.Pending() && plan.ReinviteOnRoleChange.ValueBool() {
		diags.AddAttributeWarning(pathRole, "This role change re-invites the member",
			fmt.Sprintf("Capgo's production API cannot change the role of %s, who has accepted their invitation to "+
				"organization %s. As reinvite_on_role_change is true, the apply removes them and invites them again as "+
				"%q: they have no access until they accept the new invitation.", email, orgID, role))
	}
}

// reinvitationRefusal says why a role change against Capgo's production API, which removes and
// re-invites the member, must not go through, or is nil: never for the last accepted
// org_super_admin, whose removal makes Capgo delete the whole organization; for another accepted
// member, who loses access until they accept again, only when allowed.
func reinvitationRefusal(orgID string, members []capgo.Member, current capgo.Member, role string, allowed bool) diag.Diagnostic {
	switch {
	case isLastAcceptedSuperAdmin(members, current.Email):
		return diag.NewAttributeErrorDiagnostic(pathRole, "Cannot change the role of the last org_super_admin",
			lastSuperAdminDetail(orgID, current.Email, "changing their role (which Capgo's production API does by "+
				"removing and re-inviting them)", true))
	case !current.Pending() && !allowed:
		return diag.NewAttributeErrorDiagnostic(pathRole, "Role change needs a new invitation",
			acceptedRoleChangeDetail(orgID, current.Email, current.PlainRole(), role))
	}
	return nil
}
