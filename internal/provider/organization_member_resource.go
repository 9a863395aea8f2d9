package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/membership"
)

var (
	_ resource.Resource                = (*organizationMemberResource)(nil)
	_ resource.ResourceWithConfigure   = (*organizationMemberResource)(nil)
	_ resource.ResourceWithImportState = (*organizationMemberResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*organizationMemberResource)(nil)
	_ resource.ResourceWithIdentity    = (*organizationMemberResource)(nil)
)

// NewOrganizationMemberResource returns the capgo_organization_member resource.
func NewOrganizationMemberResource() resource.Resource {
	return &organizationMemberResource{}
}

// organizationMemberResource is one membership, pending or accepted. Accepting an invitation
// happens in the Capgo console, outside Terraform; it changes status, never role, so it is no diff.
type organizationMemberResource struct {
	configured
}

func (r *organizationMemberResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization_member"
}

func (r *organizationMemberResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A member of a Capgo organization, from invitation to acceptance. Creating it invites " +
			"the person; they stay `pending` until they accept in the Capgo console, then become `active`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`<organization_id>/<email>`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the organization. Changing it moves the membership: the member is " +
					"removed from the old organization and invited to the new one.",
				Required:      true,
				Validators:    []validator.String{organizationID()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"email": schema.StringAttribute{
				MarkdownDescription: "The email of the person's Capgo account; they must have signed up. Compared " +
					"without regard to case. Changing it to another address replaces the membership.",
				Required:   true,
				CustomType: emailType{},
				Validators: []validator.String{emailAddress()},
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.RequiresReplaceIf(emailChangedBeyondCase,
						"Changing the email to another address replaces the membership.",
						"Changing the email to another address replaces the membership."),
				},
			},
			"role": schema.StringAttribute{
				MarkdownDescription: "The member's role: one of " + markdownList(plainRoles) + " (Capgo's " +
					"documented roles), or one of " + markdownList(orgRoles) + " (the names Capgo's production " +
					"API uses; there, `read`, `upload` and `write` are all `org_member`, `admin` is `org_admin` and " +
					"`super_admin` is `org_super_admin`). Either vocabulary works against either API, with no diff. " +
					"Changing it updates the membership in place; a pending invitation stays pending. Capgo's " +
					"production API cannot change the role of a member who has accepted: see `reinvite_on_role_change`.",
				Required:   true,
				Validators: []validator.String{memberRole()},
			},
			"reinvite_on_role_change": schema.BoolAttribute{
				MarkdownDescription: "Capgo's production API has no way to change the role of a member who has accepted " +
					"their invitation: the member must be removed and invited again, and then has no access until they " +
					"accept the new invitation. The provider does that only when this is `true`; otherwise such a role " +
					"change is refused at plan time, and nothing is changed. Pending invitations are always re-sent with " +
					"the new role, and the documented API changes roles in place, so there it has no effect. Defaults to `false`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "`pending` until the person accepts the invitation in the Capgo console, then `active`.",
				Computed:            true,
			},
			"user_id": schema.StringAttribute{
				MarkdownDescription: "The member's Capgo user ID.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"image_url": schema.StringAttribute{
				MarkdownDescription: "The member's avatar URL; null when they have none.",
				Computed:            true,
			},
		},
	}
}

func (r *organizationMemberResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"organization_id": identityschema.StringAttribute{
				Description:       "The ID of the organization.",
				RequiredForImport: true,
			},
			"email": identityschema.StringAttribute{
				Description:       "The member's email, in lower case (any case is accepted for import).",
				RequiredForImport: true,
			},
		},
	}
}

// emailChangedBeyondCase replaces the membership only for another address: the same address in
// other letter case is the same Capgo account.
func emailChangedBeyondCase(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
	resp.RequiresReplace = !strings.EqualFold(req.StateValue.ValueString(), req.PlanValue.ValueString())
}

func (r *organizationMemberResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.configure(req.ProviderData, &resp.Diagnostics)
}

