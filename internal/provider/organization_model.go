package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// organizationModel is the Terraform view of an organization, shared by the resource and both
// data sources so that they can never disagree on an attribute.
type organizationModel struct {
	ID              types.String `tfsdk:"id"`
	Name            types.String `tfsdk:"name"`
	ManagementEmail types.String `tfsdk:"management_email"`
	Logo            types.String `tfsdk:"logo"`
	CreatedBy       types.String `tfsdk:"created_by"`
	CreatedAt       types.String `tfsdk:"created_at"`
	UpdatedAt       types.String `tfsdk:"updated_at"`
	CustomerID      types.String `tfsdk:"customer_id"`
	Website         types.String `tfsdk:"website"`
}

// organizationFromAPI converts an API organization into its Terraform model.
func organizationFromAPI(org *capgo.Organization) organizationModel {
	return organizationModel{
		ID:              types.StringValue(org.ID),
		Name:            types.StringValue(org.Name),
		ManagementEmail: types.StringValue(org.ManagementEmail),
		Logo:            optionalString(org.Logo),
		CreatedBy:       types.StringValue(org.CreatedBy),
		CreatedAt:       types.StringValue(org.CreatedAt),
		UpdatedAt:       types.StringValue(org.UpdatedAt),
		CustomerID:      optionalString(org.CustomerID),
		Website:         optionalString(org.Website),
	}
}

// optionalString maps an absent or empty API value to null. Capgo reports "no logo" as null from one
// API and "" from the other; Terraform must see one value, or a cleared logo would show a diff.
func optionalString(s *string) types.String {
	if s == nil || *s == "" {
		return types.StringNull()
	}
	return types.StringValue(*s)
}

// withUnknownsNulled returns a copy in which every value still unknown is null. State written
// after a failed apply must hold only known values.
func (m organizationModel) withUnknownsNulled() organizationModel {
	for _, v := range []*types.String{
		&m.ID, &m.Name, &m.ManagementEmail, &m.Logo, &m.CreatedBy, &m.CreatedAt, &m.UpdatedAt, &m.CustomerID, &m.Website,
	} {
		if v.IsUnknown() {
			*v = types.StringNull()
		}
	}
	return m
}

// organizationStateFromAPI is the resource's state for an organization the server reports, given
// the prior state or the plan. A value the server holds in another form than prior is the same
// value kept as prior has it, so that it shows neither a diff nor an inconsistent result:
//   - a website Capgo normalised (capgo.app stored as https://capgo.app/);
//   - a logo Capgo answers with a fresh signature (uploaded in the console), or none for "";
//   - any website at all on a server without websites (Capgo's documented API), which ignores it.
func organizationStateFromAPI(org *capgo.Organization, prior organizationModel) organizationModel {
	m := organizationFromAPI(org)
	if known(prior.Website) && (!org.HasWebsite || capgo.SameWebsite(prior.Website.ValueString(), m.Website.ValueString())) {
		m.Website = prior.Website
	}
	if !org.HasWebsite && prior.Website.IsNull() {
		m.Website = prior.Website
	}
	if known(prior.Logo) && capgo.SameLogo(prior.Logo.ValueString(), m.Logo.ValueString()) {
		m.Logo = prior.Logo
	}
	return m
}

// known reports a value neither null nor unknown.
func known(v types.String) bool { return !v.IsNull() && !v.IsUnknown() }
