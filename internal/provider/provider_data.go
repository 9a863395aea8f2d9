package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// clientFrom extracts the API client the provider's Configure hands to resources and data sources.
// It is nil while the provider's configuration is not yet known (plan time); Terraform calls
// Configure again with the client before any create, read, update or delete.
func clientFrom(providerData any, diags *diag.Diagnostics) *capgo.Client {
	if providerData == nil {
		return nil
	}
	client, ok := providerData.(*capgo.Client)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *capgo.Client, got %T. This is a bug in the provider; please report it.", providerData))
		return nil
	}
	return client
}

// stringPointer returns a pointer to a copy of s, for the optional fields of API requests.
func stringPointer(s string) *string {
	return &s
}
