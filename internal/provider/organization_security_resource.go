package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

var (
	_ resource.Resource                = (*organizationSecurityResource)(nil)
	_ resource.ResourceWithConfigure   = (*organizationSecurityResource)(nil)
	_ resource.ResourceWithImportState = (*organizationSecurityResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*organizationSecurityResource)(nil)
	_ resource.ResourceWithIdentity    = (*organizationSecurityResource)(nil)
)

// NewOrganizationSecurityResource returns the capgo_organization_security resource.
func NewOrganizationSecurityResource() resource.Resource {
	return &organizationSecurityResource{}
}

// organizationSecurityResource manages the security settings of one organization, those its
// configuration sets and no others. Only Capgo's production API has them.
type organizationSecurityResource struct {
	configured
}

var (
	pathRequireKeyExpiration = path.Root("require_api_key_expiration")
	pathEnforce2FA           = path.Root("enforce_2fa")
)

func (r *organizationSecurityResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization_security"
}

func (r *organizationSecurityResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	policyFlag := func(description string) schema.BoolAttribute {
		return schema.BoolAttribute{MarkdownDescription: description, Required: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The security settings of a Capgo organization: two-factor authentication, a password " +
			"policy, rules for API keys and for encrypted bundles. Only the settings set in the configuration are " +
			"managed; the others are neither read nor changed. Needs Capgo's production API and an API key of an " +
			"`org_admin` or `org_super_admin` of the organization. An import adopts every setting the " +
			"organization has; a configuration that then leaves some out plans no change for them, and they " +
			"stay unmanaged.",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the organization. Changing it manages another organization's settings " +
					"instead.",
				Required:      true,
				Validators:    []validator.String{organizationID()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"enforce_2fa": schema.BoolAttribute{
				MarkdownDescription: "Members must have two-factor authentication on (`enforcing_2fa`). Turning it on " +
					"needs the user who owns the API key to have two-factor authentication on.",
				Optional: true,
				Computed: true,
			},
			"password_policy": schema.SingleNestedAttribute{
				MarkdownDescription: "The password policy of the members' accounts (`password_policy_config`). All " +
					"five attributes are required, as Capgo takes the policy whole.",
				Optional: true,
				Computed: true,
				Attributes: map[string]schema.Attribute{
					"enabled": policyFlag("Whether the policy applies (`enabled`)."),
					"min_length": schema.Int64Attribute{
						MarkdownDescription: fmt.Sprintf("The shortest password allowed, %d to %d characters (`min_length`).",
							capgo.MinPasswordLength, capgo.MaxPasswordLength),
						Required:   true,
						Validators: []validator.Int64{int64validator.Between(capgo.MinPasswordLength, capgo.MaxPasswordLength)},
					},
					"require_uppercase": policyFlag("Passwords need an upper-case letter (`require_uppercase`)."),
					"require_number":    policyFlag("Passwords need a digit (`require_number`)."),
					"require_special":   policyFlag("Passwords need a character other than a letter or a digit (`require_special`)."),
				},
			},
			"require_api_key_expiration": schema.BoolAttribute{
				MarkdownDescription: "Only API keys with an expiry date may act on the organization " +
					"(`require_apikey_expiration`). **Caution:** once on, Capgo refuses the provider's own API key for " +
					"this organization if that key has no expiry date.",
				Optional: true,
				Computed: true,
			},
			"max_api_key_expiration_days": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("The longest lifetime an API key may have, %d to %d days "+
					"(`max_apikey_expiration_days`).", capgo.MinAPIKeyExpirationDays, capgo.MaxAPIKeyExpirationDays),
				Optional:   true,
				Computed:   true,
				Validators: []validator.Int64{int64validator.Between(capgo.MinAPIKeyExpirationDays, capgo.MaxAPIKeyExpirationDays)},
			},
			"enforce_hashed_api_keys": schema.BoolAttribute{
				MarkdownDescription: "API keys must be stored hashed (`enforce_hashed_api_keys`).",
				Optional:            true,
				Computed:            true,
			},
			"enforce_encrypted_bundles": schema.BoolAttribute{
				MarkdownDescription: "Bundles uploaded to the organization's apps must be encrypted (`enforce_encrypted_bundles`).",
				Optional:            true,
				Computed:            true,
			},
			// Not sensitive: it identifies the public key that bundles are encrypted for (its first
			// characters, as Capgo's CLI shows them). The private key never reaches Capgo, and
			// knowing which public key is required gives no way to decrypt a bundle.
			"required_encryption_key": schema.StringAttribute{
				MarkdownDescription: "The key bundles must be encrypted with, as Capgo identifies it: 20 or 21 " +
					"characters once surrounding white space is removed (`required_encryption_key`). `\"\"` requires " +
					"no particular key.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{encryptionKeyID()},
			},
			"restore_defaults_on_destroy": schema.BoolAttribute{
				MarkdownDescription: "When true, destroying the resource puts the settings it manages back to Capgo's " +
					"defaults (every flag off, no password policy, no maximum key lifetime, no required key). When " +
					"false (the default), destroying it leaves the organization's settings as they are.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
		},
	}
}

func (r *organizationSecurityResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = perOrganizationIdentitySchema("The ID of the organization whose security settings they are.")
}

func (r *organizationSecurityResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.configure(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan warns when the plan turns on require_api_key_expiration, which can shut the
// provider's own key out, and refuses at plan time a server without security settings (Capgo's
// documented API), which the apply could only fail on. Finding out which API the server speaks
// takes one request when no answer has told yet, none otherwise.
func (r *organizationSecurityResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy: nothing is checked
	}
	var plan organizationSecurityModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan = r.planUnmanaged(ctx, req, plan, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
	prior, prior2FA := types.BoolNull(), types.BoolNull()
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, pathRequireKeyExpiration, &prior)...)
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, pathEnforce2FA, &prior2FA)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if turnsOn(prior, plan.RequireAPIKeyExpiration) {
		resp.Diagnostics.Append(keyExpirationWarning(plan.OrganizationID))
	}
	if turnsOn(prior2FA, plan.Enforce2FA) {
		resp.Diagnostics.Append(enforce2FAWarning())
	}

	if r.client == nil {
		return // checked at apply
	}
	// An organization created in the same run has no ID yet: the organizations the key can see
	// tell which API the server speaks.
	orgID := plan.OrganizationID.ValueString()
	supported, err := r.client.HasSecuritySettings(ctx, orgID)
	switch {
	case (r.client.Capabilities().Known && !r.client.Capabilities().SecuritySettings) || (err == nil && !supported):
		resp.Diagnostics.Append(noSecuritySettingsDiagnostic(orgID))
	case capgo.KindOf(err) == capgo.KindNotFound:
		resp.Diagnostics.AddAttributeError(path.Root("organization_id"), "Organization not found", importOrganizationNotFoundDetail(orgID))
	case err != nil:
		resp.Diagnostics.Append(securityErrorDiagnostic(fmt.Sprintf("check organization %s", orgID), orgID, err))
	}
}

