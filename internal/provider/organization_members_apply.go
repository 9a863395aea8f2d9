package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// apply makes the organization's membership the planned one, and leaves in state what the server
// then holds: on success the plan, on a partial failure exactly what was done.
func (r *organizationMembersResource) apply(ctx context.Context, plan organizationMembersModel, state *tfsdk.State, diags *diag.Diagnostics) {
	orgID := plan.OrganizationID.ValueString()
	members, d := membersOfExisting(ctx, r.client, orgID, r.client.ListMembers)
	if diags.Append(d...); d.HasError() {
		return
	}
	changes := changesFor(configuredRoles(plan.Members), members, r.client.API())
	refusals := changes.refusals(ctx, r.client, orgID, members, plan.ReinviteOnRoleChange.ValueBool())
	if diags.Append(refusals...); refusals.HasError() {
		return
	}
	ops, d := r.opsFor(orgID, changes)
	if diags.Append(d...); d.HasError() {
		return
	}
	if len(ops) == 0 {
		// Only spellings changed (an email's case, a role's vocabulary): nothing to send.
		plan.Members = membershipFromServer(plan.Members, members)
		diags.Append(state.Set(ctx, plan)...)
		return
	}
	outcome := r.runMemberOps(ctx, orgID, ops)
	if failure := outcome.diagnostic(orgID, "the membership"); failure != nil {
		diags.Append(failure)
	}

	// The state is what the server holds now, whatever failed.
	after, err := r.client.ListMembers(ctx, orgID)
	if err != nil {
		diags.Append(memberOrganizationDiagnostic(orgID, "read back the members of", err))
		after = members // the last list known; the next refresh corrects it
	}
	plan.Members = membershipFromServer(plan.Members, after)
	diags.Append(state.Set(ctx, plan)...)
}

func (r *organizationMembersResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state organizationMembersModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !r.hasClient(&resp.Diagnostics, "remove the members") {
		return
	}
	orgID := state.OrganizationID.ValueString()
	members, gone, err := membersOf(ctx, r.client, orgID, r.client.ListMembers)
	if gone {
		return // the organization went, and its members with it
	}
	if err != nil {
		resp.Diagnostics.Append(memberOrganizationDiagnostic(orgID, "list the members of", err))
		return
	}
	var listed []capgo.Member
	inState := indexByEmail(state.Members)
	for _, m := range members {
		if _, _, ok := inState.find(m.Email); ok {
			listed = append(listed, m)
		}
	}
	kept, reason := r.keptOnDestroy(ctx, listed)
	changes := membershipChanges{}
	for _, m := range listed {
		if !kept[m.Email] {
			changes.removes = append(changes.removes, m)
		}
	}
	ops, d := r.opsFor(orgID, changes)
	if resp.Diagnostics.Append(d...); d.HasError() {
		return
	}
	outcome := r.runMemberOps(ctx, orgID, ops)
	if failure := outcome.diagnostic(orgID, "removing them"); failure != nil {
		resp.Diagnostics.Append(failure)
		return
	}
	if len(kept) > 0 {
		names := make([]string, 0, len(kept))
		for _, m := range listed {
			if kept[m.Email] {
				names = append(names, m.Email)
			}
		}
		resp.Diagnostics.Append(keptOnDestroyWarning(orgID, names, reason))
	}
}

// keptOnDestroyWarning tells whom a destroy kept, and why: a destroy that seems to have emptied
// the organization must not leave people with access unsaid.
func keptOnDestroyWarning(orgID string, kept []string, reason string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Some members were kept",
		fmt.Sprintf("Destroying capgo_organization_members removed every listed member of organization %s but %s: %s. "+
			"They stay members; remove them in the Capgo console, or delete the organization.",
			orgID, strings.Join(kept, ", "), reason))
}

// keptOnDestroy are the listed members a destroy keeps: the API key's own user, whose removal would
// cut Terraform off the organization, and an accepted super_admin, without whom the organization
// cannot be (Capgo's production API deletes it). When the key's user is unknown, every accepted
// member who controls the organization is kept, as any of them may be the key's.
func (r *organizationMembersResource) keptOnDestroy(ctx context.Context, listed []capgo.Member) (map[string]bool, string) {
	kept := map[string]bool{}
	uid, known := r.client.KeyUserID(ctx)
	if !known {
		for _, m := range listed {
			if m.ControlsOrganization() {
				kept[m.Email] = true
			}
		}
		return kept, "the provider cannot tell whose API key it uses, so it keeps every accepted admin and super_admin"
	}
	keepsSuperAdmin := false
	for _, m := range listed {
		if m.UID == uid {
			kept[m.Email] = true
			keepsSuperAdmin = isAcceptedSuperAdmin(m)
		}
	}
	if !keepsSuperAdmin {
		for _, m := range listed {
			if isAcceptedSuperAdmin(m) {
				kept[m.Email] = true
				break
			}
		}
	}
	return kept, "the API key's own user and an accepted super_admin stay, as an organization needs them"
}

// ModifyPlan keeps the status and user ID of every member whose role does not change, so that
// only the members that change show in the plan, and refuses at plan time what the apply would
// refuse, when the members can be read.
func (r *organizationMembersResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || !membersKnown(ctx, req) {
		return
	}
	var plan organizationMembersModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var prior map[string]membershipEntry
	if !req.State.Raw.IsNull() {
		var state organizationMembersModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if state.OrganizationID.Equal(plan.OrganizationID) {
			prior = state.Members
		}
	}
	priorByEmail := indexByEmail(prior)
	for email, entry := range plan.Members {
		_, before, found := priorByEmail.find(email)
		if found && !entry.Role.IsUnknown() && capgo.SameRole(entry.Role.ValueString(), before.Role.ValueString()) {
			entry.Status, entry.UserID = before.Status, before.UserID
		} else {
			entry.Status, entry.UserID = types.StringUnknown(), types.StringUnknown()
		}
		plan.Members[email] = entry
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, pathMembers, plan.Members)...)
	r.checkAtPlanTime(ctx, plan, &resp.Diagnostics)
}

// membersKnown reports whether the planned members map and its roles are known.
func membersKnown(ctx context.Context, req resource.ModifyPlanRequest) bool {
	var members types.Map
	if diags := req.Plan.GetAttribute(ctx, pathMembers, &members); diags.HasError() || members.IsUnknown() || members.IsNull() {
		return false
	}
	for _, element := range members.Elements() {
		if element.IsUnknown() {
			return false
		}
		object, ok := element.(types.Object)
		if !ok {
			return false
		}
		if role, ok := object.Attributes()["role"]; !ok || role.IsUnknown() {
			return false
		}
	}
	return true
}

// checkAtPlanTime refuses what the apply would refuse, from the members the refresh read (shared,
// so no request more); ModifyPlan calls it only once every role is known. Without a client, a
// known organization, or a member list, the apply decides.
func (r *organizationMembersResource) checkAtPlanTime(ctx context.Context, plan organizationMembersModel, diags *diag.Diagnostics) {
	if r.client == nil || plan.OrganizationID.IsUnknown() || plan.ReinviteOnRoleChange.IsUnknown() {
		return
	}
	orgID := plan.OrganizationID.ValueString()
	members, err := r.client.ListMembersShared(ctx, orgID)
	if err != nil {
		return
	}
	changes := changesFor(configuredRoles(plan.Members), members, r.client.API())
	diags.Append(changes.refusals(ctx, r.client, orgID, members, plan.ReinviteOnRoleChange.ValueBool())...)
}
