// Command schemaonly is the provider with its schemas and none of its code: the same provider
// block, resource types and attributes, validators, plan modifiers and defaults, served by
// terraform-plugin-framework exactly as the provider serves them, but with resources that call no
// API and store what they are given. scripts/bench runs the benchmark configuration on it to
// measure the framework's floor: what Terraform and the framework cost for that many resources of
// these types before the provider does anything.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	capgo "github.com/Cap-go/terraform-provider-capgo/internal/provider"
	"github.com/Cap-go/terraform-provider-capgo/internal/runtimesettings"
)

func main() {
	// The provider's own process settings, so that only the provider's code is left out.
	runtimesettings.DefaultLogLevels()
	runtimesettings.CollectGarbageLessOften()
	err := providerserver.Serve(context.Background(), func() provider.Provider {
		return schemaOnlyProvider{Provider: capgo.New("schemaonly")()}
	}, providerserver.ServeOpts{Address: "registry.terraform.io/cap-go/capgo"})
	if err != nil {
		log.Fatal(err)
	}
}

// schemaOnlyProvider keeps the provider's Metadata and Schema. Embedding the interface hides the
// provider's optional methods (configuration checks), so the framework never calls them.
type schemaOnlyProvider struct {
	provider.Provider
}

// Configure needs no API key: nothing is ever called.
func (schemaOnlyProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p schemaOnlyProvider) Resources(ctx context.Context) []func() resource.Resource {
	var resources []func() resource.Resource
	for _, newResource := range p.Provider.Resources(ctx) {
		resources = append(resources, func() resource.Resource { return schemaOnlyResource{Resource: newResource()} })
	}
	return resources
}

func (schemaOnlyProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// schemaOnlyResource keeps a resource's Metadata and Schema; as above, embedding the interface
// hides its plan checks, import and configuration.
type schemaOnlyResource struct {
	resource.Resource
}

func (schemaOnlyResource) Create(_ context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	store(req.Plan.Raw, &resp.State.Raw, &resp.Diagnostics)
}

func (schemaOnlyResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (schemaOnlyResource) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	store(req.Plan.Raw, &resp.State.Raw, &resp.Diagnostics)
}

func (schemaOnlyResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// store makes the plan the state, giving every value only known after apply one, as a real
// create would: a placeholder string, false or zero.
func store(plan tftypes.Value, state *tftypes.Value, diags *diag.Diagnostics) {
	value, err := tftypes.Transform(plan, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		switch {
		case v.Type().Is(tftypes.String):
			return tftypes.NewValue(tftypes.String, "schemaonly"), nil
		case v.Type().Is(tftypes.Bool):
			return tftypes.NewValue(tftypes.Bool, false), nil
		case v.Type().Is(tftypes.Number):
			return tftypes.NewValue(tftypes.Number, 0), nil
		default:
			return tftypes.NewValue(v.Type(), nil), nil
		}
	})
	if err != nil {
		diags.AddError("Cannot store the plan", err.Error())
		return
	}
	*state = value
}