// planUnmanaged plans the settings the configuration leaves out: as they are for one the state
// holds without managing it (adopted by an import), so that the plan shows no change; null for
// one the configuration stopped managing, and on a create.
func (r *organizationSecurityResource) planUnmanaged(ctx context.Context, req resource.ModifyPlanRequest,
	plan organizationSecurityModel, diags *diag.Diagnostics,
) organizationSecurityModel {
	var config, state organizationSecurityModel
	diags.Append(req.Config.Get(ctx, &config)...)
	managed := map[string]bool{}
	if !req.State.Raw.IsNull() {
		diags.Append(req.State.Get(ctx, &state)...)
		managed = managedSettings(ctx, req.Private, state)
	}
	if diags.HasError() {
		return plan
	}
	planned, prior, configured := plan.settings(), state.settings(), config.settings()
	for _, name := range securitySettingNames {
		if !(*configured[name]).IsNull() {
			continue
		}
		if req.State.Raw.IsNull() || managed[name] {
			*planned[name] = nullOf(*planned[name])
		} else {
			*planned[name] = *prior[name]
		}
	}
	return plan.withSettings(planned)
}

// turnsOn reports a plan that turns a setting on, or may: from off, unmanaged or unknown to on or
// unknown.
func turnsOn(prior, planned types.Bool) bool {
	if planned.IsNull() || (!planned.IsUnknown() && !planned.ValueBool()) {
		return false
	}
	return prior.IsNull() || prior.IsUnknown() || !prior.ValueBool()
}

