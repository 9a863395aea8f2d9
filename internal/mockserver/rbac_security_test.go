package mockserver

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
)

// securityServer is an rbac server with the default accounts and an
// organization Acme of the admin's, with two-factor authentication on and
// adminKeyExpires telling whether its key expires; dev is an accepted
// org_admin of Acme, ops an accepted org_member with a key that expires.
func securityServer(t *testing.T, adminKeyExpires bool) (*TestServer, string) {
	t.Helper()
	seed := DefaultSeedFor(DialectRBAC)
	seed.Users[0].TwoFactor = true
	seed.Users[0].APIKeyExpires = adminKeyExpires
	seed.Users[2].APIKeyExpires = true
	seed.Organizations = append(seed.Organizations, SeedOrganization{Name: "Acme", Owner: AdminEmail, Members: []SeedMember{
		{Email: DevEmail, Role: "org_admin"}, {Email: OpsEmail, Role: "org_member"},
	}})
	ts := NewTestServer(t, Options{Dialect: DialectRBAC, Seed: seed})
	return ts, madeOrganizations(ts.State())[0].ID
}

// TestRBACSecuritySettings: PUT takes each setting alone or with others, and
// answers the whole stored row with them; GET never shows them; a PUT of
// orgId alone changes nothing and answers the row all the same.
func TestRBACSecuritySettings(t *testing.T) {
	// The admin's key expires, so that it may read the organization that
	// comes to require it.
	ts, id := securityServer(t, true)
	admin := newClient(t, ts, AdminAPIKey)

	defaults := admin.putOrganization(id, map[string]any{"orgId": id}).SecuritySettings
	if !reflect.DeepEqual(defaults, SecuritySettings{}) {
		t.Fatalf("settings of a new organization %+v, want all off", defaults)
	}
	days, key := 90, "0123456789abcdefghij"
	want := SecuritySettings{
		Enforcing2FA:            true,
		PasswordPolicyConfig:    &PasswordPolicy{Enabled: true, MinLength: 12, RequireUppercase: true, RequireNumber: false, RequireSpecial: true},
		RequireAPIKeyExpiration: true,
		MaxAPIKeyExpirationDays: &days,
		EnforceHashedAPIKeys:    true,
		EnforceEncryptedBundles: true,
		RequiredEncryptionKey:   &key,
	}
	got := admin.putOrganization(id, map[string]any{
		"orgId": id, "enforcing_2fa": true, "require_apikey_expiration": true, "max_apikey_expiration_days": 90,
		"enforce_hashed_api_keys": true, "enforce_encrypted_bundles": true, "required_encryption_key": "  " + key + " ",
		"password_policy_config": map[string]any{"enabled": true, "min_length": 12, "require_uppercase": true,
			"require_number": false, "require_special": true, "ignored": "x"},
	}).SecuritySettings
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("settings %+v, want %+v", got, want)
	}

	// GET shows none of them (putOrganization checked the keys of the
	// answer); the state does, as stored.
	state := madeOrganizations(ts.State())[0]
	if state.SecuritySettings == nil || !reflect.DeepEqual(*state.SecuritySettings, want) {
		t.Fatalf("state settings %+v", state.SecuritySettings)
	}
	ops := newClient(t, ts, OpsAPIKey)
	var raw map[string]any
	ops.do(http.MethodGet, orgsPath+"?orgId="+id, nil).wantOK(t).decode(t, &raw)
	wantKeys(t, raw, rbacOrganizationKeys)

	// Each setting back, one at a time, and the others stay.
	seven := 7
	for _, step := range []struct {
		body   map[string]any
		change func(*SecuritySettings)
	}{
		{map[string]any{"enforcing_2fa": false}, func(s *SecuritySettings) { s.Enforcing2FA = false }},
		{map[string]any{"password_policy_config": nil}, func(s *SecuritySettings) { s.PasswordPolicyConfig = nil }},
		{map[string]any{"max_apikey_expiration_days": 7}, func(s *SecuritySettings) { s.MaxAPIKeyExpirationDays = &seven }},
		{map[string]any{"max_apikey_expiration_days": nil}, func(s *SecuritySettings) { s.MaxAPIKeyExpirationDays = nil }},
		{map[string]any{"required_encryption_key": "  "}, func(s *SecuritySettings) { s.RequiredEncryptionKey = nil }},
		{map[string]any{"enforce_hashed_api_keys": false}, func(s *SecuritySettings) { s.EnforceHashedAPIKeys = false }},
		{map[string]any{"enforce_encrypted_bundles": false}, func(s *SecuritySettings) { s.EnforceEncryptedBundles = false }},
		{map[string]any{"require_apikey_expiration": false}, func(s *SecuritySettings) { s.RequireAPIKeyExpiration = false }},
	} {
		step.body["orgId"] = id
		step.change(&want)
		if got := admin.putOrganization(id, step.body).SecuritySettings; !reflect.DeepEqual(got, want) {
			t.Fatalf("after %v: settings %+v, want %+v", step.body, got, want)
		}
	}
	if !reflect.DeepEqual(want, SecuritySettings{}) {
		t.Fatalf("the steps left %+v", want)
	}
}

