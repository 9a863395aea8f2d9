package capgo

import (
	"errors"
	"testing"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// securityMock starts a mock of the production API where the admin owns "Secure", whose ID it
// returns, and where two more accounts are its org_admins: secure@example.com with two-factor
// authentication on, and expiring@example.com with a key that has an expiry date.
func securityMock(t *testing.T) (*mockserver.TestServer, string) {
	t.Helper()
	seed := mockserver.DefaultSeed()
	seed.Users = append(seed.Users,
		mockserver.SeedUser{Email: "secure@example.com", APIKey: "5b2f0d3c-7a52-4a5e-9d39-2f5f6c1c0a01", TwoFactor: true},
		mockserver.SeedUser{Email: "expiring@example.com", APIKey: "5b2f0d3c-7a52-4a5e-9d39-2f5f6c1c0a02", APIKeyExpires: true},
	)
	seed.Organizations = append(seed.Organizations, mockserver.SeedOrganization{
		Name: "Secure", Owner: mockserver.AdminEmail, Members: []mockserver.SeedMember{
			{Email: "secure@example.com", Role: "org_admin"},
			{Email: "expiring@example.com", Role: "org_admin"},
		},
	})
	ts := mockserver.NewTestServer(t, mockserver.Options{Dialect: mockserver.DialectRBAC, Seed: seed})
	return ts, ts.State().Organizations[0].ID
}

func keyClient(t *testing.T, ts *mockserver.TestServer, key string) *Client {
	t.Helper()
	return newTestClient(t, ts.URL, func(cfg *Config) { cfg.APIKey = key })
}

// A new organization reads as Capgo starts it; a write changes only what it sets and answers all
// of them; reading sends a PUT that changes nothing.
func TestOrganizationSecurityReadAndWrite(t *testing.T) {
	t.Parallel()
	ts, orgID := securityMock(t)
	c := keyClient(t, ts, mockserver.AdminAPIKey)
	ctx := t.Context()

	got, err := c.ReadOrganizationSecurity(ctx, orgID)
	if err != nil {
		t.Fatal(err)
	}
	if !DefaultOrganizationSecurity().Holds(got) || got.PasswordPolicy != nil || got.MaxAPIKeyExpirationDays != nil ||
		got.RequiredEncryptionKey != nil {
		t.Fatalf("a new organization reads %+v, want Capgo's defaults", got)
	}

	policy := PasswordPolicy{Enabled: true, MinLength: 12, RequireNumber: true}
	change := OrganizationSecurity{
		PasswordPolicy: &policy, MaxAPIKeyExpirationDays: ptr(90), EnforceHashedAPIKeys: ptr(true),
		RequiredEncryptionKey: ptr("  abcdefghijklmnopqrst  "),
	}
	got, err = c.UpdateOrganizationSecurity(ctx, orgID, change)
	if err != nil {
		t.Fatal(err)
	}
	if !change.Holds(got) || *got.Enforcing2FA || *got.EnforceEncryptedBundles {
		t.Fatalf("after the write: %+v", got)
	}
	stored := ts.State().Organizations[0].SecuritySettings
	if stored.PasswordPolicyConfig == nil || stored.PasswordPolicyConfig.MinLength != 12 ||
		*stored.MaxAPIKeyExpirationDays != 90 || !stored.EnforceHashedAPIKeys ||
		*stored.RequiredEncryptionKey != "abcdefghijklmnopqrst" {
		t.Errorf("the server holds %+v", stored)
	}

	before := ts.Stats().ByRoute["PUT /organization/"]
	again, err := c.ReadOrganizationSecurity(ctx, orgID)
	if err != nil || !change.Holds(again) {
		t.Fatalf("read again: %+v, %v", again, err)
	}
	if sent := ts.Stats().ByRoute["PUT /organization/"] - before; sent != 1 {
		t.Errorf("a read sent %d PUTs, want 1", sent)
	}

	// Back to the defaults: null sent for the policy and the maximum, "" for the key.
	got, err = c.UpdateOrganizationSecurity(ctx, orgID, DefaultOrganizationSecurity())
	if err != nil || got.PasswordPolicy != nil || got.MaxAPIKeyExpirationDays != nil || got.RequiredEncryptionKey != nil {
		t.Fatalf("after restoring the defaults: %+v, %v", got, err)
	}
}

// The production API's refusals come back as kinds: enforcing 2FA without it, an out-of-range
// maximum, a key of another length; the organization's refusal of a key without an expiry date.
func TestOrganizationSecurityRefusals(t *testing.T) {
	t.Parallel()
	ts, orgID := securityMock(t)
	admin := keyClient(t, ts, mockserver.AdminAPIKey)
	ctx := t.Context()
	for name, tc := range map[string]struct {
		change OrganizationSecurity
		want   ErrorKind
	}{
		"2fa":        {OrganizationSecurity{Enforcing2FA: ptr(true)}, KindNeeds2FA},
		"days":       {OrganizationSecurity{MaxAPIKeyExpirationDays: ptr(366)}, KindInvalidInput},
		"key length": {OrganizationSecurity{RequiredEncryptionKey: ptr("short")}, KindInvalidInput},
	} {
		if _, err := admin.UpdateOrganizationSecurity(ctx, orgID, tc.change); KindOf(err) != tc.want {
			t.Errorf("%s: got %v (kind %v), want kind %v", name, err, KindOf(err), tc.want)
		}
	}

	secure := keyClient(t, ts, "5b2f0d3c-7a52-4a5e-9d39-2f5f6c1c0a01")
	if _, err := secure.UpdateOrganizationSecurity(ctx, orgID, OrganizationSecurity{
		Enforcing2FA: ptr(true), RequireAPIKeyExpiration: ptr(true),
	}); err != nil {
		t.Fatalf("a user with 2FA on enforces it: %v", err)
	}
	// Its own key has no expiry date: from now on the organization refuses it, and the admin's.
	for _, c := range []*Client{secure, admin} {
		if _, err := c.ReadOrganizationSecurity(ctx, orgID); KindOf(err) != KindKeyNeedsExpiry {
			t.Errorf("a key without an expiry date: got %v, want kind %v", err, KindKeyNeedsExpiry)
		}
	}
	expiring := keyClient(t, ts, "5b2f0d3c-7a52-4a5e-9d39-2f5f6c1c0a02")
	got, err := expiring.ReadOrganizationSecurity(ctx, orgID)
	if err != nil || !*got.Enforcing2FA || !*got.RequireAPIKeyExpiration {
		t.Errorf("a key with an expiry date reads %+v, %v", got, err)
	}
}

// The documented API has no security settings: once the client knows it speaks to one, nothing
// is sent; before, one GET of the organization tells, and no PUT follows.
func TestOrganizationSecurityRefusedByDocumentedAPI(t *testing.T) {
	t.Parallel()
	ts := mockserver.NewTestServer(t, mockserver.Options{})
	c := keyClient(t, ts, mockserver.AdminAPIKey)
	ctx := t.Context()
	orgID, err := c.CreateOrganization(ctx, CreateOrganizationRequest{Name: "Docs"})
	if err != nil {
		t.Fatal(err)
	}
	fresh := keyClient(t, ts, mockserver.AdminAPIKey)
	before := ts.Stats()
	if _, err := fresh.ReadOrganizationSecurity(ctx, orgID); !errors.Is(err, ErrNoSecuritySettings) {
		t.Fatalf("got %v, want ErrNoSecuritySettings", err)
	}
	after := ts.Stats()
	if after.ByRoute["PUT /organization/"] != before.ByRoute["PUT /organization/"] {
		t.Error("a PUT reached the documented API")
	}
	if sent := after.RequestsTotal - before.RequestsTotal; sent != 1 {
		t.Errorf("%d requests to find out, want 1 GET", sent)
	}

	// Once an answer told which API this is, not even that.
	if _, err := fresh.GetOrganization(ctx, "missing"); err == nil {
		t.Fatal("an unknown organization was found")
	}
	if fresh.API() != APIDocumented {
		t.Fatalf("API %v, want documented", fresh.API())
	}
	before = ts.Stats()
	if ok, err := fresh.HasSecuritySettings(ctx, orgID); ok || err != nil {
		t.Errorf("HasSecuritySettings = %v, %v", ok, err)
	}
	if sent := ts.Stats().RequestsTotal - before.RequestsTotal; sent != 0 {
		t.Errorf("%d requests once the API is known, want none", sent)
	}
}

// Without an organization ID (one not created yet), the organizations the key can see tell: any
// with a website field is the production API's; none at all tells nothing, and the write decides.
func TestHasSecuritySettingsWithoutOrganizationID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		dialect string
		orgs    int // organizations the admin makes first
		want    bool
	}{
		{"documented API, an organization to tell", mockserver.DialectDocs, 1, false},
		{"documented API, nothing to tell", mockserver.DialectDocs, 0, true},
		{"production API", mockserver.DialectRBAC, 0, true}, // every account has its own organization
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := mockserver.NewTestServer(t, mockserver.Options{Dialect: tt.dialect})
			for range tt.orgs {
				if _, err := keyClient(t, ts, mockserver.AdminAPIKey).CreateOrganization(t.Context(), CreateOrganizationRequest{Name: "Mobile"}); err != nil {
					t.Fatal(err)
				}
			}
			before := ts.Stats()
			got, err := keyClient(t, ts, mockserver.AdminAPIKey).HasSecuritySettings(t.Context(), "")
			if err != nil || got != tt.want {
				t.Errorf("HasSecuritySettings = %v, %v; want %v", got, err, tt.want)
			}
			if sent := ts.Stats().RequestsTotal - before.RequestsTotal; sent != 1 {
				t.Errorf("%d requests, want 1: the list of organizations", sent)
			}
		})
	}
}
