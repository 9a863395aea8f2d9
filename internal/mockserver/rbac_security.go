package mockserver

import (
	"encoding/json"
	"net/http"
	"strings"
	"unicode/utf8"
)

// SecuritySettings are an organization's security settings in dialect rbac
// (README.md, 2.4): PUT /organization/ changes them and answers them with
// the whole stored row, GET never shows them, GET /_mock/state does.
type SecuritySettings struct {
	Enforcing2FA            bool            `json:"enforcing_2fa"`
	PasswordPolicyConfig    *PasswordPolicy `json:"password_policy_config"`
	RequireAPIKeyExpiration bool            `json:"require_apikey_expiration"`
	MaxAPIKeyExpirationDays *int            `json:"max_apikey_expiration_days"`
	EnforceHashedAPIKeys    bool            `json:"enforce_hashed_api_keys"`
	EnforceEncryptedBundles bool            `json:"enforce_encrypted_bundles"`
	RequiredEncryptionKey   *string         `json:"required_encryption_key"`
}

// PasswordPolicy is the password policy an organization sets for its
// members' accounts.
type PasswordPolicy struct {
	Enabled          bool `json:"enabled"`
	MinLength        int  `json:"min_length"`
	RequireUppercase bool `json:"require_uppercase"`
	RequireNumber    bool `json:"require_number"`
	RequireSpecial   bool `json:"require_special"`
}

// Error codes of the security settings, beyond invalid_body.
const (
	rbacCodeNeeds2FA          = "requires_2fa_to_enforce_2fa"
	rbacCodeMaxExpirationDays = "invalid_max_expiration_days"
	rbacCodeEncryptionKey     = "invalid_required_encryption_key"
	rbacMsgNeeds2FA           = "You need two-factor authentication on to enforce it"
	rbacMsgMaxExpirationDays  = "max_apikey_expiration_days must be a whole number from 1 to 365, or null"
	rbacMsgEncryptionKey      = "required_encryption_key must have 20 or 21 characters"
)

// The bounds the backend puts on the settings.
const (
	minPasswordLength, maxPasswordLength = 6, 72
	minExpirationDays, maxExpirationDays = 1, 365
)

// securityChanges are the settings a PUT body changes, checked before the
// organization is looked up and applied once the caller's rights are known.
type securityChanges struct {
	changes []func(*SecuritySettings)
	// enforces2FA: the body turns enforcing_2fa on, which the caller may
	// only do with two-factor authentication of its own.
	enforces2FA bool
}

func (c securityChanges) apply(s *SecuritySettings) {
	for _, change := range c.changes {
		change(s)
	}
}

// parseSecurityChanges reads the settings of a PUT body, each optional, in
// the order the backend checks them, and refuses the first bad one.
func parseSecurityChanges(p params) (c securityChanges, fail *apiResponse) {
	boolSetting := func(field string, set func(*SecuritySettings, bool)) {
		if fail != nil {
			return
		}
		raw, ok := p.raw(field)
		if !ok {
			return
		}
		var v bool
		if string(raw) == "null" || json.Unmarshal(raw, &v) != nil {
			fail = rbacInvalidBody(field + " must be true or false")
			return
		}
		if field == "enforcing_2fa" && v {
			c.enforces2FA = true
		}
		c.changes = append(c.changes, func(s *SecuritySettings) { set(s, v) })
	}

	boolSetting("enforcing_2fa", func(s *SecuritySettings, v bool) { s.Enforcing2FA = v })
	if raw, ok := p.raw("password_policy_config"); ok && fail == nil {
		policy, bad := parsePasswordPolicy(raw)
		if bad != "" {
			return c, rbacInvalidBody(bad)
		}
		c.changes = append(c.changes, func(s *SecuritySettings) { s.PasswordPolicyConfig = policy })
	}
	boolSetting("require_apikey_expiration", func(s *SecuritySettings, v bool) { s.RequireAPIKeyExpiration = v })
	if raw, ok := p.raw("max_apikey_expiration_days"); ok && fail == nil {
		days, valid := parseExpirationDays(raw)
		if !valid {
			return c, rbacFail(http.StatusBadRequest, rbacCodeMaxExpirationDays, rbacMsgMaxExpirationDays, nil)
		}
		c.changes = append(c.changes, func(s *SecuritySettings) { s.MaxAPIKeyExpirationDays = days })
	}
	boolSetting("enforce_hashed_api_keys", func(s *SecuritySettings, v bool) { s.EnforceHashedAPIKeys = v })
	boolSetting("enforce_encrypted_bundles", func(s *SecuritySettings, v bool) { s.EnforceEncryptedBundles = v })
	if raw, ok := p.raw("required_encryption_key"); ok && fail == nil {
		key, fail := parseEncryptionKey(raw)
		if fail != nil {
			return c, fail
		}
		c.changes = append(c.changes, func(s *SecuritySettings) { s.RequiredEncryptionKey = key })
	}
	return c, fail
}

// parsePasswordPolicy reads password_policy_config: null, or an object with
// all five fields (others are ignored). bad says what is wrong, "" when
// nothing is.
func parsePasswordPolicy(raw json.RawMessage) (policy *PasswordPolicy, bad string) {
	if string(raw) == "null" {
		return nil, ""
	}
	const shape = "password_policy_config must be null or {enabled, min_length, require_uppercase, require_number, require_special}"
	fields, ok := parseObject(raw)
	if !ok {
		return nil, shape
	}
	policy = &PasswordPolicy{}
	for name, dst := range map[string]*bool{
		"enabled":           &policy.Enabled,
		"require_uppercase": &policy.RequireUppercase,
		"require_number":    &policy.RequireNumber,
		"require_special":   &policy.RequireSpecial,
	} {
		v, present := fields[name]
		if !present || string(v) == "null" || json.Unmarshal(v, dst) != nil {
			return nil, shape
		}
	}
	n, ok := jsonInteger(fields["min_length"])
	if !ok || n < minPasswordLength || n > maxPasswordLength {
		return nil, "password_policy_config.min_length must be a whole number from 6 to 72"
	}
	policy.MinLength = n
	return policy, ""
}

// parseExpirationDays reads max_apikey_expiration_days: null, or 1 to 365.
func parseExpirationDays(raw json.RawMessage) (days *int, valid bool) {
	if string(raw) == "null" {
		return nil, true
	}
	n, ok := jsonInteger(raw)
	if !ok || n < minExpirationDays || n > maxExpirationDays {
		return nil, false
	}
	return &n, true
}

// parseEncryptionKey reads required_encryption_key: null or blank means
// none; otherwise 20 or 21 characters once trimmed.
func parseEncryptionKey(raw json.RawMessage) (*string, *apiResponse) {
	if string(raw) == "null" {
		return nil, nil
	}
	var key string
	if json.Unmarshal(raw, &key) != nil {
		return nil, rbacInvalidBody("required_encryption_key must be a string or null")
	}
	key = strings.TrimSpace(key)
	if key == "" {
		return nil, nil
	}
	if n := utf8.RuneCountInString(key); n != 20 && n != 21 {
		return nil, rbacFail(http.StatusBadRequest, rbacCodeEncryptionKey, rbacMsgEncryptionKey, nil)
	}
	return &key, nil
}