func (r *organizationMemberResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if !r.hasClient(&resp.Diagnostics, "invite the member") {
		return
	}
	var plan memberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID, email, role := plan.OrganizationID.ValueString(), plan.Email.ValueString(), plan.Role.ValueString()

	// Capgo's documented add call also changes the role of someone already there: creating must
	// never do that silently (membership.InviteMember refuses). The list may be shared with the
	// other members created by this apply: their invitations do not change whether this email is
	// a member.
	w := memberWriter{client: r.client, orgID: orgID}
	var invitation membership.Change
	var answered *capgo.Member
	err := r.client.WriteToOrganization(ctx, orgID, nil, func(ctx context.Context, _ bool) error {
		members, diags := membersOfExisting(ctx, r.client, orgID, func(ctx context.Context, orgID string) ([]capgo.Member, error) {
			return r.client.ListMembersSharedFor(ctx, orgID, email)
		})
		if resp.Diagnostics.Append(diags...); diags.HasError() {
			return errReported
		}
		s := membership.Situation{OrganizationID: orgID, Members: members, Server: r.client.Capabilities()}
		decided := membership.InviteMember(s, email, role)
		if decided.Refused() {
			resp.Diagnostics.Append(findingDiagnostics(decided.Refusals, diag.SeverityError, memberAttribute)...)
			return errReported
		}
		invitation = decided.Changes[0]
		var err error
		if answered, err = w.send(ctx, invitation); err != nil {
			resp.Diagnostics.Append(memberWriteDiagnostic(orgID, invitation, r.client.Capabilities(), err))
			return errReported
		}
		return nil
	})
	if errors.Is(err, capgo.ErrAccessLost) {
		resp.Diagnostics.Append(accessLostDiagnostic(orgID, email, "invited"))
	}
	if err != nil {
		return
	}
	tflog.Info(ctx, "invited Capgo organization member", map[string]any{"organization_id": orgID})

	plan.ID = memberIDValue(orgID, email)
	setIdentity(ctx, resp.Identity, newMemberIdentity(orgID, email), &resp.Diagnostics)
	member, err := w.memberAfterWrite(ctx, email, answered)
	if err != nil {
		// The invitation was confirmed; only its details could not be read. The state holds what
		// is known, without an error: an error would taint the membership, and its replacement
		// would remove and re-invite someone who may have accepted meanwhile. The next refresh
		// reads the rest, or finds the member gone and plans the invitation again.
		plan.Status, plan.UserID, plan.ImageURL = types.StringValue(statusPending), types.StringNull(), types.StringNull()
		resp.Diagnostics.AddWarning("Invitation sent, details not read back",
			fmt.Sprintf("Capgo accepted the invitation of %s to organization %s, but reading the member back failed: %v. "+
				"The state holds the invitation as pending; the next terraform plan or apply reads it again.", email, orgID, err))
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		return
	}
	plan.ID = memberIDValue(orgID, member.Email) // as Capgo spells it, as an import stores it
	plan.setFromAPI(member)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *organizationMemberResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state memberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID, email := state.OrganizationID.ValueString(), state.Email.ValueString()
	// Set before anything else: state written by a release without identities has none, and a
	// read must return one even when it keeps or removes the state. A respelt email is the same.
	setIdentity(ctx, resp.Identity, newMemberIdentity(orgID, email), &resp.Diagnostics)
	if r.readWithoutClient(req, resp) {
		return
	}

	// One list answers every member of the organization refreshed by this process.
	members, gone, err := membersOf(ctx, r.client, orgID, r.client.ListMembersShared)
	if gone {
		tflog.Warn(ctx, "Capgo organization no longer found; removing its member from state", map[string]any{"organization_id": orgID})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(memberOrganizationDiagnostic(orgID, "list the members of", err))
		return
	}
	member, found := membership.Find(members, email)
	if !found {
		// Removed in the console, or the invitation was revoked: the plan should invite them again.
		tflog.Warn(ctx, "Capgo organization member no longer found; removing it from state", map[string]any{"organization_id": orgID})
		resp.State.RemoveResource(ctx)
		return
	}
	refreshed := state
	refreshed.setFromAPI(member)
	if refreshed.ReinviteOnRoleChange.IsNull() {
		refreshed.ReinviteOnRoleChange = types.BoolValue(false) // imported: the default, as a new resource has
	}
	if refreshed == state {
		return // resp.State holds the prior state already; setting it again costs much in a large refresh
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, refreshed)...)
}

