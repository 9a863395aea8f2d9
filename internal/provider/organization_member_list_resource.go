package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

var (
	_ list.ListResource              = (*organizationMemberListResource)(nil)
	_ list.ListResourceWithConfigure = (*organizationMemberListResource)(nil)
)

// NewOrganizationMemberListResource returns the capgo_organization_member list resource, which
// `terraform query` uses to find the members of an organization to import.
func NewOrganizationMemberListResource() list.ListResource {
	return &organizationMemberListResource{}
}

type organizationMemberListResource struct {
	configured
}

// organizationMemberListModel maps the config block of a capgo_organization_member list.
type organizationMemberListModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	Status         types.String `tfsdk:"status"`
}

func (r *organizationMemberListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization_member"
}

func (r *organizationMemberListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the members of a Capgo organization, pending invitees and accepted members " +
			"alike, for `terraform query` to import.",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the organization.",
				Required:            true,
				Validators:          []validator.String{organizationID()},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "Lists only the members of this status: `pending` (invited, not yet accepted) " +
					"or `active`. When not set, every member is listed.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(statusPending, statusActive)},
			},
		},
	}
}

func (r *organizationMemberListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.configure(req.ProviderData, &resp.Diagnostics)
}

func (r *organizationMemberListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var config organizationMemberListModel
	diags := req.Config.Get(ctx, &config)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	orgID := config.OrganizationID.ValueString()
	if diags := listPreconditions(&r.configured, req, "list the members of organization "+orgID); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	members, diags := membersOfExisting(ctx, r.client, orgID, r.client.ListMembers)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	wanted := config.Status.ValueString() // "" for every status
	stream.Results = func(push func(list.ListResult) bool) {
		var listed int64
		for _, member := range members {
			if wanted != "" && memberStatus(member) != wanted {
				continue
			}
			if req.Limit > 0 && listed >= req.Limit {
				return
			}
			listed++
			if !push(memberListResult(ctx, req, orgID, member)) {
				return
			}
		}
	}
}

// memberListResult is one listed member: who they are and how far along, to read; the identity to
// import them by; and, when asked for, the state an import of them would read.
func memberListResult(ctx context.Context, req list.ListRequest, orgID string, member capgo.Member) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = fmt.Sprintf("%s (%s, %s)", member.Email, member.Role, memberStatus(member))
	setIdentity(ctx, result.Identity, newMemberIdentity(orgID, member.Email), &result.Diagnostics)
	if req.IncludeResource {
		result.Diagnostics.Append(result.Resource.Set(ctx, importedMemberState(orgID, member))...)
	}
	return result
}

// importedMemberState is the state the resource's Read makes of a member just imported: the
// organization and the email as Capgo spells it, the rest as Capgo reports it, and the default
// of reinvite_on_role_change.
func importedMemberState(orgID string, member capgo.Member) memberModel {
	m := memberModel{
		ID:             memberIDValue(orgID, member.Email),
		OrganizationID: types.StringValue(orgID),
		Email:          newEmailValue(member.Email),
	}
	m.setFromAPI(member)
	m.ReinviteOnRoleChange = types.BoolValue(false)
	return m
}