// keyExpirationWarning says what turning on require_api_key_expiration does to the provider's own
// key, and how to keep access. The provider cannot tell whether its key has an expiry date.
func keyExpirationWarning(orgID types.String) diag.Diagnostic {
	org := "this organization"
	if known(orgID) {
		org = "organization " + orgID.ValueString()
	}
	return diag.NewAttributeWarningDiagnostic(pathRequireKeyExpiration, "This plan makes the organization refuse API keys without an expiry date",
		fmt.Sprintf("With require_api_key_expiration = true, Capgo refuses every API key without an expiry date on %s, "+
			"the provider's own api_key included: if it has no expiry date, every later refresh, plan and apply of "+
			"this organization will fail (org_requires_expiring_key). Before applying, create an API key with an "+
			"expiry date in the Capgo console and configure it as the provider's api_key (or CAPGO_API_KEY).", org))
}

// enforce2FAWarning says, before an apply that turns enforce_2fa on, what Capgo asks of the key's
// user: its API does not say whether they have 2FA on, so the provider cannot check it.
func enforce2FAWarning() diag.Diagnostic {
	return diag.NewAttributeWarningDiagnostic(pathEnforce2FA, "Enforcing 2FA needs 2FA on the API key's own account",
		"Capgo enforces two-factor authentication only when the user the API key belongs to has it on; otherwise "+
			"it refuses, and the apply fails with nothing changed. Capgo's API does not say whether that user has "+
			"it on, so the provider cannot check it before the apply: turn it on in that Capgo account first.")
}

func (r *organizationSecurityResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if !r.hasClient(&resp.Diagnostics, "set the organization's security settings") {
		return
	}
	var plan organizationSecurityModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := plan.OrganizationID.ValueString()
	settings := plan.toAPI(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	current, err := r.write(ctx, orgID, settings)
	if err != nil {
		resp.Diagnostics.Append(securityErrorDiagnostic(fmt.Sprintf("set the security settings of organization %s", orgID), orgID, err))
		return
	}
	setIdentity(ctx, resp.Identity, perOrganizationIdentity{OrganizationID: plan.OrganizationID}, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, securityStateFromAPI(current, plan.withUnknownsNulled()))...)
	r.noteManaged(ctx, req.Config, resp.Private, &resp.Diagnostics)
}

// noteManaged records which settings the configuration manages, for the plans and the destroy to
// come.
func (r *organizationSecurityResource) noteManaged(ctx context.Context, config tfsdk.Config, private interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}, diags *diag.Diagnostics,
) {
	var m organizationSecurityModel
	if diags.Append(config.Get(ctx, &m)...); diags.HasError() {
		return
	}
	names := configuredSettings(m)
	if names == nil {
		names = []string{}
	}
	raw, err := json.Marshal(names)
	if err != nil {
		diags.AddError("Cannot record the managed settings", err.Error())
		return
	}
	diags.Append(private.SetKey(ctx, securityManagedKey, raw)...)
}

// Read refreshes the settings the prior state manages, and no others. Capgo's API shows them only
// in the answer to a PUT of the organization, and a PUT that names nothing but the organization
// changes nothing: that is how they are read. Like any change, it needs org_admin or
// org_super_admin.
func (r *organizationSecurityResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state organizationSecurityModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	setIdentity(ctx, resp.Identity, perOrganizationIdentity{OrganizationID: state.OrganizationID}, &resp.Diagnostics)
	if r.readWithoutClient(req, resp) {
		return
	}
	orgID := state.OrganizationID.ValueString()
	current, err := r.client.ReadOrganizationSecurity(ctx, orgID)
	if err != nil && organizationGone(ctx, r.client, orgID, err) {
		tflog.Warn(ctx, "Capgo organization no longer found; removing its security settings from state", map[string]any{
			"organization_id": orgID,
		})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(securityErrorDiagnostic(fmt.Sprintf("read the security settings of organization %s", orgID), orgID, err))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, securityStateFromAPI(current, state))...)
}

