package capgo

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
)

// Capgo's production API keeps security settings on each organization (two-factor authentication,
// a password policy, rules for API keys and bundles). PUT /organization/ changes them and answers
// them with the whole stored row; GET never shows them. A PUT that names only the organization
// changes nothing and answers the row, so that is how they are read. The documented API has none
// of them: nothing here is ever sent to it, as a PUT there would move the organization's
// updated_at.

// ErrNoSecuritySettings reports a server that keeps no security settings for organizations: any
// but Capgo's production API.
var ErrNoSecuritySettings = errors.New("this Capgo server (the documented API) keeps no organization security " +
	"settings; only Capgo's production API (https://api.capgo.app) has them")

// OrganizationSecurity is an organization's security settings. Read, every field is set but those
// that are null on the server (no password policy, no maximum key lifetime, no required encryption
// key). Written, a nil field is not sent and stays as it is; the Clear fields send null.
type OrganizationSecurity struct {
	// Enforcing2FA: members must have two-factor authentication on. Turning it on needs the API
	// key's user to have it on (KindNeeds2FA).
	Enforcing2FA *bool
	// PasswordPolicy is the password policy of the members' accounts.
	PasswordPolicy *PasswordPolicy
	// RequireAPIKeyExpiration: keys without an expiry date are refused on the organization's
	// routes (KindKeyNeedsExpiry), the key that turns it on included.
	RequireAPIKeyExpiration *bool
	// MaxAPIKeyExpirationDays is the longest lifetime a key may have, 1 to 365 days.
	MaxAPIKeyExpirationDays *int
	EnforceHashedAPIKeys    *bool
	EnforceEncryptedBundles *bool
	// RequiredEncryptionKey identifies the key bundles must be encrypted with: 20 or 21
	// characters once trimmed; "" clears it.
	RequiredEncryptionKey *string

	// ClearPasswordPolicy and ClearMaxAPIKeyExpirationDays send null for the setting, when
	// writing: no policy, no maximum. They win over the setting's own field.
	ClearPasswordPolicy          bool
	ClearMaxAPIKeyExpirationDays bool
}

// PasswordPolicy is the password policy an organization sets for its members' accounts.
type PasswordPolicy struct {
	Enabled bool `json:"enabled"`
	// MinLength is 6 to 72.
	MinLength        int  `json:"min_length"`
	RequireUppercase bool `json:"require_uppercase"`
	RequireNumber    bool `json:"require_number"`
	RequireSpecial   bool `json:"require_special"`
}

// The bounds Capgo's production API puts on the settings.
const (
	MinPasswordLength, MaxPasswordLength             = 6, 72
	MinAPIKeyExpirationDays, MaxAPIKeyExpirationDays = 1, 365
	// An encryption key is this long once trimmed, one or the other.
	EncryptionKeyLength, EncryptionKeyLengthAlt = 20, 21
)

// DefaultOrganizationSecurity is what a new organization has: every flag off, no policy, no
// maximum, no required key. Written, it puts every setting back as Capgo starts it.
func DefaultOrganizationSecurity() OrganizationSecurity {
	off := false
	return OrganizationSecurity{
		Enforcing2FA: &off, RequireAPIKeyExpiration: &off, EnforceHashedAPIKeys: &off, EnforceEncryptedBundles: &off,
		RequiredEncryptionKey: new(string), ClearPasswordPolicy: true, ClearMaxAPIKeyExpirationDays: true,
	}
}

// securityRow is the wire form of the settings in the stored row PUT answers. The pointers tell
// a setting the answer lacks from one that is false; json.RawMessage tells null from absent.
type securityRow struct {
	Enforcing2FA            *bool           `json:"enforcing_2fa"`
	PasswordPolicyConfig    json.RawMessage `json:"password_policy_config"`
	RequireAPIKeyExpiration *bool           `json:"require_apikey_expiration"`
	MaxAPIKeyExpirationDays json.RawMessage `json:"max_apikey_expiration_days"`
	EnforceHashedAPIKeys    *bool           `json:"enforce_hashed_api_keys"`
	EnforceEncryptedBundles *bool           `json:"enforce_encrypted_bundles"`
	RequiredEncryptionKey   json.RawMessage `json:"required_encryption_key"`
}

