package mockserver

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"time"
)

// The accounts of the default seed.
const (
	AdminEmail  = "admin@example.com"
	AdminAPIKey = "capgo-mock-admin-key"
	DevEmail    = "dev@example.com"
	DevAPIKey   = "capgo-mock-dev-key"
	OpsEmail    = "ops@example.com"
	OpsAPIKey   = "capgo-mock-ops-key"
)

// Seed is the state the mock starts from and returns to on reset, in the JSON
// form of a seed file (README.md, 3.1).
type Seed struct {
	Users         []SeedUser         `json:"users"`
	Organizations []SeedOrganization `json:"organizations,omitempty"`
}

// SeedUser is an account. A user without APIKey cannot call the API.
type SeedUser struct {
	Email  string `json:"email"`
	APIKey string `json:"api_key,omitempty"`

	// The fields below are for dialect rbac only (README.md, 3.1).

	// OrgCreate false gives a key without the organization-creation grant;
	// nil means true.
	OrgCreate *bool `json:"org_create,omitempty"`
	// TwoFactor gives an account with two-factor authentication on, which
	// enforcing_2fa needs.
	TwoFactor bool `json:"two_factor,omitempty"`
	// APIKeyExpires gives a key with an expiry date, which an organization
	// with require_apikey_expiration needs.
	APIKeyExpires bool `json:"api_key_expires,omitempty"`
	// AppScoped gives a key that holds an app- or channel-level role, as
	// the Capgo console grants: such a key may not manage webhooks.
	AppScoped bool `json:"app_scoped,omitempty"`
}

// SeedOrganization is an organization created by Owner, who becomes its
// accepted owner (super_admin in docs, org_super_admin in rbac), followed by
// Members in order.
type SeedOrganization struct {
	Name    string       `json:"name"`
	Owner   string       `json:"owner"`
	Members []SeedMember `json:"members,omitempty"`
	// LogoUpload is the storage path of a logo uploaded in the Capgo
	// console, such as "org/logo.png": every read answers it as a freshly
	// signed URL. Dialect rbac only.
	LogoUpload string `json:"logo_upload,omitempty"`
}

// SeedMember is a membership. Role is in the vocabulary of the dialect the
// server speaks, without any pending prefix; Pending makes it an invitation
// not yet accepted.
type SeedMember struct {
	Email   string `json:"email"`
	Role    string `json:"role"`
	Pending bool   `json:"pending,omitempty"`
}

// DefaultSeed returns the three accounts every server starts with when given
// no seed, each with an API key, and no organizations: the default state of
// dialect docs.
func DefaultSeed() *Seed {
	return &Seed{Users: []SeedUser{
		{Email: AdminEmail, APIKey: AdminAPIKey},
		{Email: DevEmail, APIKey: DevAPIKey},
		{Email: OpsEmail, APIKey: OpsAPIKey},
	}}
}

// DefaultSeedFor returns the state a server of dialect starts with when
// given no seed: DefaultSeed's accounts, and in rbac an organization of each
// account's own, named after its email, as Capgo's sign-up gives.
func DefaultSeedFor(dialect string) *Seed {
	seed := DefaultSeed()
	if d, err := newDialect(dialect); err == nil && d.givesOwnOrganization() {
		for _, u := range seed.Users {
			seed.Organizations = append(seed.Organizations, SeedOrganization{Name: ownOrganizationName(u.Email), Owner: u.Email})
		}
	}
	return seed
}

// ownOrganizationName is the name of the organization an account gets at
// sign-up in dialect rbac: its email.
func ownOrganizationName(email string) string {
	return email
}

// LoadSeedFile reads a seed file. Unknown fields are errors, so that a typo
// does not silently change the state a test starts from. The content is
// checked against a dialect by New.
func LoadSeedFile(path string) (*Seed, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading seed file: %w", err)
	}
	var seed Seed
	if err := decodeStrict(bytes.NewReader(data), &seed); err != nil {
		return nil, fmt.Errorf("parsing seed file %s: %w", path, err)
	}
	return &seed, nil
}

// clone returns a deep copy, so that a caller changing its Seed after New
// does not change what a reset returns to.
func (s *Seed) clone() *Seed {
	c := &Seed{Users: append([]SeedUser(nil), s.Users...)}
	for i, u := range c.Users {
		if u.OrgCreate != nil {
			orgCreate := *u.OrgCreate
			c.Users[i].OrgCreate = &orgCreate
		}
	}
	for _, o := range s.Organizations {
		o.Members = append([]SeedMember(nil), o.Members...)
		c.Organizations = append(c.Organizations, o)
	}
	return c
}

// build creates a store holding the seed, its timestamps from now, or says
// what is wrong with the seed.
func (s *Seed) build(d dialect, now func() time.Time) (*store, error) {
	if err := d.checkSeed(s); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	st := newStore(now)
	for i, su := range s.Users {
		if !validEmail(su.Email) {
			return nil, fmt.Errorf("seed: user %d: invalid email %q", i+1, su.Email)
		}
		u, err := st.addUser(su.Email, su.APIKey)
		if err != nil {
			return nil, fmt.Errorf("seed: user %d: %w", i+1, err)
		}
		if su.OrgCreate != nil {
			u.orgCreate = *su.OrgCreate
		}
		u.twoFactor = su.TwoFactor
		u.apiKeyExpires = su.APIKeyExpires
		u.appScoped = su.AppScoped
	}
	for i, so := range s.Organizations {
		if err := seedOrganization(st, d, so); err != nil {
			return nil, fmt.Errorf("seed: organization %d (%q): %w", i+1, so.Name, err)
		}
	}
	return st, nil
}

func seedOrganization(st *store, d dialect, so SeedOrganization) error {
	if so.Name == "" {
		return errors.New("name is required")
	}
	owner := st.userByEmail(so.Owner)
	if owner == nil {
		return fmt.Errorf("owner %q is not a seeded user", so.Owner)
	}
	o := d.newOrganization(st, so.Name, owner)
	if so.LogoUpload != "" {
		if isExternalLogo(so.LogoUpload) {
			return fmt.Errorf("logo_upload %q is a URL, not a storage path", so.LogoUpload)
		}
		logo := so.LogoUpload
		o.logo = &logo
	}
	for _, sm := range so.Members {
		u := st.userByEmail(sm.Email)
		if u == nil {
			return fmt.Errorf("member %q is not a seeded user", sm.Email)
		}
		if o.member(sm.Email) != nil {
			return fmt.Errorf("member %q is listed twice (the owner is already a member)", sm.Email)
		}
		if !d.roles().known(sm.Role) {
			return fmt.Errorf("member %q: unknown role %q", sm.Email, sm.Role)
		}
		o.addMember(u, sm.Role, sm.Pending)
	}
	return nil
}
