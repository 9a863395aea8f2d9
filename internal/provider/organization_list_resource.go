package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

var (
	_ list.ListResource              = (*organizationListResource)(nil)
	_ list.ListResourceWithConfigure = (*organizationListResource)(nil)
)

// NewOrganizationListResource returns the capgo_organization list resource, which `terraform query`
// uses to find the organizations to import.
func NewOrganizationListResource() list.ListResource {
	return &organizationListResource{}
}

type organizationListResource struct {
	configured
}

func (r *organizationListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization"
}

func (r *organizationListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists every Capgo organization that the API key's user is an accepted member of, " +
			"for `terraform query` to import. Capgo's production API lists at most 50, in no defined order: when " +
			"the answer holds that many, a warning says the list may be incomplete.",
	}
}

func (r *organizationListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.configure(req.ProviderData, &resp.Diagnostics)
}

func (r *organizationListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	if diags := listPreconditions(&r.configured, req, "list the organizations"); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	orgs, err := r.client.ListOrganizations(ctx)
	if err != nil {
		stream.Results = list.ListResultsStreamDiagnostics(diagnosticsOf(apiErrorDiagnostic("list organizations", err)))
		return
	}
	truncated := capgo.OrganizationListMayBeTruncated(len(orgs))
	stream.Results = func(push func(list.ListResult) bool) {
		for i := range orgs {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			result := organizationListResult(ctx, req, &orgs[i])
			if truncated && i == 0 {
				// Carried by a result rather than on its own: a result without identity is no result to Terraform.
				result.Diagnostics.AddWarning("The organization list may be incomplete", truncatedOrganizationListDetail(len(orgs)))
			}
			if !push(result) {
				return
			}
		}
	}
}

// organizationListResult is one listed organization: its name to read, its identity to import it
// by, and, when asked for, the state an import of it would read.
func organizationListResult(ctx context.Context, req list.ListRequest, org *capgo.Organization) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = org.Name
	setIdentity(ctx, result.Identity, organizationIdentity{ID: types.StringValue(org.ID)}, &result.Diagnostics)
	if req.IncludeResource {
		// The state the resource's Read makes of an organization imported by its ID alone.
		imported := organizationModel{ID: types.StringValue(org.ID)}
		result.Diagnostics.Append(result.Resource.Set(ctx, organizationStateFromAPI(org, imported))...)
	}
	return result
}
