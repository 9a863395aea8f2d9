package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

const securityAddress = "capgo_organization_security.test"

// The accounts of securityMock besides the default ones, all org_admin of "Secure": one with
// two-factor authentication on and a key with an expiry date, who may change any setting and is
// never shut out; one with two-factor authentication on only; one with a key with an expiry date
// only.
const (
	keeperEmail   = "keeper@example.com"
	keeperKey     = "5b2f0d3c-7a52-4a5e-9d39-2f5f6c1c0b01"
	twoFactorKey  = "5b2f0d3c-7a52-4a5e-9d39-2f5f6c1c0b02"
	expiringKey   = "5b2f0d3c-7a52-4a5e-9d39-2f5f6c1c0b03"
	secureOrgName = "Secure"
)

// securityMock starts a mock of Capgo's production API where the admin owns "Secure", whose ID it
// returns; ops and the accounts above are its org_admins.
func securityMock(t *testing.T) (*accMock, string) {
	t.Helper()
	seed := mockserver.DefaultSeedFor(mockserver.DialectRBAC)
	seed.Users = append(seed.Users,
		mockserver.SeedUser{Email: keeperEmail, APIKey: keeperKey, TwoFactor: true, APIKeyExpires: true},
		mockserver.SeedUser{Email: "twofactor@example.com", APIKey: twoFactorKey, TwoFactor: true},
		mockserver.SeedUser{Email: "expiring@example.com", APIKey: expiringKey, APIKeyExpires: true},
	)
	seed.Organizations = append(seed.Organizations, mockserver.SeedOrganization{
		Name: secureOrgName, Owner: mockserver.AdminEmail, Members: []mockserver.SeedMember{
			{Email: mockserver.OpsEmail, Role: "org_admin"},
			{Email: keeperEmail, Role: "org_admin"},
			{Email: "twofactor@example.com", Role: "org_admin"},
			{Email: "expiring@example.com", Role: "org_admin"},
		},
	})
	mock := newAccMockIn(t, mockserver.DialectRBAC, withSeed(seed))
	return mock, mock.seededOrganizationID(secureOrgName)
}

// securityConfig is the provider with key and the resource for orgID with the given body.
func (m *accMock) securityConfig(key, orgID, body string) string {
	return m.providerBlock(key) + fmt.Sprintf(`
resource "capgo_organization_security" "test" {
  organization_id = %q
%s
}
`, orgID, body)
}

// serverSecurity checks the organization's settings as the server holds them.
func (m *accMock) serverSecurity(orgID string, check func(s mockserver.SecuritySettings) error) serverCheck {
	return func() error {
		for _, org := range m.State().Organizations {
			if org.ID == orgID {
				if org.SecuritySettings == nil {
					return fmt.Errorf("the server shows no security settings for %s", orgID)
				}
				return check(*org.SecuritySettings)
			}
		}
		return fmt.Errorf("the server holds no organization %s", orgID)
	}
}

// setSecurity changes the settings outside Terraform, as an admin in the Capgo console would.
func (m *accMock) setSecurity(key, orgID string, s capgo.OrganizationSecurity) {
	m.t.Helper()
	_, err := m.client(key).UpdateOrganizationSecurity(bg, orgID, s)
	m.mustDo("change the security settings outside Terraform", err)
}

func expectSecurity(attribute string, value knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(securityAddress, tfjsonpath.New(attribute), value)
}

// loose matches parts in order, each as written but for line breaks in place of spaces: the CLI
// wraps diagnostics.
func loose(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, part := range parts {
		quoted[i] = strings.ReplaceAll(regexp.QuoteMeta(part), " ", `\s+`)
	}
	return regexp.MustCompile("(?s)" + strings.Join(quoted, ".*"))
}

func intPtr(n int) *int       { return &n }
func boolPtr(b bool) *bool    { return &b }
func strPtr(s string) *string { return &s }

// allSettings sets every setting.
const allSettingsOn = `
  enforce_2fa = true
  password_policy = {
    enabled           = true
    min_length        = 10
    require_uppercase = true
    require_number    = false
    require_special   = true
  }
  require_api_key_expiration  = true
  max_api_key_expiration_days = 30
  enforce_hashed_api_keys     = true
  enforce_encrypted_bundles   = true
  required_encryption_key     = "abcdefghijklmnopqrst"
`