func (r *organizationMemberResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	if !r.hasClient(&resp.Diagnostics, "change the membership") {
		return
	}
	var plan, state memberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// A failed update keeps the state as it was, not the plan: the server still holds the old role.
	defer func() {
		if resp.Diagnostics.HasError() {
			resp.State.Raw = req.State.Raw.Copy()
		}
	}()
	orgID, email, role := state.OrganizationID.ValueString(), state.Email.ValueString(), plan.Role.ValueString()
	setIdentity(ctx, resp.Identity, newMemberIdentity(orgID, email), &resp.Diagnostics)
	plan.ID = state.ID
	plan.Status, plan.UserID, plan.ImageURL = state.Status, state.UserID, state.ImageURL
	if capgo.SameRole(role, state.Role.ValueString()) {
		// Only the spelling changed (of the email, or of the role in the other vocabulary): the same
		// membership, so there is nothing to send.
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		return
	}

	reinvite := membership.PermissionOf(true, plan.ReinviteOnRoleChange.ValueBool())
	w := memberWriter{client: r.client, orgID: orgID}
	decided, answered, diags := w.decideAndSend(ctx, email, "changed", func(s membership.Situation) membership.Plan {
		return membership.SetMemberRole(s, email, role, reinvite)
	})
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	member, err := w.memberAfterWrite(ctx, email, answered)
	if len(decided.Changes) == 0 && len(decided.After) == 1 {
		member, err = decided.After[0], nil // the server held the role already
	}
	if err != nil {
		resp.Diagnostics.Append(memberOrganizationDiagnostic(orgID, "read back the members of", err))
		return
	}
	plan.setFromAPI(member)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *organizationMemberResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	if !r.hasClient(&resp.Diagnostics, "remove the member") {
		return
	}
	var state memberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID, email, role := state.OrganizationID.ValueString(), state.Email.ValueString(), state.Role.ValueString()
	w := memberWriter{client: r.client, orgID: orgID}
	_, _, diags := w.decideAndSend(ctx, email, "removed", func(s membership.Situation) membership.Plan {
		return membership.RemoveMember(s, email, role, "")
	})
	resp.Diagnostics.Append(diags...)
}

