package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

var (
	_ datasource.DataSource              = (*organizationsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*organizationsDataSource)(nil)
)

// NewOrganizationsDataSource returns the capgo_organizations data source.
func NewOrganizationsDataSource() datasource.DataSource {
	return &organizationsDataSource{}
}

type organizationsDataSource struct {
	client *capgo.Client
}

type organizationsDataSourceModel struct {
	Organizations []organizationModel `tfsdk:"organizations"`
}

func (d *organizationsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organizations"
}

func (d *organizationsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists every Capgo organization that the API key's user is an accepted member of.",
		Attributes: map[string]schema.Attribute{
			"organizations": schema.ListNestedAttribute{
				MarkdownDescription: "The organizations, in the order Capgo returns them.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: organizationDataSourceAttributes(),
				},
			},
		},
	}
}

func (d *organizationsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *organizationsDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	orgs, err := d.client.ListOrganizationsShared(ctx)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic("list organizations", err))
		return
	}
	model := organizationsDataSourceModel{Organizations: make([]organizationModel, 0, len(orgs))}
	for i := range orgs {
		model.Organizations = append(model.Organizations, organizationFromAPI(&orgs[i]))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, model)...)
}
