package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ list.ListResource              = (*organizationWebhookListResource)(nil)
	_ list.ListResourceWithConfigure = (*organizationWebhookListResource)(nil)
)

// NewOrganizationWebhookListResource returns the capgo_organization_webhook list resource, which
// `terraform query` uses to find the webhooks of an organization to import.
func NewOrganizationWebhookListResource() list.ListResource {
	return &organizationWebhookListResource{}
}

type organizationWebhookListResource struct {
	configured
}

type organizationWebhookListModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
}

func (r *organizationWebhookListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization_webhook"
}

func (r *organizationWebhookListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the webhooks of a Capgo organization, newest first, for `terraform query` to " +
			"import. An imported webhook has no secret in the state: Capgo shows it only at creation.",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the organization.",
				Required:            true,
				Validators:          []validator.String{organizationID()},
			},
		},
	}
}

func (r *organizationWebhookListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.configure(req.ProviderData, &resp.Diagnostics)
}

func (r *organizationWebhookListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var config organizationWebhookListModel
	if diags := req.Config.Get(ctx, &config); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	orgID := config.OrganizationID.ValueString()
	if diags := listPreconditions(&r.configured, req, "list the webhooks of organization "+orgID); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if can, err := r.client.ServerCapabilities(ctx, orgID); err == nil && can.Known && !can.Webhooks {
		stream.Results = list.ListResultsStreamDiagnostics(diagnosticsOf(noWebhooksDiagnostic()))
		return
	}
	hooks, err := r.client.ListWebhooks(ctx, orgID)
	if err != nil {
		stream.Results = list.ListResultsStreamDiagnostics(diagnosticsOf(
			webhookErrorDiagnostic(fmt.Sprintf("list the webhooks of organization %s", orgID), err)))
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for i, hook := range hooks {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			result := req.NewListResult(ctx)
			result.DisplayName = fmt.Sprintf("%s (%s)", hook.Name, hook.URL)
			setIdentity(ctx, result.Identity, webhookIdentity{OrganizationID: types.StringValue(orgID), ID: types.StringValue(hook.ID)},
				&result.Diagnostics)
			if req.IncludeResource {
				var m webhookModel
				m.setFromAPI(&hook)
				result.Diagnostics.Append(result.Resource.Set(ctx, m)...)
			}
			if !push(result) {
				return
			}
		}
	}
}