func (r *organizationSecurityResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	if !r.hasClient(&resp.Diagnostics, "change the organization's security settings") {
		return
	}
	var plan, state organizationSecurityModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := plan.OrganizationID.ValueString()
	setIdentity(ctx, resp.Identity, perOrganizationIdentity{OrganizationID: plan.OrganizationID}, &resp.Diagnostics)
	// Only what changes is sent: sending enforcing_2fa = true again would need the key's user to
	// have two-factor authentication on, even when it is on already.
	settings := changedSettings(plan, state).toAPI(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	current, err := r.write(ctx, orgID, settings)
	if err != nil {
		resp.State.Raw = req.State.Raw.Copy()
		resp.Diagnostics.Append(securityErrorDiagnostic(fmt.Sprintf("change the security settings of organization %s", orgID), orgID, err))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, securityStateFromAPI(current, plan))...)
	r.noteManaged(ctx, req.Config, resp.Private, &resp.Diagnostics)
}

// changedSettings is plan with null for every setting that is the same in state: the settings
// an update sends.
func changedSettings(plan, state organizationSecurityModel) organizationSecurityModel {
	m := plan
	m.Enforce2FA = changedSetting(plan.Enforce2FA, state.Enforce2FA, types.BoolNull())
	m.RequireAPIKeyExpiration = changedSetting(plan.RequireAPIKeyExpiration, state.RequireAPIKeyExpiration, types.BoolNull())
	m.EnforceHashedAPIKeys = changedSetting(plan.EnforceHashedAPIKeys, state.EnforceHashedAPIKeys, types.BoolNull())
	m.EnforceEncryptedBundles = changedSetting(plan.EnforceEncryptedBundles, state.EnforceEncryptedBundles, types.BoolNull())
	m.PasswordPolicy = changedSetting(plan.PasswordPolicy, state.PasswordPolicy, types.ObjectNull(passwordPolicyAttrTypes))
	m.MaxAPIKeyExpirationDays = changedSetting(plan.MaxAPIKeyExpirationDays, state.MaxAPIKeyExpirationDays, types.Int64Null())
	m.RequiredEncryptionKey = changedSetting(plan.RequiredEncryptionKey, state.RequiredEncryptionKey, types.StringNull())
	return m
}

// changedSetting is planned when it differs from state, else null (unsent).
func changedSetting[T attr.Value](planned, state, null T) T {
	if planned.Equal(state) {
		return null
	}
	return planned
}

// Delete stops managing the settings. It changes nothing in Capgo unless
// restore_defaults_on_destroy is true: then it puts back Capgo's defaults for the settings the
// resource managed.
func (r *organizationSecurityResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state organizationSecurityModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := state.OrganizationID.ValueString()
	defaults := state.managedOnly(managedSettings(ctx, req.Private, state)).defaultsToRestore()
	if !state.RestoreDefaultsOnDestroy.ValueBool() || isEmptySecurityWrite(defaults) {
		tflog.Info(ctx, "no longer managing the organization's security settings; Capgo keeps them as they are",
			map[string]any{"organization_id": orgID})
		return
	}
	if !r.hasClient(&resp.Diagnostics, "restore the organization's default security settings") {
		return
	}
	_, err := r.write(ctx, orgID, defaults)
	if err != nil && organizationGone(ctx, r.client, orgID, err) {
		return // nothing left to restore
	}
	if err != nil {
		resp.Diagnostics.Append(securityErrorDiagnostic(fmt.Sprintf("restore the default security settings of organization %s", orgID), orgID, err))
	}
}

// write sends settings as one of this client's writes to the organization (see
// capgo.WriteToOrganization). After an ambiguous failure it reads the settings back, and sends
// them again only if they did not take effect. It returns every setting as Capgo then holds them.
func (r *organizationSecurityResource) write(ctx context.Context, orgID string, settings capgo.OrganizationSecurity) (*capgo.OrganizationSecurity, error) {
	var current *capgo.OrganizationSecurity
	err := r.client.WriteToOrganization(ctx, orgID, nil, func(ctx context.Context, _ bool) error {
		return r.client.WriteConfirmed(ctx,
			func(ctx context.Context) error {
				var err error
				current, err = r.client.UpdateOrganizationSecurity(ctx, orgID, settings)
				return err
			},
			func(ctx context.Context) (bool, error) {
				got, err := r.client.ReadOrganizationSecurity(ctx, orgID)
				if err != nil || !settings.Holds(got) {
					return false, err
				}
				current = got
				return true, nil
			})
	})
	return current, err
}

