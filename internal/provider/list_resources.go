package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
)

// listPreconditions reports, as an error, what keeps a list resource from listing: a provider
// without a client yet, or a resource with no identity to import what is listed by.
func listPreconditions(c *configured, req list.ListRequest, action string) diag.Diagnostics {
	var diags diag.Diagnostics
	if req.ResourceIdentitySchema == nil {
		diags.AddError("No resource identity to list by",
			"This resource has no identity, so what it lists could not be imported. This is a bug in the provider; please report it.")
		return diags
	}
	c.hasClient(&diags, action)
	return diags
}

// diagnosticsOf makes diagnostics of one diagnostic, for a list stream that ends with it.
func diagnosticsOf(d diag.Diagnostic) diag.Diagnostics {
	return diag.Diagnostics{d}
}
