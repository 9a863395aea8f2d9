package provider

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// organizationSecurityModel is the Terraform view of an organization's security settings. A null
// setting is one the configuration leaves out: the provider neither reads nor changes it.
type organizationSecurityModel struct {
	OrganizationID           types.String `tfsdk:"organization_id"`
	Enforce2FA               types.Bool   `tfsdk:"enforce_2fa"`
	PasswordPolicy           types.Object `tfsdk:"password_policy"`
	RequireAPIKeyExpiration  types.Bool   `tfsdk:"require_api_key_expiration"`
	MaxAPIKeyExpirationDays  types.Int64  `tfsdk:"max_api_key_expiration_days"`
	EnforceHashedAPIKeys     types.Bool   `tfsdk:"enforce_hashed_api_keys"`
	EnforceEncryptedBundles  types.Bool   `tfsdk:"enforce_encrypted_bundles"`
	RequiredEncryptionKey    types.String `tfsdk:"required_encryption_key"`
	RestoreDefaultsOnDestroy types.Bool   `tfsdk:"restore_defaults_on_destroy"`
}

// passwordPolicyModel is the password_policy object.
type passwordPolicyModel struct {
	Enabled          types.Bool  `tfsdk:"enabled"`
	MinLength        types.Int64 `tfsdk:"min_length"`
	RequireUppercase types.Bool  `tfsdk:"require_uppercase"`
	RequireNumber    types.Bool  `tfsdk:"require_number"`
	RequireSpecial   types.Bool  `tfsdk:"require_special"`
}

var passwordPolicyAttrTypes = map[string]attr.Type{
	"enabled":           types.BoolType,
	"min_length":        types.Int64Type,
	"require_uppercase": types.BoolType,
	"require_number":    types.BoolType,
	"require_special":   types.BoolType,
}

// isSet reports a value neither null nor unknown, of any type.
func isSet(v attr.Value) bool { return !v.IsNull() && !v.IsUnknown() }

// toAPI is the write of the settings m manages, known ones only: a null setting is not sent.
func (m organizationSecurityModel) toAPI(ctx context.Context, diags *diag.Diagnostics) capgo.OrganizationSecurity {
	var s capgo.OrganizationSecurity
	boolOf := func(v types.Bool) *bool {
		if !isSet(v) {
			return nil
		}
		b := v.ValueBool()
		return &b
	}
	s.Enforcing2FA = boolOf(m.Enforce2FA)
	s.RequireAPIKeyExpiration = boolOf(m.RequireAPIKeyExpiration)
	s.EnforceHashedAPIKeys = boolOf(m.EnforceHashedAPIKeys)
	s.EnforceEncryptedBundles = boolOf(m.EnforceEncryptedBundles)
	if isSet(m.MaxAPIKeyExpirationDays) {
		days := int(m.MaxAPIKeyExpirationDays.ValueInt64())
		s.MaxAPIKeyExpirationDays = &days
	}
	if known(m.RequiredEncryptionKey) {
		s.RequiredEncryptionKey = stringPointer(m.RequiredEncryptionKey.ValueString())
	}
	if isSet(m.PasswordPolicy) {
		var p passwordPolicyModel
		diags.Append(m.PasswordPolicy.As(ctx, &p, basetypes.ObjectAsOptions{})...)
		s.PasswordPolicy = &capgo.PasswordPolicy{
			Enabled: p.Enabled.ValueBool(), MinLength: int(p.MinLength.ValueInt64()),
			RequireUppercase: p.RequireUppercase.ValueBool(), RequireNumber: p.RequireNumber.ValueBool(),
			RequireSpecial: p.RequireSpecial.ValueBool(),
		}
	}
	return s
}

// defaultsToRestore is the write that puts back Capgo's defaults for the settings m manages.
func (m organizationSecurityModel) defaultsToRestore() capgo.OrganizationSecurity {
	defaults := capgo.DefaultOrganizationSecurity()
	var s capgo.OrganizationSecurity
	if !m.Enforce2FA.IsNull() {
		s.Enforcing2FA = defaults.Enforcing2FA
	}
	if !m.RequireAPIKeyExpiration.IsNull() {
		s.RequireAPIKeyExpiration = defaults.RequireAPIKeyExpiration
	}
	if !m.EnforceHashedAPIKeys.IsNull() {
		s.EnforceHashedAPIKeys = defaults.EnforceHashedAPIKeys
	}
	if !m.EnforceEncryptedBundles.IsNull() {
		s.EnforceEncryptedBundles = defaults.EnforceEncryptedBundles
	}
	s.ClearPasswordPolicy = !m.PasswordPolicy.IsNull()
	s.ClearMaxAPIKeyExpirationDays = !m.MaxAPIKeyExpirationDays.IsNull()
	if !m.RequiredEncryptionKey.IsNull() {
		s.RequiredEncryptionKey = defaults.RequiredEncryptionKey
	}
	return s
}

