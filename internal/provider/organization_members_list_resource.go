package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

var (
	_ list.ListResource              = (*organizationMembersListResource)(nil)
	_ list.ListResourceWithConfigure = (*organizationMembersListResource)(nil)
)

// NewOrganizationMembersListResource returns the capgo_organization_members list resource, which
// `terraform query` uses to find the memberships to import, one per organization.
func NewOrganizationMembersListResource() list.ListResource {
	return &organizationMembersListResource{}
}

type organizationMembersListResource struct {
	configured
}

// organizationMembersListModel maps the config block of a capgo_organization_members list.
type organizationMembersListModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
}

func (r *organizationMembersListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization_members"
}

func (r *organizationMembersListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the whole membership of Capgo organizations, one per organization, for " +
			"`terraform query` to import. Do not import both the whole membership and the members one by one " +
			"(`capgo_organization_member`) of the same organization.",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "Lists only the membership of this organization. When not set, the membership " +
					"of every organization the API key's user is an accepted member of is listed; Capgo's production " +
					"API lists at most 50 organizations, and a warning says so when the list may be incomplete.",
				Optional:   true,
				Validators: []validator.String{organizationID()},
			},
		},
	}
}

func (r *organizationMembersListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.configure(req.ProviderData, &resp.Diagnostics)
}

func (r *organizationMembersListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var config organizationMembersListModel
	diags := req.Config.Get(ctx, &config)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if diags := listPreconditions(&r.configured, req, "list the memberships"); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	orgs, truncated, d := r.organizationsToList(ctx, config.OrganizationID.ValueString())
	if d != nil {
		stream.Results = list.ListResultsStreamDiagnostics(diagnosticsOf(d))
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for i := range orgs {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			result := r.membershipListResult(ctx, req, &orgs[i])
			if truncated && i == 0 {
				result.Diagnostics.AddWarning("The organization list may be incomplete", truncatedOrganizationListDetail(len(orgs)))
			}
			if !push(result) {
				return
			}
		}
	}
}

// organizationsToList are the organization named, or every organization the key's user can see.
func (r *organizationMembersListResource) organizationsToList(ctx context.Context, orgID string) (orgs []capgo.Organization, truncated bool, d diag.Diagnostic) {
	if orgID != "" {
		org, err := r.client.GetOrganizationShared(ctx, orgID)
		if capgo.KindOf(err) == capgo.KindNotFound {
			return nil, false, organizationNotFoundDiagnostic(orgID)
		}
		if err != nil {
			return nil, false, apiErrorDiagnostic("read organization "+orgID, err)
		}
		return []capgo.Organization{*org}, false, nil
	}
	orgs, err := r.client.ListOrganizations(ctx)
	if err != nil {
		return nil, false, apiErrorDiagnostic("list organizations", err)
	}
	return orgs, capgo.OrganizationListMayBeTruncated(len(orgs)), nil
}

// membershipListResult is the membership of one organization: whose it is, to read; the identity
// to import it by; and, when asked for, the state an import of it would read, which takes one
// member list per organization.
func (r *organizationMembersListResource) membershipListResult(ctx context.Context, req list.ListRequest, org *capgo.Organization) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = "Members of " + org.Name
	setIdentity(ctx, result.Identity, perOrganizationIdentity{OrganizationID: types.StringValue(org.ID)}, &result.Diagnostics)
	if !req.IncludeResource {
		return result
	}
	members, diags := membersOfExisting(ctx, r.client, org.ID, r.client.ListMembers)
	if result.Diagnostics.Append(diags...); diags.HasError() {
		return result
	}
	result.Diagnostics.Append(result.Resource.Set(ctx, importedMembershipState(org.ID, members))...)
	return result
}

// importedMembershipState is the state the resource's Read makes of a membership just imported:
// every member as the server names them, and the default of reinvite_on_role_change.
func importedMembershipState(orgID string, members []capgo.Member) organizationMembersModel {
	return organizationMembersModel{
		ID:                   types.StringValue(orgID),
		OrganizationID:       types.StringValue(orgID),
		Members:              membershipFromServer(nil, members),
		ReinviteOnRoleChange: types.BoolValue(false),
	}
}