// settings decodes the row. An answer without the settings comes from a server that has none.
func (r securityRow) settings() (*OrganizationSecurity, error) {
	if r.Enforcing2FA == nil || r.RequireAPIKeyExpiration == nil || r.EnforceHashedAPIKeys == nil ||
		r.EnforceEncryptedBundles == nil {
		return nil, ErrNoSecuritySettings
	}
	s := &OrganizationSecurity{
		Enforcing2FA: r.Enforcing2FA, RequireAPIKeyExpiration: r.RequireAPIKeyExpiration,
		EnforceHashedAPIKeys: r.EnforceHashedAPIKeys, EnforceEncryptedBundles: r.EnforceEncryptedBundles,
	}
	if !isNull(r.PasswordPolicyConfig) {
		s.PasswordPolicy = &PasswordPolicy{}
		if err := json.Unmarshal(r.PasswordPolicyConfig, s.PasswordPolicy); err != nil {
			return nil, err
		}
	}
	if !isNull(r.MaxAPIKeyExpirationDays) {
		s.MaxAPIKeyExpirationDays = new(int)
		if err := json.Unmarshal(r.MaxAPIKeyExpirationDays, s.MaxAPIKeyExpirationDays); err != nil {
			return nil, err
		}
	}
	if !isNull(r.RequiredEncryptionKey) {
		s.RequiredEncryptionKey = new(string)
		if err := json.Unmarshal(r.RequiredEncryptionKey, s.RequiredEncryptionKey); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// body is the PUT body that writes s to the organization: orgId and the settings s sets.
func (s OrganizationSecurity) body(orgID string) map[string]any {
	b := map[string]any{"orgId": orgID}
	setBool := func(field string, v *bool) {
		if v != nil {
			b[field] = *v
		}
	}
	setBool("enforcing_2fa", s.Enforcing2FA)
	setBool("require_apikey_expiration", s.RequireAPIKeyExpiration)
	setBool("enforce_hashed_api_keys", s.EnforceHashedAPIKeys)
	setBool("enforce_encrypted_bundles", s.EnforceEncryptedBundles)
	switch {
	case s.ClearPasswordPolicy:
		b["password_policy_config"] = nil
	case s.PasswordPolicy != nil:
		b["password_policy_config"] = *s.PasswordPolicy
	}
	switch {
	case s.ClearMaxAPIKeyExpirationDays:
		b["max_apikey_expiration_days"] = nil
	case s.MaxAPIKeyExpirationDays != nil:
		b["max_apikey_expiration_days"] = *s.MaxAPIKeyExpirationDays
	}
	if s.RequiredEncryptionKey != nil {
		b["required_encryption_key"] = *s.RequiredEncryptionKey
	}
	return b
}

// Holds reports whether current, as read, has every setting s writes.
func (s OrganizationSecurity) Holds(current *OrganizationSecurity) bool {
	sameBool := func(want, got *bool) bool { return want == nil || (got != nil && *got == *want) }
	if !sameBool(s.Enforcing2FA, current.Enforcing2FA) || !sameBool(s.RequireAPIKeyExpiration, current.RequireAPIKeyExpiration) ||
		!sameBool(s.EnforceHashedAPIKeys, current.EnforceHashedAPIKeys) ||
		!sameBool(s.EnforceEncryptedBundles, current.EnforceEncryptedBundles) {
		return false
	}
	switch {
	case s.ClearPasswordPolicy:
		if current.PasswordPolicy != nil {
			return false
		}
	case s.PasswordPolicy != nil:
		if current.PasswordPolicy == nil || *current.PasswordPolicy != *s.PasswordPolicy {
			return false
		}
	}
	switch {
	case s.ClearMaxAPIKeyExpirationDays:
		if current.MaxAPIKeyExpirationDays != nil {
			return false
		}
	case s.MaxAPIKeyExpirationDays != nil:
		if current.MaxAPIKeyExpirationDays == nil || *current.MaxAPIKeyExpirationDays != *s.MaxAPIKeyExpirationDays {
			return false
		}
	}
	if s.RequiredEncryptionKey != nil {
		return TrimmedEncryptionKey(*s.RequiredEncryptionKey) == derefString(current.RequiredEncryptionKey)
	}
	return true
}

// HasSecuritySettings reports whether the server keeps organizations' security settings: only
// Capgo's production API does. It asks ServerCapabilities; when nothing tells, it reports true,
// and the write, which names the organization, finds out. err is the read's failure, if any; the
// answer is then false unless the failure told.
func (c *Client) HasSecuritySettings(ctx context.Context, orgID string) (bool, error) {
	can, err := c.ServerCapabilities(ctx, orgID)
	if err == nil && !can.Known {
		return true, nil // nothing tells: the write, which names the organization, finds out
	}
	return can.SecuritySettings, err
}

// ReadOrganizationSecurity returns the organization's security settings, read with a PUT that
// changes nothing (the only way the API shows them). It needs the right to change the
// organization's settings (org_admin or org_super_admin). A server without them gives
// ErrNoSecuritySettings, and is sent nothing when it can be told beforehand.
func (c *Client) ReadOrganizationSecurity(ctx context.Context, orgID string) (*OrganizationSecurity, error) {
	return c.UpdateOrganizationSecurity(ctx, orgID, OrganizationSecurity{})
}

// UpdateOrganizationSecurity writes the settings s sets, leaves the others as they are, and
// returns all of them as the server now holds them. A server without them gives
// ErrNoSecuritySettings, and is sent nothing when it can be told beforehand.
func (c *Client) UpdateOrganizationSecurity(ctx context.Context, orgID string, s OrganizationSecurity) (*OrganizationSecurity, error) {
	supported, err := c.HasSecuritySettings(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if !supported {
		return nil, ErrNoSecuritySettings
	}
	body, err := c.do(ctx, call{method: http.MethodPut, route: organizationRoute, body: s.body(orgID)})
	if err != nil {
		return nil, err
	}
	raw, found, err := payload(body)
	if err == nil && (!found || isNull(raw)) {
		err = errors.New("no organization in the answer")
	}
	var row securityRow
	if err == nil {
		err = json.Unmarshal(raw, &row)
	}
	var settings *OrganizationSecurity
	if err == nil {
		settings, err = row.settings()
	}
	if errors.Is(err, ErrNoSecuritySettings) {
		return nil, err
	}
	if err != nil {
		return nil, decodeError(http.MethodPut, organizationRoute, err)
	}
	return settings, nil
}

// TrimmedEncryptionKey is an encryption key as Capgo stores it: without surrounding white space.
func TrimmedEncryptionKey(key string) string {
	return strings.TrimSpace(key)
}

func derefString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
