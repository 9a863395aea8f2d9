package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

var (
	_ datasource.DataSource              = (*organizationDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*organizationDataSource)(nil)
)

// NewOrganizationDataSource returns the capgo_organization data source.
func NewOrganizationDataSource() datasource.DataSource {
	return &organizationDataSource{}
}

type organizationDataSource struct {
	configured
}

func (d *organizationDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization"
}

func (d *organizationDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := organizationDataSourceAttributes()
	attributes["id"] = schema.StringAttribute{
		MarkdownDescription: "The ID of the organization to read.",
		Required:            true,
		Validators:          []validator.String{organizationID()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one Capgo organization that the API key's user is an accepted member of.",
		Attributes:          attributes,
	}
}

func (d *organizationDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.configure(req.ProviderData, &resp.Diagnostics)
}

func (d *organizationDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config organizationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	id := config.ID.ValueString()
	if d.dataSourceReadWithoutClient(req, resp, "read organization "+id) {
		return
	}
	org, err := d.client.GetOrganizationShared(ctx, id)
	if capgo.KindOf(err) == capgo.KindNotFound {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Organization not found",
			fmt.Sprintf("No organization %q is visible to the API key's user. Check the ID (the capgo_organizations "+
				"data source lists the visible ones) and that the user is an accepted member.", id))
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(fmt.Sprintf("read organization %s", id), err))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, organizationFromAPI(org))...)
}

// organizationDataSourceAttributes describes an organization read by a data source: every
// attribute of the resource, all computed.
func organizationDataSourceAttributes() map[string]schema.Attribute {
	computed := func(description string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	return map[string]schema.Attribute{
		"id":               computed("The organization's ID."),
		"name":             computed("The organization's name."),
		"management_email": computed("The address Capgo writes to about the organization."),
		"logo":             computed("The URL of the organization's logo; null when it has none."),
		"created_by":       computed("The user ID of the organization's creator."),
		"created_at":       computed("When the organization was created (RFC 3339)."),
		"updated_at":       computed("When the organization was last changed (RFC 3339)."),
		"customer_id":      computed("Capgo's billing customer ID; until billing is set up, null (Capgo's production API: `pending_<id>`)."),
		"website":          computed("The organization's website; null when it has none, and always null from servers without websites (Capgo's documented API)."),
	}
}
