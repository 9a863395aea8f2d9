package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// planSecurity runs the resource's ModifyPlan from prior (nil: a create) to planned, with client
// (nil: none yet), and returns its diagnostics.
func planSecurity(t *testing.T, client *capgo.Client, prior *organizationSecurityModel, planned organizationSecurityModel) diag.Diagnostics {
	t.Helper()
	ctx := t.Context()
	r := &organizationSecurityResource{}
	if client != nil {
		r.Configure(ctx, fwresource.ConfigureRequest{ProviderData: &providerData{client: client}}, &fwresource.ConfigureResponse{})
	}
	schemaResp := &fwresource.SchemaResponse{}
	r.Schema(ctx, fwresource.SchemaRequest{}, schemaResp)
	req := fwresource.ModifyPlanRequest{
		State: tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), nil)},
		Plan:  tfsdk.Plan{Schema: schemaResp.Schema},
	}
	var diags diag.Diagnostics
	diags.Append(req.Plan.Set(ctx, planned)...)
	if prior != nil {
		diags.Append(req.State.Set(ctx, *prior)...)
	}
	if diags.HasError() {
		t.Fatalf("building the request: %v", diags)
	}
	req.Config = tfsdk.Config{Schema: schemaResp.Schema, Raw: req.Plan.Raw} // the plan of a configuration with no unknowns
	resp := &fwresource.ModifyPlanResponse{Plan: req.Plan}
	r.ModifyPlan(ctx, req, resp)
	return resp.Diagnostics
}

// securityWithKeyExpiration is a model that manages require_api_key_expiration only.
func securityWithKeyExpiration(value types.Bool) organizationSecurityModel {
	m := securityModelFromAPI(&capgo.OrganizationSecurity{})
	m.OrganizationID = types.StringValue("0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b")
	m.RequireAPIKeyExpiration = value
	return m
}

// A plan that turns require_api_key_expiration on, from off, unmanaged or unknown, warns that
// the provider's own key will be refused if it has no expiry date, and says how to avoid it; a
// plan that keeps it on or leaves it off does not.
func TestSecurityPlanWarnsBeforeRequiringExpiringKeys(t *testing.T) {
	t.Parallel()
	on, off, unmanaged, unknown := types.BoolValue(true), types.BoolValue(false), types.BoolNull(), types.BoolUnknown()
	for name, tc := range map[string]struct {
		prior *types.Bool // nil: a create
		plan  types.Bool
		warns bool
	}{
		"create on":           {nil, on, true},
		"create unknown":      {nil, unknown, true},
		"create off":          {nil, off, false},
		"create unmanaged":    {nil, unmanaged, false},
		"off to on":           {&off, on, true},
		"unmanaged to on":     {&unmanaged, on, true},
		"unknown to on":       {&unknown, on, true},
		"on stays on":         {&on, on, false},
		"on to off":           {&on, off, false},
		"on to unmanaged":     {&on, unmanaged, false},
		"off to unknown":      {&off, unknown, true},
		"unmanaged stays out": {&unmanaged, unmanaged, false},
	} {
		t.Run(name, func(t *testing.T) {
			var prior *organizationSecurityModel
			if tc.prior != nil {
				m := securityWithKeyExpiration(*tc.prior)
				if m.RequireAPIKeyExpiration.IsUnknown() {
					m.RequireAPIKeyExpiration = types.BoolNull() // a state holds no unknown; checked below
				}
				prior = &m
			}
			diags := planSecurity(t, nil, prior, securityWithKeyExpiration(tc.plan))
			if diags.HasError() {
				t.Fatalf("errors: %v", diags)
			}
			warned := len(diags.Warnings()) == 1
			if warned != tc.warns {
				t.Fatalf("warned %v, want %v: %v", warned, tc.warns, diags)
			}
			if !warned {
				return
			}
			w := diags.Warnings()[0]
			for _, part := range []string{"require_api_key_expiration = true", "without an expiry date",
				"the provider's own api_key included", "org_requires_expiring_key",
				"create an API key with an expiry date in the Capgo console", "configure it as the provider's api_key"} {
				if !strings.Contains(w.Detail(), part) {
					t.Errorf("the warning does not say %q:\n%s", part, w.Detail())
				}
			}
		})
	}
	// The prior value unknown: only a plan carries unknowns, so the rule is checked directly.
	if !turnsOn(unknown, on) {
		t.Error("unknown to on does not warn")
	}
}

// A plan that turns enforce_2fa on says that the key's own account needs 2FA, which the provider
// cannot check; one that keeps it on says nothing.
func TestSecurityPlanWarnsBeforeEnforcing2FA(t *testing.T) {
	t.Parallel()
	with2FA := func(value types.Bool) organizationSecurityModel {
		m := securityWithKeyExpiration(types.BoolNull())
		m.Enforce2FA = value
		return m
	}
	on := with2FA(types.BoolValue(true))
	diags := planSecurity(t, nil, nil, on)
	if len(diags.Warnings()) != 1 || !strings.Contains(diags.Warnings()[0].Detail(), "cannot check it") {
		t.Fatalf("turning enforce_2fa on: want one warning that the provider cannot check the key's 2FA, got %v", diags)
	}
	if diags := planSecurity(t, nil, &on, on); len(diags) != 0 {
		t.Fatalf("enforce_2fa staying on: want nothing said, got %v", diags)
	}
}