// ModifyPlan tells at plan time what a membership change will do that the plan itself cannot
// show, and refuses what the apply would refuse, from the member list the refresh read (shared,
// so it costs no request). Without a client or a member list the apply decides.
func (r *organizationMemberResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.Equal(req.State.Raw) {
		return // nothing changes, as for most members of a large configuration
	}
	var plan, state memberModel
	if !req.Plan.Raw.IsNull() {
		resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	}
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	switch {
	case req.State.Raw.IsNull():
		if plan.OrganizationID.IsUnknown() || plan.Email.IsUnknown() || plan.Role.IsUnknown() {
			return
		}
		if r.client == nil {
			return
		}
		// The answer that serves the other members created in this organization serves this one:
		// their invitations do not change whether this email is a member.
		orgID, email := plan.OrganizationID.ValueString(), plan.Email.ValueString()
		s, diags := planSituationFrom(ctx, r.client, orgID, func(ctx context.Context, orgID string) ([]capgo.Member, error) {
			return r.client.ListMembersSharedFor(ctx, orgID, email)
		})
		if resp.Diagnostics.Append(diags...); diags.HasError() {
			return
		}
		resp.Diagnostics.Append(planDiagnostics(membership.InviteMember(s, plan.Email.ValueString(), plan.Role.ValueString()), memberAttribute)...)
	case req.Plan.Raw.IsNull():
		r.planRemoval(ctx, state, "destroys", &resp.Diagnostics)
	case !plan.OrganizationID.Equal(state.OrganizationID) ||
		(!plan.Email.IsUnknown() && !strings.EqualFold(plan.Email.ValueString(), state.Email.ValueString())):
		r.planRemoval(ctx, state, "replaces", &resp.Diagnostics)
	case plan.Role.IsUnknown() || capgo.SameRole(plan.Role.ValueString(), state.Role.ValueString()):
	default:
		s := r.planSituationWithKey(ctx, state.OrganizationID.ValueString())
		reinvite := membership.PermissionOf(!plan.ReinviteOnRoleChange.IsUnknown(), plan.ReinviteOnRoleChange.ValueBool())
		decided := membership.SetMemberRole(s, state.Email.ValueString(), plan.Role.ValueString(), reinvite)
		resp.Diagnostics.Append(planDiagnostics(decided, memberAttribute)...)
		// A role change keeps the image, and the status unless the member is invited again.
		plan.ImageURL = state.ImageURL
		if len(decided.After) == 1 && !s.Unread {
			plan.Status = types.StringValue(memberStatus(decided.After[0]))
		}
		resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
	}
}

// planRemoval tells what removing the membership will do: change is "destroys" or "replaces".
func (r *organizationMemberResource) planRemoval(ctx context.Context, state memberModel, change string, diags *diag.Diagnostics) {
	s := r.planSituationWithKey(ctx, state.OrganizationID.ValueString())
	diags.Append(planDiagnostics(membership.RemoveMember(s, state.Email.ValueString(), state.Role.ValueString(), change), memberAttribute)...)
}

// planSituationWithKey is the organization of a membership in state as the refresh read it, and
// whose key this is. A missing organization is left to the refresh, which drops the membership.
func (r *organizationMemberResource) planSituationWithKey(ctx context.Context, orgID string) membership.Situation {
	s, _ := planSituation(ctx, r.client, orgID)
	if s.Unread {
		return s
	}
	return withKey(ctx, r.client, s)
}

func (r *organizationMemberResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	orgID, email, ok := memberToImport(ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	if !r.hasClient(&resp.Diagnostics, "look up the member to import") {
		return
	}
	// Look the member up now: Terraform's own message for an import that finds nothing names
	// neither the ID nor the reason, and the state must hold the email as Capgo spells it.
	members, gone, err := membersOf(ctx, r.client, orgID, r.client.ListMembersShared)
	switch {
	case gone:
		resp.Diagnostics.AddError("Cannot import: organization not found", importOrganizationNotFoundDetail(orgID))
		return
	case err != nil:
		resp.Diagnostics.Append(memberOrganizationDiagnostic(orgID, "list the members of", err))
		return
	}
	member, found := membership.Find(members, email)
	if !found {
		resp.Diagnostics.AddError("Cannot import: not a member of the organization",
			fmt.Sprintf("%s is neither a member nor a pending invitee of organization %s, so there is no membership "+
				"%q to import. The capgo_organization_members data source lists who is.", email, orgID, memberID(orgID, email)))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), memberID(orgID, member.Email))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("organization_id"), orgID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("email"), newEmailValue(member.Email))...)
	setIdentity(ctx, resp.Identity, newMemberIdentity(orgID, member.Email), &resp.Diagnostics)
}

// parseMemberImportID splits `<organization_id>/<email>`.
func parseMemberImportID(id string) (orgID, email string, err error) {
	orgID, email, ok := strings.Cut(id, "/")
	if !ok || !isOrganizationID(orgID) || !isEmailAddress(email) {
		return "", "", fmt.Errorf("%q is not a member import ID. Use <organization_id>/<email>, for example:\n\n"+
			"  terraform import capgo_organization_member.dev 0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b/dev@example.com", id)
	}
	return orgID, email, nil
}
