package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

var (
	_ resource.Resource                = (*organizationMemberResource)(nil)
	_ resource.ResourceWithConfigure   = (*organizationMemberResource)(nil)
	_ resource.ResourceWithImportState = (*organizationMemberResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*organizationMemberResource)(nil)
)

// NewOrganizationMemberResource returns the capgo_organization_member resource.
func NewOrganizationMemberResource() resource.Resource {
	return &organizationMemberResource{}
}

// organizationMemberResource is one membership, pending or accepted. Accepting an invitation
// happens in the Capgo console, outside Terraform; it changes status, never role, so it is no diff.
type organizationMemberResource struct {
	client *capgo.Client
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
				MarkdownDescription: "The member's role: one of " + markdownList(memberRoles) + ". Changing it " +
					"updates the membership in place; a pending invitation stays pending.",
				Required:   true,
				Validators: []validator.String{memberRole()},
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

// emailChangedBeyondCase replaces the membership only for another address: the same address in
// other letter case is the same Capgo account.
func emailChangedBeyondCase(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
	resp.RequiresReplace = !strings.EqualFold(req.StateValue.ValueString(), req.PlanValue.ValueString())
}

func (r *organizationMemberResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *organizationMemberResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan memberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID, email := plan.OrganizationID.ValueString(), plan.Email.ValueString()

	// Capgo's add call also changes the role of someone already there. Creating must never do that
	// silently: an existing member is brought under Terraform by importing it.
	members, err := r.client.ListMembers(ctx, orgID)
	if err != nil {
		resp.Diagnostics.Append(memberOrganizationDiagnostic(orgID, "list the members of", err))
		return
	}
	if existing, found := findMember(members, email); found {
		resp.Diagnostics.Append(alreadyMemberDiagnostic(orgID, email, existing))
		return
	}

	added, err := r.setRole(ctx, orgID, email, plan.Role.ValueString())
	if err != nil {
		resp.Diagnostics.Append(addMemberDiagnostic(orgID, email, err))
		return
	}
	tflog.Info(ctx, "invited Capgo organization member", map[string]any{"organization_id": orgID})

	plan.ID = memberIDValue(orgID, email)
	member, diags := r.memberAfterWrite(ctx, orgID, email, added)
	if diags.HasError() {
		// The invitation exists: keep it in state (tainted) rather than orphan it.
		plan.Status, plan.UserID, plan.ImageURL = types.StringNull(), types.StringNull(), types.StringNull()
		resp.Diagnostics.Append(diags...)
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		return
	}
	plan.setFromAPI(member)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// setRole invites email with role, or changes the role of an existing member. After an
// ambiguous failure it reads the member list back, and sends the request again only if the
// member does not hold the role yet. The member is returned when the API's answer or the
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
			if !found || member.PlainRole() != role {
				return false, err
			}
			result = &member
			return true, nil
		})
	return result, err
}

// findMember reads the organization's member list and finds email in it.
func (r *organizationMemberResource) findMember(ctx context.Context, orgID, email string) (capgo.Member, bool, error) {
	members, err := r.client.ListMembers(ctx, orgID)
	if err != nil {
		return capgo.Member{}, false, err
	}
	member, found := findMember(members, email)
	return member, found, nil
}

// memberAfterWrite returns the member as stored after an add: from the answer when the API gives
// one, else from the member list.
func (r *organizationMemberResource) memberAfterWrite(ctx context.Context, orgID, email string, added *capgo.Member) (capgo.Member, diag.Diagnostics) {
	var diags diag.Diagnostics
	if added != nil && strings.EqualFold(added.Email, email) && added.UID != "" {
		return *added, diags
	}
	members, err := r.client.ListMembers(ctx, orgID)
	if err != nil {
		diags.Append(memberOrganizationDiagnostic(orgID, "read back the members of", err))
		return capgo.Member{}, diags
	}
	member, found := findMember(members, email)
	if !found {
		diags.AddError("Member not found after inviting them",
			fmt.Sprintf("Capgo accepted the invitation of %s to organization %s but does not list them. Run "+
				"terraform apply again.", email, orgID))
	}
	return member, diags
}

