package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// A refresh keeps the settings the state leaves out null whatever Capgo holds, and keeps an
// encryption key as written when Capgo holds it trimmed, or "" when Capgo holds none.
func TestSecurityStateFromAPIKeepsWhatIsNotManaged(t *testing.T) {
	t.Parallel()
	key := "abcdefghijklmnopqrst"
	current := &capgo.OrganizationSecurity{
		Enforcing2FA: boolPtr(true), RequireAPIKeyExpiration: boolPtr(false), EnforceHashedAPIKeys: boolPtr(true),
		EnforceEncryptedBundles: boolPtr(true), MaxAPIKeyExpirationDays: intPtr(30), RequiredEncryptionKey: &key,
		PasswordPolicy: &capgo.PasswordPolicy{Enabled: true, MinLength: 8},
	}
	prior := organizationSecurityModel{
		OrganizationID:          types.StringValue("o1"),
		Enforce2FA:              types.BoolValue(false),
		PasswordPolicy:          types.ObjectNull(passwordPolicyAttrTypes),
		RequireAPIKeyExpiration: types.BoolNull(),
		MaxAPIKeyExpirationDays: types.Int64Null(),
		EnforceHashedAPIKeys:    types.BoolNull(),
		EnforceEncryptedBundles: types.BoolNull(),
		RequiredEncryptionKey:   types.StringValue("  " + key + " "),
	}
	got := securityStateFromAPI(current, prior)
	if !got.Enforce2FA.Equal(types.BoolValue(true)) {
		t.Errorf("enforce_2fa = %v, want the server's true", got.Enforce2FA)
	}
	if !got.RequiredEncryptionKey.Equal(prior.RequiredEncryptionKey) {
		t.Errorf("required_encryption_key = %v, want it as written", got.RequiredEncryptionKey)
	}
	for name, v := range map[string]interface{ IsNull() bool }{
		"password_policy": got.PasswordPolicy, "require_api_key_expiration": got.RequireAPIKeyExpiration,
		"max_api_key_expiration_days": got.MaxAPIKeyExpirationDays, "enforce_hashed_api_keys": got.EnforceHashedAPIKeys,
		"enforce_encrypted_bundles": got.EnforceEncryptedBundles,
	} {
		if !v.IsNull() {
			t.Errorf("%s = %v, want it left out", name, v)
		}
	}
	if !got.RestoreDefaultsOnDestroy.Equal(types.BoolValue(false)) {
		t.Errorf("restore_defaults_on_destroy = %v, want false", got.RestoreDefaultsOnDestroy)
	}

	// "" asks for no key, which Capgo holds as null: no change. Another key is.
	current.RequiredEncryptionKey = nil
	prior.RequiredEncryptionKey = types.StringValue("")
	if got := securityStateFromAPI(current, prior); !got.RequiredEncryptionKey.Equal(types.StringValue("")) {
		t.Errorf("required_encryption_key = %v, want \"\"", got.RequiredEncryptionKey)
	}
	prior.RequiredEncryptionKey = types.StringValue(key)
	if got := securityStateFromAPI(current, prior); !got.RequiredEncryptionKey.IsNull() {
		t.Errorf("required_encryption_key = %v, want null: Capgo holds none", got.RequiredEncryptionKey)
	}
}

// Restoring the defaults on destroy writes the managed settings only.
func TestSecurityDefaultsToRestoreOnlyManaged(t *testing.T) {
	t.Parallel()
	m := organizationSecurityModel{
		Enforce2FA: types.BoolValue(true), PasswordPolicy: types.ObjectNull(passwordPolicyAttrTypes),
		RequireAPIKeyExpiration: types.BoolNull(), MaxAPIKeyExpirationDays: types.Int64Value(30),
		EnforceHashedAPIKeys: types.BoolNull(), EnforceEncryptedBundles: types.BoolNull(),
		RequiredEncryptionKey: types.StringNull(),
	}
	got := m.defaultsToRestore()
	want := capgo.OrganizationSecurity{Enforcing2FA: boolPtr(false), ClearMaxAPIKeyExpirationDays: true}
	if got.Enforcing2FA == nil || *got.Enforcing2FA || !got.ClearMaxAPIKeyExpirationDays || got.ClearPasswordPolicy ||
		got.RequireAPIKeyExpiration != nil || got.EnforceHashedAPIKeys != nil || got.EnforceEncryptedBundles != nil ||
		got.RequiredEncryptionKey != nil {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