func (r *organizationSecurityResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	orgID, ok := perOrganizationToImport(ctx, req, "an organization's security settings", "capgo_organization_security.mobile", &resp.Diagnostics)
	if !ok || !r.hasClient(&resp.Diagnostics, "read the security settings to import") {
		return
	}
	// The import adopts every setting the organization has, so that a configuration generated
	// from it (terraform plan -generate-config-out) sets them all and plans no change.
	current, err := r.client.ReadOrganizationSecurity(ctx, orgID)
	if err != nil {
		if organizationGone(ctx, r.client, orgID, err) {
			resp.Diagnostics.AddError("Cannot import: organization not found", importOrganizationNotFoundDetail(orgID))
			return
		}
		resp.Diagnostics.Append(securityErrorDiagnostic(fmt.Sprintf("read the security settings of organization %s to import them", orgID), orgID, err))
		return
	}
	m := securityModelFromAPI(current)
	m.OrganizationID = types.StringValue(orgID)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, securityManagedKey, []byte("[]"))...)
	setIdentity(ctx, resp.Identity, perOrganizationIdentity{OrganizationID: m.OrganizationID}, &resp.Diagnostics)
}

// noSecuritySettingsDiagnostic refuses a server without security settings.
func noSecuritySettingsDiagnostic(orgID string) diag.Diagnostic {
	org := "organization " + orgID
	if orgID == "" {
		org = "an organization" // created in the same run: no ID yet
	}
	return productionAPIOnlyDiagnostic("Organization security settings need Capgo's production API",
		"organization security settings (two-factor enforcement, password policy, API key rules, encrypted bundles)",
		"capgo_organization_security cannot manage those of "+org, "resource")
}

// securityErrorDiagnostic explains a failed call on the security settings. action reads as
// "Unable to <action>".
func securityErrorDiagnostic(action, orgID string, err error) diag.Diagnostic {
	switch {
	case errors.Is(err, capgo.ErrNoSecuritySettings):
		return noSecuritySettingsDiagnostic(orgID)
	case capgo.KindOf(err) == capgo.KindNeeds2FA:
		return diag.NewAttributeErrorDiagnostic(path.Root("enforce_2fa"), "Unable to "+action,
			fmt.Sprintf("Capgo lets only a user with two-factor authentication on make organization %s enforce it, and "+
				"the user who owns the provider's API key has it off (%s). Nothing was changed. Turn on two-factor "+
				"authentication for that account in the Capgo console, then apply again.", orgID, errorCode(err)))
	case capgo.KindOf(err) == capgo.KindKeyNeedsExpiry:
		return diag.NewErrorDiagnostic("Unable to "+action,
			fmt.Sprintf("Organization %s accepts only API keys with an expiry date (require_api_key_expiration is on), "+
				"and the provider's api_key has none, so Capgo refuses it there (%s). Nothing was changed, in Capgo or in "+
				"the Terraform state. Create an API key with an expiry date in the Capgo console, configure it as "+
				"the provider's api_key (or CAPGO_API_KEY), then run Terraform again.", orgID, errorCode(err)))
	case capgo.KindOf(err) == capgo.KindNoAccess:
		return diag.NewErrorDiagnostic("Unable to "+action,
			fmt.Sprintf("Capgo refused (%s). Reading or changing an organization's security settings needs the "+
				"org_admin or org_super_admin role in organization %s; the user who owns the API key lacks it.", errorCode(err), orgID))
	}
	return apiErrorDiagnostic(action, err)
}

// encryptionKeyID accepts what Capgo takes as a required encryption key: 20 or 21 characters once
// trimmed, or "" for none.
func encryptionKeyID() validator.String {
	return stringRule{
		description: "must be 20 or 21 characters once trimmed, or \"\" for none",
		problem: func(attribute path.Path, value string) (string, string) {
			trimmed := capgo.TrimmedEncryptionKey(value)
			if value == "" {
				return "", ""
			}
			if n := len([]rune(trimmed)); n == capgo.EncryptionKeyLength || n == capgo.EncryptionKeyLengthAlt {
				return "", ""
			}
			return "Invalid encryption key", fmt.Sprintf("%s has %d characters once surrounding white space is removed; "+
				"Capgo takes %d or %d, the key's identifier as the Capgo CLI shows it. Write that identifier, or \"\" "+
				"to require no particular key.", attribute, len([]rune(trimmed)), capgo.EncryptionKeyLength, capgo.EncryptionKeyLengthAlt)
		},
	}
}
