package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// providerData is what the provider's Configure hands to every resource and data source: the API
// client, or, while a provider setting is known only at apply (it comes from another resource),
// the names of those settings and no client.
type providerData struct {
	client          *capgo.Client
	unknownSettings []string
}

// configured is embedded by every resource and data source. Terraform can call them before the
// provider has a client: a refresh or a data source read during a plan whose provider settings
// are not known yet. Every method that needs the API asks hasClient first, so none ever runs
// with a nil client.
type configured struct {
	client          *capgo.Client
	unknownSettings []string
}

// configure takes what the provider's Configure handed over. Terraform also calls it before the
// provider is configured, with nothing; that is no error.
func (c *configured) configure(data any, diags *diag.Diagnostics) {
	if data == nil {
		return
	}
	pd, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", data))
		return
	}
	c.client, c.unknownSettings = pd.client, pd.unknownSettings
}

// hasClient reports whether the API can be called; when it cannot, it adds an error that says
// which provider settings are not known yet and what to do. action reads like "read the
// organizations".
func (c *configured) hasClient(diags *diag.Diagnostics, action string) bool {
	if c.client != nil {
		return true
	}
	diags.AddError("Capgo provider not configured yet", c.notConfiguredDetail(action))
	return false
}

// notConfiguredDetail explains why the provider has no client.
func (c *configured) notConfiguredDetail(action string) string {
	if len(c.unknownSettings) == 0 {
		return fmt.Sprintf("The Capgo provider has no configuration yet, so the provider cannot %s. "+
			"This is a bug in the provider; please report it.", action)
	}
	names := strings.Join(c.unknownSettings, ", ")
	return fmt.Sprintf("The provider setting %s of the capgo provider is not known until apply (it comes from "+
		"another resource), so the provider cannot %s during this plan. Give the setting a value known at plan "+
		"time (a variable, or the CAPGO_API_KEY and CAPGO_API_URL environment variables), or first apply what it "+
		"depends on with terraform apply -target=<that resource>.", names, action)
}

// stringPointer returns a pointer to a copy of s, for the optional fields of API requests.
func stringPointer(s string) *string {
	return &s
}

// readWithoutClient handles a resource refresh before the provider has a client: Terraform is
// told the read is deferred when it can take that, and otherwise the prior state is kept as it
// is, since nothing can be known about it yet. It reports whether the read must stop there.
func (c *configured) readWithoutClient(req resource.ReadRequest, resp *resource.ReadResponse) bool {
	if c.client != nil {
		return false
	}
	if req.ClientCapabilities.DeferralAllowed {
		resp.Deferred = &resource.Deferred{Reason: resource.DeferredReasonProviderConfigUnknown}
	}
	return true
}

// dataSourceReadWithoutClient handles a data source read before the provider has a client:
// deferred when Terraform can take that, otherwise an error naming the settings it waits for.
func (c *configured) dataSourceReadWithoutClient(req datasource.ReadRequest, resp *datasource.ReadResponse, action string) bool {
	if c.client != nil {
		return false
	}
	if req.ClientCapabilities.DeferralAllowed {
		resp.Deferred = &datasource.Deferred{Reason: datasource.DeferredReasonProviderConfigUnknown}
		return true
	}
	c.hasClient(&resp.Diagnostics, action)
	return true
}