// allSettingsOther changes every setting of allSettingsOn; the key is written with white space
// around it, which Capgo trims.
const allSettingsOther = `
  enforce_2fa = false
  password_policy = {
    enabled           = false
    min_length        = 72
    require_uppercase = false
    require_number    = true
    require_special   = false
  }
  require_api_key_expiration  = false
  max_api_key_expiration_days = 365
  enforce_hashed_api_keys     = false
  enforce_encrypted_bundles   = false
  required_encryption_key     = "  ABCDEFGHIJKLMNOPQRSTU  "
`

// Every setting is set on create and changed on update, as the state and the server show; an
// import of them all finds what the state holds; destroy leaves them as they are.
func TestAccOrganizationSecurityEverySetting(t *testing.T) {
	mock, orgID := securityMock(t)
	firstOnServer := mock.serverSecurity(orgID, func(s mockserver.SecuritySettings) error {
		p := s.PasswordPolicyConfig
		if !s.Enforcing2FA || !s.RequireAPIKeyExpiration || !s.EnforceHashedAPIKeys || !s.EnforceEncryptedBundles ||
			p == nil || *p != (mockserver.PasswordPolicy{Enabled: true, MinLength: 10, RequireUppercase: true, RequireSpecial: true}) ||
			s.MaxAPIKeyExpirationDays == nil || *s.MaxAPIKeyExpirationDays != 30 ||
			s.RequiredEncryptionKey == nil || *s.RequiredEncryptionKey != "abcdefghijklmnopqrst" {
			return fmt.Errorf("the server holds %+v (policy %+v)", s, p)
		}
		return nil
	})
	otherOnServer := mock.serverSecurity(orgID, func(s mockserver.SecuritySettings) error {
		p := s.PasswordPolicyConfig
		if s.Enforcing2FA || s.RequireAPIKeyExpiration || s.EnforceHashedAPIKeys || s.EnforceEncryptedBundles ||
			p == nil || *p != (mockserver.PasswordPolicy{MinLength: 72, RequireNumber: true}) ||
			s.MaxAPIKeyExpirationDays == nil || *s.MaxAPIKeyExpirationDays != 365 ||
			s.RequiredEncryptionKey == nil || *s.RequiredEncryptionKey != "ABCDEFGHIJKLMNOPQRSTU" {
			return fmt.Errorf("the server holds %+v (policy %+v)", s, p)
		}
		return nil
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(_ *terraform.State) error {
			return otherOnServer() // destroy changes nothing
		},
		Steps: []resource.TestStep{
			{
				Config:           mock.securityConfig(keeperKey, orgID, allSettingsOn),
				ConfigPlanChecks: plannedAction(securityAddress, plancheck.ResourceActionCreate),
				ConfigStateChecks: []statecheck.StateCheck{
					expectSecurity("enforce_2fa", knownvalue.Bool(true)),
					expectSecurity("password_policy", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"enabled": knownvalue.Bool(true), "min_length": knownvalue.Int64Exact(10),
						"require_uppercase": knownvalue.Bool(true), "require_number": knownvalue.Bool(false),
						"require_special": knownvalue.Bool(true),
					})),
					expectSecurity("require_api_key_expiration", knownvalue.Bool(true)),
					expectSecurity("max_api_key_expiration_days", knownvalue.Int64Exact(30)),
					expectSecurity("enforce_hashed_api_keys", knownvalue.Bool(true)),
					expectSecurity("enforce_encrypted_bundles", knownvalue.Bool(true)),
					expectSecurity("required_encryption_key", knownvalue.StringExact("abcdefghijklmnopqrst")),
					expectSecurity("restore_defaults_on_destroy", knownvalue.Bool(false)),
					firstOnServer,
				},
			},
			{
				Config:                               mock.securityConfig(keeperKey, orgID, allSettingsOn),
				ResourceName:                         securityAddress,
				ImportState:                          true,
				ImportStateId:                        orgID,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "organization_id",
			},
			{
				Config:           mock.securityConfig(keeperKey, orgID, allSettingsOther),
				ConfigPlanChecks: plannedAction(securityAddress, plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					expectSecurity("enforce_2fa", knownvalue.Bool(false)),
					expectSecurity("password_policy", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"enabled": knownvalue.Bool(false), "min_length": knownvalue.Int64Exact(72),
						"require_uppercase": knownvalue.Bool(false), "require_number": knownvalue.Bool(true),
						"require_special": knownvalue.Bool(false),
					})),
					expectSecurity("require_api_key_expiration", knownvalue.Bool(false)),
					expectSecurity("max_api_key_expiration_days", knownvalue.Int64Exact(365)),
					expectSecurity("enforce_hashed_api_keys", knownvalue.Bool(false)),
					expectSecurity("enforce_encrypted_bundles", knownvalue.Bool(false)),
					// As written: Capgo's trimmed form is the same key.
					expectSecurity("required_encryption_key", knownvalue.StringExact("  ABCDEFGHIJKLMNOPQRSTU  ")),
					otherOnServer,
				},
			},
		},
	})
}