// isEmptySecurityWrite reports a write that sets nothing.
func isEmptySecurityWrite(s capgo.OrganizationSecurity) bool {
	return s == capgo.OrganizationSecurity{}
}

// securityStateFromAPI is the state after a read of current: the settings prior manages, as
// Capgo holds them, and the others left null. A value Capgo holds in another form than prior (an
// encryption key with white space around it, which Capgo trims; "" for no key, which Capgo holds
// as null) is kept as prior has it.
func securityStateFromAPI(current *capgo.OrganizationSecurity, prior organizationSecurityModel) organizationSecurityModel {
	all := securityModelFromAPI(current)
	m := prior
	m.Enforce2FA = managedSetting(prior.Enforce2FA, all.Enforce2FA)
	m.RequireAPIKeyExpiration = managedSetting(prior.RequireAPIKeyExpiration, all.RequireAPIKeyExpiration)
	m.EnforceHashedAPIKeys = managedSetting(prior.EnforceHashedAPIKeys, all.EnforceHashedAPIKeys)
	m.EnforceEncryptedBundles = managedSetting(prior.EnforceEncryptedBundles, all.EnforceEncryptedBundles)
	m.PasswordPolicy = managedSetting(prior.PasswordPolicy, all.PasswordPolicy)
	m.MaxAPIKeyExpirationDays = managedSetting(prior.MaxAPIKeyExpirationDays, all.MaxAPIKeyExpirationDays)
	if !prior.RequiredEncryptionKey.IsNull() {
		m.RequiredEncryptionKey = all.RequiredEncryptionKey
		stored := ""
		if current.RequiredEncryptionKey != nil {
			stored = *current.RequiredEncryptionKey
		}
		if known(prior.RequiredEncryptionKey) && capgo.TrimmedEncryptionKey(prior.RequiredEncryptionKey.ValueString()) == stored {
			m.RequiredEncryptionKey = prior.RequiredEncryptionKey
		}
	}
	if m.RestoreDefaultsOnDestroy.IsNull() || m.RestoreDefaultsOnDestroy.IsUnknown() {
		m.RestoreDefaultsOnDestroy = types.BoolValue(false)
	}
	return m
}

// managedSetting is a setting as read: current when prior manages it, else null as in prior.
func managedSetting[T attr.Value](prior, current T) T {
	if prior.IsNull() {
		return prior
	}
	return current
}

// securityModelFromAPI holds every setting of current: what an import adopts. A setting that is
// null on the server (no policy, no maximum, no required key) stays null, unmanaged.
func securityModelFromAPI(current *capgo.OrganizationSecurity) organizationSecurityModel {
	m := organizationSecurityModel{
		Enforce2FA:               types.BoolPointerValue(current.Enforcing2FA),
		RequireAPIKeyExpiration:  types.BoolPointerValue(current.RequireAPIKeyExpiration),
		EnforceHashedAPIKeys:     types.BoolPointerValue(current.EnforceHashedAPIKeys),
		EnforceEncryptedBundles:  types.BoolPointerValue(current.EnforceEncryptedBundles),
		PasswordPolicy:           types.ObjectNull(passwordPolicyAttrTypes),
		MaxAPIKeyExpirationDays:  types.Int64Null(),
		RequiredEncryptionKey:    types.StringPointerValue(current.RequiredEncryptionKey),
		RestoreDefaultsOnDestroy: types.BoolValue(false),
	}
	if p := current.PasswordPolicy; p != nil {
		m.PasswordPolicy = types.ObjectValueMust(passwordPolicyAttrTypes, map[string]attr.Value{
			"enabled":           types.BoolValue(p.Enabled),
			"min_length":        types.Int64Value(int64(p.MinLength)),
			"require_uppercase": types.BoolValue(p.RequireUppercase),
			"require_number":    types.BoolValue(p.RequireNumber),
			"require_special":   types.BoolValue(p.RequireSpecial),
		})
	}
	if current.MaxAPIKeyExpirationDays != nil {
		m.MaxAPIKeyExpirationDays = types.Int64Value(int64(*current.MaxAPIKeyExpirationDays))
	}
	return m
}