func (r *organizationMemberResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state memberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID, email := state.OrganizationID.ValueString(), state.Email.ValueString()

	// One list answers every member of the organization refreshed by this process.
	members, err := r.client.ListMembersShared(ctx, orgID)
	if capgo.IsNotFound(err) {
		tflog.Warn(ctx, "Capgo organization no longer found; removing its member from state", map[string]any{"organization_id": orgID})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(memberOrganizationDiagnostic(orgID, "list the members of", err))
		return
	}
	member, found := findMember(members, email)
	if !found {
		// Removed in the console, or the invitation was revoked: the plan should invite them again.
		tflog.Warn(ctx, "Capgo organization member no longer found; removing it from state", map[string]any{"organization_id": orgID})
		resp.State.RemoveResource(ctx)
		return
	}
	state.setFromAPI(member)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

func (r *organizationMemberResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state memberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID, email, role := state.OrganizationID.ValueString(), state.Email.ValueString(), plan.Role.ValueString()

	plan.ID = state.ID
	if plan.Role.Equal(state.Role) {
		// Only the spelling of the email changed: the same account, so there is nothing to send.
		plan.Status, plan.UserID, plan.ImageURL = state.Status, state.UserID, state.ImageURL
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		return
	}

	members, err := r.client.ListMembers(ctx, orgID)
	if err != nil {
		resp.Diagnostics.Append(memberOrganizationDiagnostic(orgID, "list the members of", err))
		return
	}
	current, found := findMember(members, email)
	if !found {
		resp.Diagnostics.AddError("Member no longer in the organization",
			fmt.Sprintf("%s was removed from organization %s after the plan was made. Run terraform apply again "+
				"to invite them with role %q.", email, orgID, role))
		return
	}

	if current.PlainRole() != role {
		if role != roleSuperAdmin && isLastAcceptedSuperAdmin(members, email) {
			resp.Diagnostics.AddAttributeError(path.Root("role"), "Cannot demote the last super_admin",
				lastSuperAdminDetail(orgID, email, "demoting them to "+role))
			return
		}
		added, err := r.setRole(ctx, orgID, email, role)
		if err != nil && !capgo.IsConflict(err) { // a conflict means they hold that role already
			resp.Diagnostics.Append(apiErrorDiagnostic(fmt.Sprintf("change the role of %s in organization %s to %q", email, orgID, role), err))
			return
		}
		member, diags := r.memberAfterWrite(ctx, orgID, email, added)
		resp.Diagnostics.Append(diags...)
		if diags.HasError() {
			return
		}
		current = member
	}

	plan.setFromAPI(current)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *organizationMemberResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state memberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID, email := state.OrganizationID.ValueString(), state.Email.ValueString()

	members, err := r.client.ListMembers(ctx, orgID)
	if capgo.IsNotFound(err) {
		return // the organization is gone, and its members with it
	}
	if err != nil {
		resp.Diagnostics.Append(memberOrganizationDiagnostic(orgID, "list the members of", err))
		return
	}
	if _, found := findMember(members, email); !found {
		return // already removed
	}
	if isLastAcceptedSuperAdmin(members, email) {
		resp.Diagnostics.AddError("Cannot remove the last super_admin", lastSuperAdminDetail(orgID, email, "removing them"))
		return
	}

	err = r.client.WriteConfirmed(ctx,
		func(ctx context.Context) error {
			err := r.client.RemoveMember(ctx, orgID, email)
			if capgo.IsNotFound(err) {
				return nil // already removed
			}
			return err
		},
		func(ctx context.Context) (bool, error) {
			_, found, err := r.findMember(ctx, orgID, email)
			return !found, err
		})
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(fmt.Sprintf("remove %s from organization %s", email, orgID), err))
	}
}

// ModifyPlan warns when a plan takes away a super_admin membership: whoever reviews the plan
// should know that it removes someone in full control of the organization.
func (r *organizationMemberResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		return // a create
	}
	var state memberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || state.Role.ValueString() != roleSuperAdmin {
		return
	}

	change := ""
	if req.Plan.Raw.IsNull() {
		change = "destroys"
	} else {
		var plan memberModel
		resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if !plan.OrganizationID.Equal(state.OrganizationID) ||
			(!plan.Email.IsUnknown() && !strings.EqualFold(plan.Email.ValueString(), state.Email.ValueString())) {
			change = "replaces"
		}
	}
	if change == "" {
		return
	}
	resp.Diagnostics.AddWarning("This plan removes a super_admin",
		fmt.Sprintf("The plan %s the membership of %s, a super_admin of organization %s. If they are its last "+
			"accepted super_admin, the provider will refuse to remove them and the apply will stop there; give "+
			"another member the super_admin role first.", change, state.Email.ValueString(), state.OrganizationID.ValueString()))
}

func (r *organizationMemberResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	orgID, email, err := parseMemberImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("organization_id"), orgID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("email"), newEmailValue(email))...)
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
