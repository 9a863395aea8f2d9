package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/Cap-go/terraform-provider-capgo/internal/membership"
)

var (
	_ resource.Resource                   = (*organizationMembersResource)(nil)
	_ resource.ResourceWithConfigure      = (*organizationMembersResource)(nil)
	_ resource.ResourceWithImportState    = (*organizationMembersResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*organizationMembersResource)(nil)
	_ resource.ResourceWithValidateConfig = (*organizationMembersResource)(nil)
	_ resource.ResourceWithIdentity       = (*organizationMembersResource)(nil)
)

// NewOrganizationMembersResource returns the capgo_organization_members resource.
func NewOrganizationMembersResource() resource.Resource {
	return &organizationMembersResource{}
}

// organizationMembersResource is the whole membership of an organization: whoever the
// configuration does not list is removed.
type organizationMembersResource struct {
	configured
}

func (r *organizationMembersResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization_members"
}

func (r *organizationMembersResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The whole membership of a Capgo organization, pending invitations included. Applying it " +
			"invites whoever is missing, changes roles, and revokes the invitations of and removes whoever is not " +
			"listed, including members added in the Capgo console. Do not use it together with " +
			"`capgo_organization_member` for the same organization.\n\n" +
			"Before anything is sent, and at plan time when the members can be read, the provider refuses a " +
			"membership that would leave the API key's own user out of the organization or without a role that " +
			"controls it (`admin` or `super_admin`), or leave the organization without an accepted `super_admin`.\n\n" +
			"Destroying the resource removes every listed member but the API key's own user and, when no one " +
			"kept is one, one accepted `super_admin`: an organization cannot be left without them. When the " +
			"provider cannot tell whose key it uses, it keeps every accepted `admin` and `super_admin`. It says " +
			"whom it kept. To delete the organization itself, destroy the `capgo_organization`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The ID of the organization.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the organization. Changing it replaces the resource: the members of " +
					"the old organization are removed as on destroy.",
				Required:      true,
				Validators:    []validator.String{organizationID()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"members": schema.MapNestedAttribute{
				MarkdownDescription: "Every member and pending invitee, by the email of their Capgo account (they must " +
					"have signed up). Emails are compared without regard to case; the spelling written here is kept. " +
					"Accepting an invitation in the Capgo console changes `status`, never the plan.",
				Required: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"role": schema.StringAttribute{
							MarkdownDescription: "The member's role, in either vocabulary as for `capgo_organization_member`: " +
								"one of " + markdownList(plainRoles) + " or " + markdownList(orgRoles) + ". " +
								"A role the server names differently (`org_member` for `write`) is no diff. An import " +
								"holds the role as the server names it.",
							Required:   true,
							Validators: []validator.String{memberRole()},
						},
						"status": schema.StringAttribute{
							MarkdownDescription: "`pending` until the person accepts the invitation, then `active`.",
							Computed:            true,
						},
						"user_id": schema.StringAttribute{
							MarkdownDescription: "The member's Capgo user ID.",
							Computed:            true,
						},
					},
				},
			},
			"reinvite_on_role_change": schema.BoolAttribute{
				MarkdownDescription: "As on `capgo_organization_member`: Capgo's production API changes the role of a " +
					"member who has accepted only by removing and inviting them again, which the provider does only " +
					"when this is `true`; otherwise such a change is refused, and nothing is changed. Defaults to `false`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
		},
	}
}

func (r *organizationMembersResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = perOrganizationIdentitySchema("The ID of the organization whose membership it is.")
}

func (r *organizationMembersResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.configure(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig refuses what is wrong whatever the server holds: a key that is no email, two
// keys for one email (Capgo compares emails without regard to case).
func (r *organizationMembersResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	// The keys only, from the configuration as Terraform sent it: converting the whole map into
	// framework values costs milliseconds at hundreds of members, in each of a plan's validations.
	step, err := req.Config.Raw.ApplyTerraform5AttributePathStep(tftypes.AttributeName("members"))
	members, ok := step.(tftypes.Value)
	if err != nil || !ok || !members.IsKnown() || members.IsNull() {
		return
	}
	var elements map[string]tftypes.Value
	if err := members.As(&elements); err != nil {
		return
	}
	emails := make([]string, 0, len(elements))
	for email := range elements {
		if !isEmailAddress(email) {
			resp.Diagnostics.AddAttributeError(pathMembers.AtMapKey(email), "Invalid email",
				fmt.Sprintf("members key %q is not an email address.", email))
			continue
		}
		emails = append(emails, email)
	}
	resp.Diagnostics.Append(findingDiagnostics(membership.Duplicates(emails), diag.SeverityError, func(f membership.Finding) path.Path {
		return pathMembers.AtMapKey(f.Email)
	})...)
}

func (r *organizationMembersResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan organizationMembersModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !r.hasClient(&resp.Diagnostics, "set the members") {
		return
	}
	plan.ID = plan.OrganizationID
	r.apply(ctx, plan, true, &resp.State, &resp.Diagnostics)
	if !resp.State.Raw.IsNull() {
		setIdentity(ctx, resp.Identity, perOrganizationIdentity{OrganizationID: plan.OrganizationID}, &resp.Diagnostics)
	}
}

func (r *organizationMembersResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan organizationMembersModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !r.hasClient(&resp.Diagnostics, "change the members") {
		return
	}
	plan.ID = plan.OrganizationID
	setIdentity(ctx, resp.Identity, perOrganizationIdentity{OrganizationID: plan.OrganizationID}, &resp.Diagnostics)
	r.apply(ctx, plan, false, &resp.State, &resp.Diagnostics)
}

func (r *organizationMembersResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state, err := organizationMembersFromValue(req.State.Raw)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the state of capgo_organization_members", err.Error())
		return
	}
	// Set before anything else: a read must return an identity even when it keeps or removes the state.
	setIdentity(ctx, resp.Identity, perOrganizationIdentity{OrganizationID: state.OrganizationID}, &resp.Diagnostics)
	if r.readWithoutClient(req, resp) {
		return
	}
	orgID := state.OrganizationID.ValueString()
	members, gone, err := membersOf(ctx, r.client, orgID, r.client.ListMembersShared)
	if gone {
		tflog.Warn(ctx, "Capgo organization no longer found; removing its members from state", map[string]any{"organization_id": orgID})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(memberOrganizationDiagnostic(orgID, "list the members of", err))
		return
	}
	refreshed := state
	refreshed.ID = state.OrganizationID
	refreshed.Members = membershipFromServer(state.Members, members)
	if refreshed.ReinviteOnRoleChange.IsNull() {
		refreshed.ReinviteOnRoleChange = types.BoolValue(false) // imported: the default, as a new resource has
	}
	if refreshed.ID.Equal(state.ID) && refreshed.ReinviteOnRoleChange.Equal(state.ReinviteOnRoleChange) &&
		maps.Equal(refreshed.Members, state.Members) {
		return // resp.State holds the prior state already; setting it again costs much in a large membership
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, refreshed)...)
}