// TestRBACSecuritySettingsValidation: each setting is checked as the backend
// checks it, and a refused PUT changes nothing.
func TestRBACSecuritySettingsValidation(t *testing.T) {
	ts, id := securityServer(t, false)
	admin := newClient(t, ts, AdminAPIKey)
	policy := func(change map[string]any) map[string]any {
		p := map[string]any{"enabled": true, "min_length": 8, "require_uppercase": false, "require_number": false, "require_special": false}
		for k, v := range change {
			if v == nil {
				delete(p, k)
			} else {
				p[k] = v
			}
		}
		return p
	}
	tests := []struct {
		name  string
		field string
		value any
		code  string
	}{
		{"enforcing_2fa not a bool", "enforcing_2fa", "true", "invalid_body"},
		{"enforcing_2fa null", "enforcing_2fa", nil, "invalid_body"},
		{"password policy not an object", "password_policy_config", "strict", "invalid_body"},
		{"password policy without enabled", "password_policy_config", policy(map[string]any{"enabled": nil}), "invalid_body"},
		{"password policy with a string flag", "password_policy_config", policy(map[string]any{"require_number": "yes"}), "invalid_body"},
		{"password policy min_length 5", "password_policy_config", policy(map[string]any{"min_length": 5}), "invalid_body"},
		{"password policy min_length 73", "password_policy_config", policy(map[string]any{"min_length": 73}), "invalid_body"},
		{"password policy min_length fractional", "password_policy_config", policy(map[string]any{"min_length": 8.5}), "invalid_body"},
		{"password policy without min_length", "password_policy_config", policy(map[string]any{"min_length": nil}), "invalid_body"},
		{"require_apikey_expiration a number", "require_apikey_expiration", 1, "invalid_body"},
		{"max days 0", "max_apikey_expiration_days", 0, "invalid_max_expiration_days"},
		{"max days 366", "max_apikey_expiration_days", 366, "invalid_max_expiration_days"},
		{"max days fractional", "max_apikey_expiration_days", 1.5, "invalid_max_expiration_days"},
		{"max days a string", "max_apikey_expiration_days", "30", "invalid_max_expiration_days"},
		{"enforce_hashed_api_keys a string", "enforce_hashed_api_keys", "false", "invalid_body"},
		{"enforce_encrypted_bundles null", "enforce_encrypted_bundles", nil, "invalid_body"},
		{"encryption key of 19", "required_encryption_key", "0123456789abcdefghi", "invalid_required_encryption_key"},
		{"encryption key of 22", "required_encryption_key", "0123456789abcdefghijkl", "invalid_required_encryption_key"},
		{"encryption key not a string", "required_encryption_key", 1.2345678901234567e19, "invalid_body"},
	}
	for _, tt := range tests {
		runNoEffect(t, ts, tt.name, func(t *testing.T) {
			admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": id, tt.field: tt.value}).wantCode(t, 400, tt.code, map[string]any{})
		})
	}
	// Limits that are taken.
	for field, value := range map[string]any{
		"max_apikey_expiration_days": 365, "required_encryption_key": "0123456789abcdefghijk",
		"password_policy_config": policy(map[string]any{"min_length": 72}),
	} {
		admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": id, field: value}).wantOK(t)
	}
	admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": id, "password_policy_config": policy(map[string]any{"min_length": 6})}).wantOK(t)
	admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": id, "max_apikey_expiration_days": 1}).wantOK(t)
}

