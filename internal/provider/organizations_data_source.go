package provider

import (
	"context"
	"fmt"

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
	configured
}

type organizationsDataSourceModel struct {
	Organizations []organizationModel `tfsdk:"organizations"`
}

func (d *organizationsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organizations"
}

func (d *organizationsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists every Capgo organization that the API key's user is an accepted member of. " +
			fmt.Sprintf("Capgo's production API lists at most %d, in no defined order, and offers no way to ask for "+
				"the rest: when the answer holds that many, the list may be incomplete, and a warning says so. Read a "+
				"given organization with the `capgo_organization` data source instead.", capgo.OrganizationListLimit),
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
	d.configure(req.ProviderData, &resp.Diagnostics)
}

func (d *organizationsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.dataSourceReadWithoutClient(req, resp, "list the organizations") {
		return
	}
	orgs, err := d.client.ListOrganizationsShared(ctx)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic("list organizations", err))
		return
	}
	if capgo.OrganizationListMayBeTruncated(len(orgs)) {
		resp.Diagnostics.AddWarning("The organization list may be incomplete", truncatedOrganizationListDetail(len(orgs)))
	}
	model := organizationsDataSourceModel{Organizations: make([]organizationModel, 0, len(orgs))}
	for i := range orgs {
		model.Organizations = append(model.Organizations, organizationFromAPI(&orgs[i]))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, model)...)
}

// truncatedOrganizationListDetail explains an organization list that may have been cut at the API's
// limit.
func truncatedOrganizationListDetail(n int) string {
	return fmt.Sprintf("Capgo answered with %d organizations, the most its production API lists at once (%d), in no "+
		"defined order. The API key's user may belong to more, and the API offers no way to list the rest. Read a "+
		"given organization by its ID with the capgo_organization data source.", n, capgo.OrganizationListLimit)
}
