package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource              = (*organizationWebhooksDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*organizationWebhooksDataSource)(nil)
)

// NewOrganizationWebhooksDataSource returns the capgo_organization_webhooks data source.
func NewOrganizationWebhooksDataSource() datasource.DataSource {
	return &organizationWebhooksDataSource{}
}

type organizationWebhooksDataSource struct {
	configured
}

type organizationWebhooksDataSourceModel struct {
	OrganizationID types.String              `tfsdk:"organization_id"`
	Webhooks       []organizationWebhookItem `tfsdk:"webhooks"`
}

type organizationWebhookItem struct {
	ID              types.String `tfsdk:"id"`
	Name            types.String `tfsdk:"name"`
	URL             types.String `tfsdk:"url"`
	Events          types.Set    `tfsdk:"events"`
	Enabled         types.Bool   `tfsdk:"enabled"`
	DeliveryVersion types.String `tfsdk:"delivery_version"`
	CreatedAt       types.String `tfsdk:"created_at"`
}

func (d *organizationWebhooksDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization_webhooks"
}

func (d *organizationWebhooksDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(description string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the webhooks of a Capgo organization, newest first, without their secrets (Capgo " +
			"shows a secret only when it creates the webhook). Needs Capgo's production API.",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the organization.",
				Required:            true,
				Validators:          []validator.String{organizationID()},
			},
			"webhooks": schema.ListNestedAttribute{
				MarkdownDescription: "Every webhook of the organization, newest first.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":   computed("The webhook's ID."),
						"name": computed("Its name."),
						"url":  computed("Where Capgo posts the events."),
						"events": schema.SetAttribute{
							MarkdownDescription: "The tables whose changes are posted.",
							Computed:            true,
							ElementType:         types.StringType,
						},
						"enabled": schema.BoolAttribute{
							MarkdownDescription: "Whether Capgo posts events; Capgo turns a webhook off after failed deliveries.",
							Computed:            true,
						},
						"delivery_version": computed("`legacy` or `standard`: how deliveries are signed."),
						"created_at":       computed("When the webhook was created (RFC 3339)."),
					},
				},
			},
		},
	}
}

func (d *organizationWebhooksDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.configure(req.ProviderData, &resp.Diagnostics)
}

func (d *organizationWebhooksDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config organizationWebhooksDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := config.OrganizationID.ValueString()
	if d.dataSourceReadWithoutClient(req, resp, "list the webhooks of organization "+orgID) {
		return
	}
	if can, err := d.client.ServerCapabilities(ctx, orgID); err == nil && can.Known && !can.Webhooks {
		resp.Diagnostics.Append(noWebhooksDiagnostic())
		return
	}
	hooks, err := d.client.ListWebhooks(ctx, orgID)
	if err != nil {
		resp.Diagnostics.Append(webhookErrorDiagnostic(fmt.Sprintf("list the webhooks of organization %s", orgID), err))
		return
	}
	config.Webhooks = make([]organizationWebhookItem, 0, len(hooks))
	for _, hook := range hooks {
		var m webhookModel
		m.setFromAPI(&hook)
		config.Webhooks = append(config.Webhooks, organizationWebhookItem{ID: m.ID, Name: m.Name, URL: m.URL,
			Events: m.Events, Enabled: m.Enabled, DeliveryVersion: m.DeliveryVersion, CreatedAt: m.CreatedAt})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, config)...)
}