func (r *organizationMembersResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	orgID, ok := perOrganizationToImport(ctx, req, "the members of an organization", "capgo_organization_members.mobile", &resp.Diagnostics)
	if !ok {
		return
	}
	if !r.hasClient(&resp.Diagnostics, "look up the organization to import") {
		return
	}
	if d := lookUpOrganizationToImport(ctx, r.client, orgID, "its members"); d != nil {
		resp.Diagnostics.Append(d)
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), orgID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, pathOrganizationID, orgID)...)
	setIdentity(ctx, resp.Identity, perOrganizationIdentity{OrganizationID: types.StringValue(orgID)}, &resp.Diagnostics)
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
	decided := membership.ReleaseMembership(situationOf(ctx, r.client, orgID, members), slices.Collect(maps.Keys(state.Members)))
	outcome := r.send(ctx, orgID, decided.Changes)
	if failure := outcome.diagnostic(fmt.Sprintf("Not every member of organization %s could be removed. Run terraform "+
		"destroy again to finish removing them.", orgID)); failure != nil {
		resp.Diagnostics.Append(failure)
		return
	}
	resp.Diagnostics.Append(findingDiagnostics(decided.Warnings, diag.SeverityWarning, membersAttribute)...)
}

// ModifyPlan tells at plan time what the apply will do to people and refuses what it would
// refuse, from the members the refresh read (shared, so no request more); for an organization
// created in the same run, what needs no server state. It also plans the status and user ID of
// every member whose can be told, so that only the members that change show in the plan.
func (r *organizationMembersResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.Equal(req.State.Raw) {
		return // nothing changes
	}
	var state *organizationMembersModel
	if !req.State.Raw.IsNull() {
		state = &organizationMembersModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	if req.Plan.Raw.IsNull() {
		r.planRelease(ctx, *state, &resp.Diagnostics)
		return
	}
	if !membersKnown(ctx, req) {
		return
	}
	var plan organizationMembersModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	replacing := state != nil && !state.OrganizationID.Equal(plan.OrganizationID)
	var prior map[string]membershipEntry
	if state != nil && !replacing {
		prior = state.Members
	}

	s, diags := r.planSituation(ctx, plan.OrganizationID)
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	decided := membership.SetMembership(s, membership.Wanted{
		Roles:    configuredRoles(plan.Members),
		Reinvite: membership.PermissionOf(!plan.ReinviteOnRoleChange.IsUnknown(), plan.ReinviteOnRoleChange.ValueBool()),
		Creating: state == nil || replacing,
	})
	plan.Members = plannedMembership(plan.Members, prior, decided, !s.Unread && !s.New)
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, pathMembers, plan.Members)...)
	resp.Diagnostics.Append(planDiagnostics(decided, membersAttribute)...)
	if replacing {
		r.planRelease(ctx, *state, &resp.Diagnostics)
	}
}

// planSituation is the organization as the refresh read it; a new one when its ID is not known
// yet (created in the same run); Unread when the members cannot be had.
func (r *organizationMembersResource) planSituation(ctx context.Context, orgID types.String) (membership.Situation, diag.Diagnostics) {
	if r.client == nil {
		return membership.Situation{Unread: true, AtPlan: true}, nil
	}
	if orgID.IsUnknown() {
		return withKey(ctx, r.client, membership.Situation{New: true, AtPlan: true, Server: r.client.Capabilities()}), nil
	}
	s, diags := planSituation(ctx, r.client, orgID.ValueString())
	if s.Unread {
		return s, diags
	}
	return withKey(ctx, r.client, s), diags
}

// planRelease tells a plan that destroys the membership whom the destroy keeps.
func (r *organizationMembersResource) planRelease(ctx context.Context, state organizationMembersModel, diags *diag.Diagnostics) {
	s, _ := r.planSituation(ctx, state.OrganizationID) // a missing organization has no one left to remove
	decided := membership.ReleaseMembership(s, slices.Collect(maps.Keys(state.Members)))
	diags.Append(findingDiagnostics(decided.Warnings, diag.SeverityWarning, membersAttribute)...)
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