// TestRBACEnforcing2FANeedsTwoFactor: turning enforcing_2fa on needs the
// caller's own two-factor authentication (the two_factor seed flag); turning
// it off does not, and rights come first.
func TestRBACEnforcing2FANeedsTwoFactor(t *testing.T) {
	ts, id := securityServer(t, false)
	dev := newClient(t, ts, DevAPIKey)
	runNoEffect(t, ts, "org_admin without 2FA", func(t *testing.T) {
		dev.do(http.MethodPut, orgsPath, map[string]any{"orgId": id, "enforcing_2fa": true, "name": "Renamed"}).
			wantCode(t, 400, "requires_2fa_to_enforce_2fa", map[string]any{})
	})
	runNoEffect(t, ts, "org_member, whatever its 2FA", func(t *testing.T) {
		newClient(t, ts, OpsAPIKey).do(http.MethodPut, orgsPath, map[string]any{"orgId": id, "enforcing_2fa": true}).
			wantCode(t, 400, "cannot_access_organization", map[string]any{"orgId": id})
	})
	dev.putOrganization(id, map[string]any{"orgId": id, "enforcing_2fa": false})
	if got := newClient(t, ts, AdminAPIKey).putOrganization(id, map[string]any{"orgId": id, "enforcing_2fa": true}); !got.Enforcing2FA {
		t.Fatal("the admin, with 2FA on, could not enforce it")
	}
}

// TestRBACOrganizationRequiresExpiringKeys: once an organization requires
// expiring keys, a member whose key has no expiry date gets 401
// org_requires_expiring_key on every route of that organization; a key with
// one (the api_key_expires seed flag) goes on, and other organizations and
// the list are not affected.
func TestRBACOrganizationRequiresExpiringKeys(t *testing.T) {
	ts, id := securityServer(t, false)
	admin, dev, ops := newClient(t, ts, AdminAPIKey), newClient(t, ts, DevAPIKey), newClient(t, ts, OpsAPIKey)
	// The PUT itself goes through: the organization did not require it yet.
	admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": id, "require_apikey_expiration": true}).wantOK(t)
	refused := func(c *apiClient, method, path string, body any) {
		t.Helper()
		runNoEffect(t, ts, c.key+" "+method+" "+path, func(t *testing.T) {
			c.do(method, path, body).wantCode(t, 401, "org_requires_expiring_key", map[string]any{})
		})
	}
	for _, c := range []*apiClient{admin, dev} {
		refused(c, http.MethodGet, orgsPath+"?orgId="+id, nil)
		refused(c, http.MethodPut, orgsPath, map[string]any{"orgId": id, "name": "Renamed"})
		refused(c, http.MethodDelete, orgsPath+"?orgId="+id, nil)
		refused(c, http.MethodGet, membersPath+"?orgId="+id, nil)
		refused(c, http.MethodPost, membersPath, map[string]any{"orgId": id, "email": OpsEmail, "invite_type": "org_member"})
		refused(c, http.MethodDelete, membersPath, map[string]any{"orgId": id, "email": OpsEmail})
		refused(c, http.MethodGet, auditPath+"?orgId="+id, nil)
	}
	// ops's key expires: it goes on, with its own rights.
	ops.getOrg(id)
	if n := len(ops.members(id)); n != 3 {
		t.Fatalf("ops lists %d members, want 3", n)
	}
	ops.do(http.MethodPut, orgsPath, map[string]any{"orgId": id, "name": "Renamed"}).wantCode(t, 400, "cannot_access_organization", map[string]any{"orgId": id})
	// The list, and the admin's other organizations, are not the
	// organization's routes.
	var listed []json.RawMessage
	admin.do(http.MethodGet, orgsPath, nil).wantOK(t).decode(t, &listed)
	if len(listed) != 2 {
		t.Fatalf("the admin lists %d organizations, want its own and Acme", len(listed))
	}
	admin.createOrg("Elsewhere")
	// A non-member is refused as it would be anyway.
	outsider := newClient(t, ts, ts.CreateUser("outsider@example.com").APIKey)
	outsider.do(http.MethodGet, orgsPath+"?orgId="+id, nil).wantCode(t, 400, "invalid_org_id", map[string]any{"org_id": id})
}