// A setting changed outside Terraform shows in the next plan, and the apply puts it back; a
// setting the configuration leaves out is neither shown nor changed, whatever its value.
func TestAccOrganizationSecurityDrift(t *testing.T) {
	mock, orgID := securityMock(t)
	config := mock.securityConfig(mockserver.AdminAPIKey, orgID, `
  enforce_hashed_api_keys     = true
  max_api_key_expiration_days = 90
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					expectSecurity("enforce_hashed_api_keys", knownvalue.Bool(true)),
					expectSecurity("enforce_encrypted_bundles", knownvalue.Null()),
					expectSecurity("password_policy", knownvalue.Null()),
				},
			},
			{
				// Another admin turns the managed setting off and an unmanaged one on.
				PreConfig: func() {
					mock.setSecurity(mockserver.OpsAPIKey, orgID, capgo.OrganizationSecurity{
						EnforceHashedAPIKeys: boolPtr(false), MaxAPIKeyExpirationDays: intPtr(200),
						EnforceEncryptedBundles: boolPtr(true),
					})
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(securityAddress, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(securityAddress, tfjsonpath.New("enforce_hashed_api_keys"), knownvalue.Bool(true)),
						plancheck.ExpectKnownValue(securityAddress, tfjsonpath.New("enforce_encrypted_bundles"), knownvalue.Null()),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectSecurity("enforce_hashed_api_keys", knownvalue.Bool(true)),
					expectSecurity("max_api_key_expiration_days", knownvalue.Int64Exact(90)),
					expectSecurity("enforce_encrypted_bundles", knownvalue.Null()),
					mock.serverSecurity(orgID, func(s mockserver.SecuritySettings) error {
						if !s.EnforceHashedAPIKeys || s.MaxAPIKeyExpirationDays == nil || *s.MaxAPIKeyExpirationDays != 90 {
							return fmt.Errorf("the drift was not corrected: %+v", s)
						}
						if !s.EnforceEncryptedBundles {
							return fmt.Errorf("the unmanaged enforce_encrypted_bundles was changed: %+v", s)
						}
						return nil
					}),
				},
			},
		},
	})
}

// Settings left out of the configuration are not changed by an apply, nor by a destroy that
// restores Capgo's defaults for the managed ones.
func TestAccOrganizationSecurityLeftOutSettingsUntouched(t *testing.T) {
	mock, orgID := securityMock(t)
	policy := capgo.PasswordPolicy{Enabled: true, MinLength: 8, RequireNumber: true}
	mock.setSecurity(mockserver.AdminAPIKey, orgID, capgo.OrganizationSecurity{
		PasswordPolicy: &policy, MaxAPIKeyExpirationDays: intPtr(100), EnforceEncryptedBundles: boolPtr(true),
		RequiredEncryptionKey: strPtr("abcdefghijklmnopqrstu"),
	})
	leftOutKept := func(s mockserver.SecuritySettings) error {
		if s.PasswordPolicyConfig == nil || s.PasswordPolicyConfig.MinLength != 8 || s.MaxAPIKeyExpirationDays == nil ||
			*s.MaxAPIKeyExpirationDays != 100 || !s.EnforceEncryptedBundles || s.RequiredEncryptionKey == nil {
			return fmt.Errorf("a setting left out changed: %+v", s)
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(_ *terraform.State) error {
			return mock.serverSecurity(orgID, func(s mockserver.SecuritySettings) error {
				if s.EnforceHashedAPIKeys {
					return fmt.Errorf("restore_defaults_on_destroy left enforce_hashed_api_keys on")
				}
				return leftOutKept(s)
			})()
		},
		Steps: []resource.TestStep{{
			Config: mock.securityConfig(mockserver.AdminAPIKey, orgID, `
  enforce_hashed_api_keys     = true
  restore_defaults_on_destroy = true
`),
			ConfigPlanChecks: emptyPlanAfterApply(),
			ConfigStateChecks: []statecheck.StateCheck{
				expectSecurity("enforce_hashed_api_keys", knownvalue.Bool(true)),
				expectSecurity("password_policy", knownvalue.Null()),
				expectSecurity("max_api_key_expiration_days", knownvalue.Null()),
				expectSecurity("enforce_encrypted_bundles", knownvalue.Null()),
				expectSecurity("required_encryption_key", knownvalue.Null()),
				expectSecurity("enforce_2fa", knownvalue.Null()),
				mock.serverSecurity(orgID, func(s mockserver.SecuritySettings) error {
					if !s.EnforceHashedAPIKeys {
						return fmt.Errorf("enforce_hashed_api_keys is off on the server")
					}
					return leftOutKept(s)
				}),
			},
		}},
	})
}

// An import adopts every setting the organization has: a configuration that sets them all as they
// are plans no change.
func TestAccOrganizationSecurityImportAdoptsEverySetting(t *testing.T) {
	mock, orgID := securityMock(t)
	policy := capgo.PasswordPolicy{Enabled: true, MinLength: 10, RequireUppercase: true, RequireSpecial: true}
	mock.setSecurity(keeperKey, orgID, capgo.OrganizationSecurity{
		Enforcing2FA: boolPtr(true), PasswordPolicy: &policy, RequireAPIKeyExpiration: boolPtr(true),
		MaxAPIKeyExpirationDays: intPtr(30), EnforceHashedAPIKeys: boolPtr(true), EnforceEncryptedBundles: boolPtr(true),
		RequiredEncryptionKey: strPtr("abcdefghijklmnopqrst"),
	})
	importBlock := fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", securityAddress, orgID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: importBlock + mock.securityConfig(keeperKey, orgID, allSettingsOn),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(securityAddress, plancheck.ResourceActionNoop)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectSecurity("max_api_key_expiration_days", knownvalue.Int64Exact(30)),
					expectSecurity("required_encryption_key", knownvalue.StringExact("abcdefghijklmnopqrst")),
				},
			},
			{
				// An import of an organization nobody changed holds its defaults: flags off, the
				// settings that are null on the server left out.
				Config:        mock.securityConfig(mockserver.AdminAPIKey, orgID, allSettingsOn),
				ResourceName:  securityAddress,
				ImportState:   true,
				ImportStateId: mock.seededOrganizationID(mockserver.AdminEmail),
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 {
						return fmt.Errorf("%d states imported", len(states))
					}
					a := states[0].Attributes
					for name, want := range map[string]string{
						"enforce_2fa": "false", "require_api_key_expiration": "false", "enforce_hashed_api_keys": "false",
						"enforce_encrypted_bundles": "false", "restore_defaults_on_destroy": "false",
					} {
						if a[name] != want {
							return fmt.Errorf("%s = %q, want %q", name, a[name], want)
						}
					}
					for _, name := range []string{"max_api_key_expiration_days", "required_encryption_key", "password_policy.%"} {
						if v, set := a[name]; set {
							return fmt.Errorf("%s = %q, want it left out", name, v)
						}
					}
					return nil
				},
			},
		},
	})
}

// An organization deleted outside Terraform takes its settings out of the state: the plan offers
// to set them again.
func TestAccOrganizationSecurityOrganizationGone(t *testing.T) {
	mock, orgID := securityMock(t)
	config := mock.securityConfig(mockserver.AdminAPIKey, orgID, "  enforce_hashed_api_keys = true\n")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					mock.mustDo("delete the organization", mock.client(mockserver.AdminAPIKey).DeleteOrganization(bg, orgID))
				},
				RefreshState: true,
				Check: func(s *terraform.State) error {
					if _, kept := s.RootModule().Resources[securityAddress]; kept {
						return fmt.Errorf("%s is still in the state after its organization was deleted", securityAddress)
					}
					return nil
				},
				// The plan that follows would set them again, on an organization that is no more.
				ExpectError: loose("Organization not found", "No organization "+fmt.Sprintf("%q", orgID)),
			},
			{
				// Nothing left to manage.
				Config: mock.providerBlock(mockserver.AdminAPIKey),
			},
		},
	})
}

// What Capgo would refuse is refused at plan time, with the attribute and the fix, before
// anything is sent.
func TestAccOrganizationSecurityRefusedAtPlanTime(t *testing.T) {
	beforeAnyRequest(t, func(t *testing.T, mock *accMock) {
		policy := func(minLength string) string {
			return fmt.Sprintf(`  password_policy = {
    enabled           = true
    min_length        = %s
    require_uppercase = true
    require_number    = true
    require_special   = true
  }
`, minLength)
		}
		rows := map[string]struct {
			body string
			want string
		}{
			"min_length below 6":    {policy("5"), `(?s)password_policy.min_length.*between 6 and\s+72, got:\s+5`},
			"min_length above 72":   {policy("73"), `(?s)password_policy.min_length.*between 6 and\s+72, got:\s+73`},
			"days below 1":          {"  max_api_key_expiration_days = 0\n", `(?s)max_api_key_expiration_days.*between 1 and\s+365, got:\s+0`},
			"days above 365":        {"  max_api_key_expiration_days = 366\n", `(?s)max_api_key_expiration_days.*between 1 and\s+365, got:\s+366`},
			"key too short":         {"  required_encryption_key = \"short\"\n", `(?s)Invalid encryption key.*required_encryption_key has 5\s+characters.*20 or 21`},
			"key too long":          {"  required_encryption_key = \"abcdefghijklmnopqrstuv\"\n", `(?s)required_encryption_key has 22\s+characters`},
			"key blank":             {"  required_encryption_key = \"   \"\n", `(?s)required_encryption_key has 0\s+characters.*or\s+""`},
			"key too long trimmed":  {"  required_encryption_key = \" abcdefghijklmnopqrstuvw \"\n", `(?s)has 23\s+characters`},
			"policy without a flag": {"  password_policy = {\n    enabled    = true\n    min_length = 8\n  }\n", `(?s)require_(uppercase|number|special)`},
		}
		for name, row := range rows {
			t.Run(name, func(t *testing.T) {
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
					Steps: []resource.TestStep{{
						Config:      mock.securityConfig(mockserver.AdminAPIKey, "0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b", row.body),
						PlanOnly:    true,
						ExpectError: regexp.MustCompile(row.want),
					}},
				})
			})
		}
	})
}

// Enforcing 2FA takes a user with 2FA on: without it the apply says so and what to do, and
// nothing changes; with it, it is on.
func TestAccOrganizationSecurityEnforce2FA(t *testing.T) {
	mock, orgID := securityMock(t)
	body := "  enforce_2fa = true\n"
	twoFactorOff := mock.serverSecurity(orgID, func(s mockserver.SecuritySettings) error {
		if s.Enforcing2FA {
			return fmt.Errorf("enforcing_2fa is on")
		}
		return nil
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: mock.securityConfig(mockserver.AdminAPIKey, orgID, body),
				ExpectError: loose("two-factor authentication on", "has it off", "requires_2fa_to_enforce_2fa",
					"Turn on two-factor authentication for that account", "then apply again"),
			},
			{
				PreConfig: func() {
					if err := twoFactorOff(); err != nil {
						t.Error(err)
					}
				},
				Config:            mock.securityConfig(twoFactorKey, orgID, body),
				ConfigPlanChecks:  emptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{expectSecurity("enforce_2fa", knownvalue.Bool(true))},
			},
			{
				// Another setting changes with the key of a user without 2FA: enforce_2fa, unchanged,
				// is not sent again, so Capgo does not ask for it.
				Config:           mock.securityConfig(mockserver.AdminAPIKey, orgID, body+"  enforce_hashed_api_keys = true\n"),
				ConfigPlanChecks: plannedAction(securityAddress, plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					expectSecurity("enforce_2fa", knownvalue.Bool(true)),
					expectSecurity("enforce_hashed_api_keys", knownvalue.Bool(true)),
				},
			},
		},
	})
	if err := twoFactorOff(); err == nil {
		t.Error("enforcing_2fa is off after the apply by a user with 2FA on")
	}
}

// Turning on require_api_key_expiration with a key that has no expiry date shuts that key out:
// the next refresh fails and says why, the resource stays in the state, and a key with an expiry
// date takes over with no change.
func TestAccOrganizationSecurityKeyShutOut(t *testing.T) {
	mock, orgID := securityMock(t)
	body := "  require_api_key_expiration = true\n"
	shutOut := loose("accepts only API keys with an expiry date", "org_requires_expiring_key",
		"Nothing was changed, in Capgo or in the Terraform state", "Create an API key with an expiry date", "api_key")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// The apply goes through; the plan after it is refused the key.
				Config:      mock.securityConfig(mockserver.AdminAPIKey, orgID, body),
				ExpectError: shutOut,
			},
			{
				RefreshState: true,
				ExpectError:  loose("Unable to read the security settings of organization "+orgID, "accepts only API keys"),
			},
			{
				Config: mock.securityConfig(expiringKey, orgID, body),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(securityAddress, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectSecurity("require_api_key_expiration", knownvalue.Bool(true)),
					mock.serverSecurity(orgID, func(s mockserver.SecuritySettings) error {
						if !s.RequireAPIKeyExpiration {
							return fmt.Errorf("require_apikey_expiration is off")
						}
						return nil
					}),
				},
			},
		},
	})
}

// Against Capgo's documented API, which has no security settings, the plan fails and says why;
// nothing is written. One read tells which API the server speaks: the organization's, or, for an
// organization created in the same run and without an ID yet, the list of those the key can see.
func TestAccOrganizationSecurityDocumentedAPIRefused(t *testing.T) {
	refused := loose("Organization security settings need Capgo's production API", "documented API",
		"Nothing was changed", "https://api.capgo.app")
	rows := map[string]struct {
		config func(mock *accMock, orgID string) string
		read   string // the one request the plan sends
	}{
		"existing organization": {
			config: func(mock *accMock, orgID string) string {
				return mock.securityConfig(mockserver.AdminAPIKey, orgID, "  enforce_hashed_api_keys = true\n")
			},
			read: "GET /organization/",
		},
		"organization created in the same run": {
			config: func(mock *accMock, _ string) string {
				return mock.adminConfig(newOrganizationWithSecurity)
			},
			read: "GET /organization/",
		},
	}
	for name, row := range rows {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := newAccMockIn(t, mockserver.DialectDocs)
			orgID, err := mock.client(mockserver.AdminAPIKey).CreateOrganization(bg, capgo.CreateOrganizationRequest{Name: "Docs"})
			mock.mustDo("create an organization", err)
			before := mock.Stats()
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: row.config(mock, orgID), ExpectError: refused}},
			})
			after := mock.Stats()
			if sent := after.RequestsTotal - before.RequestsTotal; sent != 1 || after.ByRoute[row.read]-before.ByRoute[row.read] != 1 {
				t.Errorf("the plan sent %d requests, want 1: %s", sent, row.read)
			}
		})
	}
}

// newOrganizationWithSecurity is an organization and its security settings, made in one run.
const newOrganizationWithSecurity = `
resource "capgo_organization" "new" {
  name = "New"
}

resource "capgo_organization_security" "test" {
  organization_id         = capgo_organization.new.id
  enforce_hashed_api_keys = true
}
`

// Against Capgo's production API, an organization and its security settings are made in one run.
func TestAccOrganizationSecurityWithNewOrganization(t *testing.T) {
	mock, _ := securityMock(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: mock.adminConfig(newOrganizationWithSecurity),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(securityAddress, tfjsonpath.New("enforce_hashed_api_keys"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(securityAddress, tfjsonpath.New("enforce_2fa"), knownvalue.Null()),
				serverCheck(func() error {
					created := mock.createdOrganizations()
					if len(created) != 1 || created[0].SecuritySettings == nil || !created[0].EnforceHashedAPIKeys {
						return fmt.Errorf("the server holds %d new organizations, want 1 with enforce_hashed_api_keys on", len(created))
					}
					return nil
				}),
			},
			ConfigPlanChecks: emptyPlanAfterApply(),
		}},
	})
}

// `terraform plan -generate-config-out` writes every setting of the organization, and the
// configuration it writes imports them with no change.
func TestAccOrganizationSecurityGeneratedConfigurationPlansEmpty(t *testing.T) {
	mock, orgID := securityMock(t)
	policy := capgo.PasswordPolicy{Enabled: true, MinLength: 12, RequireNumber: true}
	mock.setSecurity(keeperKey, orgID, capgo.OrganizationSecurity{
		Enforcing2FA: boolPtr(true), PasswordPolicy: &policy, MaxAPIKeyExpirationDays: intPtr(60),
		EnforceEncryptedBundles: boolPtr(true), RequiredEncryptionKey: strPtr("abcdefghijklmnopqrstu"),
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:          mock.providerBlock(keeperKey),
			ResourceName:    securityAddress,
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithID,
			ImportStateId:   orgID,
			// The step fails unless the generated configuration's plan is a no-op import.
			GenerateConfig: true,
			ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue(securityAddress, tfjsonpath.New("enforce_2fa"), knownvalue.Bool(true)),
				plancheck.ExpectKnownValue(securityAddress, tfjsonpath.New("require_api_key_expiration"), knownvalue.Bool(false)),
				plancheck.ExpectKnownValue(securityAddress, tfjsonpath.New("max_api_key_expiration_days"), knownvalue.Int64Exact(60)),
				plancheck.ExpectKnownValue(securityAddress, tfjsonpath.New("required_encryption_key"),
					knownvalue.StringExact("abcdefghijklmnopqrstu")),
				plancheck.ExpectKnownValue(securityAddress, tfjsonpath.New("password_policy").AtMapKey("min_length"),
					knownvalue.Int64Exact(12)),
			}},
		}},
	})
}

// An import adopts every setting, and a configuration that sets only some of them plans no change:
// the others stay unmanaged, neither shown in a plan, nor sent, nor put back by a destroy with
// restore_defaults_on_destroy. A setting the configuration stops managing leaves the state and
// stays as it is in Capgo.
func TestAccOrganizationSecurityImportWithSomeSettings(t *testing.T) {
	mock, orgID := securityMock(t)
	mock.setSecurity(keeperKey, orgID, capgo.OrganizationSecurity{
		EnforceHashedAPIKeys: boolPtr(true), EnforceEncryptedBundles: boolPtr(true), MaxAPIKeyExpirationDays: intPtr(30),
	})
	importBlock := fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", securityAddress, orgID)
	const hashed, maxDays, restore = "  enforce_hashed_api_keys = true\n", "  max_api_key_expiration_days = 30\n",
		"  restore_defaults_on_destroy = true\n"
	server := func(wantHashed bool) serverCheck {
		return mock.serverSecurity(orgID, func(s mockserver.SecuritySettings) error {
			if s.EnforceHashedAPIKeys != wantHashed || !s.EnforceEncryptedBundles || s.MaxAPIKeyExpirationDays == nil ||
				*s.MaxAPIKeyExpirationDays != 30 {
				return fmt.Errorf("Capgo holds enforce_hashed_api_keys %v (want %v), enforce_encrypted_bundles %v (want "+
					"true, unmanaged), max_apikey_expiration_days %v (want 30)", s.EnforceHashedAPIKeys, wantHashed,
					s.EnforceEncryptedBundles, s.MaxAPIKeyExpirationDays)
			}
			return nil
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: importBlock + mock.securityConfig(mockserver.AdminAPIKey, orgID, hashed+maxDays),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(securityAddress, plancheck.ResourceActionNoop)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{server(true)},
			},
			{
				Config:            mock.securityConfig(mockserver.AdminAPIKey, orgID, hashed+maxDays+restore),
				ConfigPlanChecks:  emptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{server(true)},
			},
			{
				// No longer managed: out of the state, as it is in Capgo.
				Config:           mock.securityConfig(mockserver.AdminAPIKey, orgID, hashed+restore),
				ConfigPlanChecks: plannedAction(securityAddress, plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					expectSecurity("max_api_key_expiration_days", knownvalue.Null()),
					server(true),
				},
			},
		},
		// The destroy puts back what the configuration manages, and only that.
		CheckDestroy: func(*terraform.State) error { return server(false)() },
	})
}