// withUnknownsNulled returns a copy in which every setting still unknown is null: state written
// after a failed apply must hold only known values.
func (m organizationSecurityModel) withUnknownsNulled() organizationSecurityModel {
	for _, v := range []*types.Bool{&m.Enforce2FA, &m.RequireAPIKeyExpiration, &m.EnforceHashedAPIKeys,
		&m.EnforceEncryptedBundles, &m.RestoreDefaultsOnDestroy} {
		if v.IsUnknown() {
			*v = types.BoolNull()
		}
	}
	if m.PasswordPolicy.IsUnknown() {
		m.PasswordPolicy = types.ObjectNull(passwordPolicyAttrTypes)
	}
	if m.MaxAPIKeyExpirationDays.IsUnknown() {
		m.MaxAPIKeyExpirationDays = types.Int64Null()
	}
	if m.RequiredEncryptionKey.IsUnknown() {
		m.RequiredEncryptionKey = types.StringNull()
	}
	return m
}

// securityManagedKey is the private state key that lists the settings the configuration manages,
// as the last create or update found them in it. An import manages none: it adopts every setting,
// and a configuration that leaves some out plans no change for them.
const securityManagedKey = "managed"

// settings are m's settings by attribute name.
func (m *organizationSecurityModel) settings() map[string]*attr.Value {
	values := []attr.Value{m.Enforce2FA, m.PasswordPolicy, m.RequireAPIKeyExpiration, m.MaxAPIKeyExpirationDays,
		m.EnforceHashedAPIKeys, m.EnforceEncryptedBundles, m.RequiredEncryptionKey}
	out := make(map[string]*attr.Value, len(values))
	for i, name := range securitySettingNames {
		out[name] = &values[i]
	}
	return out
}

// securitySettingNames are the settings' attributes, in the order settings lists them.
var securitySettingNames = []string{"enforce_2fa", "password_policy", "require_api_key_expiration",
	"max_api_key_expiration_days", "enforce_hashed_api_keys", "enforce_encrypted_bundles", "required_encryption_key"}

// withSettings is m with the settings of values, as settings lists them.
func (m organizationSecurityModel) withSettings(values map[string]*attr.Value) organizationSecurityModel {
	m.Enforce2FA, _ = (*values["enforce_2fa"]).(types.Bool)
	m.PasswordPolicy, _ = (*values["password_policy"]).(types.Object)
	m.RequireAPIKeyExpiration, _ = (*values["require_api_key_expiration"]).(types.Bool)
	m.MaxAPIKeyExpirationDays, _ = (*values["max_api_key_expiration_days"]).(types.Int64)
	m.EnforceHashedAPIKeys, _ = (*values["enforce_hashed_api_keys"]).(types.Bool)
	m.EnforceEncryptedBundles, _ = (*values["enforce_encrypted_bundles"]).(types.Bool)
	m.RequiredEncryptionKey, _ = (*values["required_encryption_key"]).(types.String)
	return m
}

// configuredSettings are the settings config sets: the ones it manages.
func configuredSettings(config organizationSecurityModel) []string {
	var names []string
	for _, name := range securitySettingNames {
		if !(*config.settings()[name]).IsNull() {
			names = append(names, name)
		}
	}
	return names
}

// privateState is what reads private state: ModifyPlan's, Delete's and a response's.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// managedSettings are the settings a state's configuration manages. A state written before the
// list was kept holds only managed settings: every one it holds is.
func managedSettings(ctx context.Context, private privateState, state organizationSecurityModel) map[string]bool {
	managed := map[string]bool{}
	raw, _ := private.GetKey(ctx, securityManagedKey)
	var names []string
	if raw == nil || json.Unmarshal(raw, &names) != nil {
		names = configuredSettings(state)
	}
	for _, name := range names {
		managed[name] = true
	}
	return managed
}

// managedOnly is m without the settings managed does not name.
func (m organizationSecurityModel) managedOnly(managed map[string]bool) organizationSecurityModel {
	values := m.settings()
	for name, v := range values {
		if !managed[name] {
			*v = nullOf(*v)
		}
	}
	return m.withSettings(values)
}

// nullOf is the null value of v's type, one of the settings' types.
func nullOf(v attr.Value) attr.Value {
	switch v.(type) {
	case types.Bool:
		return types.BoolNull()
	case types.Int64:
		return types.Int64Null()
	case types.String:
		return types.StringNull()
	case types.Object:
		return types.ObjectNull(passwordPolicyAttrTypes)
	}
	return v
}
