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
// form of a seed file (capgo-api.md, 3.1).
type Seed struct {
	Users         []SeedUser         `json:"users"`
	Organizations []SeedOrganization `json:"organizations,omitempty"`
}

// SeedUser is an account. A user without APIKey cannot call the API.
type SeedUser struct {
	Email  string `json:"email"`
	APIKey string `json:"api_key,omitempty"`
}

// SeedOrganization is an organization created by Owner, who becomes its
// accepted owner (super_admin in docs, org_super_admin in rbac), followed by
// Members in order.
type SeedOrganization struct {
	Name    string       `json:"name"`
	Owner   string       `json:"owner"`
	Members []SeedMember `json:"members,omitempty"`
}

// SeedMember is a membership. Role is in the vocabulary of the dialect the
// server speaks, without any pending prefix; Pending makes it an invitation
// not yet accepted.
type SeedMember struct {
	Email   string `json:"email"`
	Role    string `json:"role"`
	Pending bool   `json:"pending,omitempty"`
}

// DefaultSeed returns the state the mock starts with when given no seed:
// three accounts with API keys and no organizations.
func DefaultSeed() *Seed {
	return &Seed{Users: []SeedUser{
		{Email: AdminEmail, APIKey: AdminAPIKey},
		{Email: DevEmail, APIKey: DevAPIKey},
		{Email: OpsEmail, APIKey: OpsAPIKey},
	}}
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
	for _, o := range s.Organizations {
		o.Members = append([]SeedMember(nil), o.Members...)
		c.Organizations = append(c.Organizations, o)
	}
	return c
}

// build creates a store holding the seed, its timestamps from now, or says
// what is wrong with the seed.
func (s *Seed) build(d dialect, now func() time.Time) (*store, error) {
	st := newStore(now)
	for i, u := range s.Users {
		if !validEmail(u.Email) {
			return nil, fmt.Errorf("seed: user %d: invalid email %q", i+1, u.Email)
		}
		if _, err := st.addUser(u.Email, u.APIKey); err != nil {
			return nil, fmt.Errorf("seed: user %d: %w", i+1, err)
		}
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
