package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource              = (*organizationMembersDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*organizationMembersDataSource)(nil)
)

// NewOrganizationMembersDataSource returns the capgo_organization_members data source.
func NewOrganizationMembersDataSource() datasource.DataSource {
	return &organizationMembersDataSource{}
}

type organizationMembersDataSource struct {
	configured
}

type organizationMembersDataSourceModel struct {
	OrganizationID types.String                   `tfsdk:"organization_id"`
	Members        []organizationMemberEntryModel `tfsdk:"members"`
}

type organizationMemberEntryModel struct {
	UserID   types.String `tfsdk:"user_id"`
	Email    types.String `tfsdk:"email"`
	Role     types.String `tfsdk:"role"`
	Status   types.String `tfsdk:"status"`
	ImageURL types.String `tfsdk:"image_url"`
}

func (d *organizationMembersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization_members"
}

func (d *organizationMembersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(description string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the members of a Capgo organization, accepted and pending alike: as in the " +
			"`capgo_organization_members` resource, a role has no `invite_` prefix and `status` tells a pending " +
			"invitation from an accepted one. To make this list exactly the one in your configuration, and " +
			"remove anyone else, use that resource.",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the organization.",
				Required:            true,
				Validators:          []validator.String{organizationID()},
			},
			"members": schema.ListNestedAttribute{
				MarkdownDescription: "Every member and pending invitee, in the order they were added.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"user_id":   computed("The member's Capgo user ID."),
						"email":     computed("The email of the member's Capgo account."),
						"role":      computed("The member's role, without the `invite_` prefix of pending invitations."),
						"status":    computed("`pending` until the invitation is accepted, then `active`."),
						"image_url": computed("The member's avatar URL; null when they have none."),
					},
				},
			},
		},
	}
}

func (d *organizationMembersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.configure(req.ProviderData, &resp.Diagnostics)
}

func (d *organizationMembersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config organizationMembersDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := config.OrganizationID.ValueString()
	if d.dataSourceReadWithoutClient(req, resp, "list the members of organization "+orgID) {
		return
	}

	members, diags := membersOfExisting(ctx, d.client, orgID, d.client.ListMembersShared)
	if resp.Diagnostics.Append(diags...); diags.HasError() {
		return
	}
	config.Members = make([]organizationMemberEntryModel, 0, len(members))
	for _, m := range members {
		config.Members = append(config.Members, organizationMemberEntryModel{
			UserID:   types.StringValue(m.UID),
			Email:    types.StringValue(m.Email),
			Role:     types.StringValue(m.Role),
			Status:   types.StringValue(memberStatus(m)),
			ImageURL: optionalString(m.ImageURL),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, config)...)
}
