package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

const orgAddress = "capgo_organization.test"

func expectOrg(attribute string, value knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(orgAddress, tfjsonpath.New(attribute), value)
}

// serverOrganization checks the organization as the server holds it, not as Terraform reports it.
func (m *accMock) serverOrganization(check func(org mockserver.StateOrganization) error) serverCheck {
	return func() error {
		orgs := m.createdOrganizations()
		if len(orgs) != 1 {
			return fmt.Errorf("the server holds %d organizations besides the seeded ones, want 1", len(orgs))
		}
		return check(orgs[0])
	}
}

// noBillingYet is the customer_id of an organization whose billing is not set up: null from the
// documented API, a pending_ placeholder from the production API.
func noBillingYet(dialect string) knownvalue.Check {
	return byDialect[knownvalue.Check](dialect, knownvalue.Null(), knownvalue.StringRegexp(regexp.MustCompile(`^pending_.`)))
}

func TestAccOrganizationWithNameOnly(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{{
				Config: mock.adminConfig(`resource "capgo_organization" "test" { name = "Mobile" }`),
				ConfigStateChecks: []statecheck.StateCheck{
					expectOrg("id", knownvalue.NotNull()),
					expectOrg("name", knownvalue.StringExact("Mobile")),
					// Server defaults are kept in state: the creator's email, no logo, no website, no
					// billing yet.
					expectOrg("management_email", knownvalue.StringExact(mockserver.AdminEmail)),
					expectOrg("logo", knownvalue.Null()),
					expectOrg("website", knownvalue.Null()),
					expectOrg("customer_id", noBillingYet(dialect)),
					expectOrg("created_by", knownvalue.NotNull()),
					expectOrg("created_at", knownvalue.NotNull()),
					expectOrg("updated_at", knownvalue.NotNull()),
					mock.serverOrganization(func(org mockserver.StateOrganization) error {
						if org.Name != "Mobile" {
							return fmt.Errorf("server name = %q", org.Name)
						}
						return nil
					}),
				},
				ConfigPlanChecks: emptyPlanAfterApply(),
			}},
		})
	})
}

func TestAccOrganizationFieldsUpdateInPlace(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		// config writes logo unless it is noLogo.
		const noLogo = "(none)"
		config := func(name, email, logo string) string {
			body := fmt.Sprintf("  name = %q\n  management_email = %q\n", name, email)
			if logo != noLogo {
				body += fmt.Sprintf("  logo = %q\n", logo)
			}
			return mock.adminConfig("resource \"capgo_organization\" \"test\" {\n" + body + "}\n")
		}
		serverLogo := func(want *string) serverCheck {
			return mock.serverOrganization(func(org mockserver.StateOrganization) error {
				switch {
				case want == nil && org.Logo != nil && *org.Logo != "":
					return fmt.Errorf("server logo = %q, want none", *org.Logo)
				case want != nil && (org.Logo == nil || *org.Logo != *want):
					return fmt.Errorf("server logo = %v, want %q", org.Logo, *want)
				}
				return nil
			})
		}
		logoA, logoB := "https://example.com/a.png", "https://example.com/b.png"

		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{
				{
					Config: config("Mobile", "billing@example.com", logoA),
					ConfigStateChecks: []statecheck.StateCheck{
						expectOrg("name", knownvalue.StringExact("Mobile")),
						expectOrg("management_email", knownvalue.StringExact("billing@example.com")),
						expectOrg("logo", knownvalue.StringExact(logoA)),
						serverLogo(&logoA),
					},
					ConfigPlanChecks: emptyPlanAfterApply(),
				},
				{
					Config:            config("Mobile apps", "billing@example.com", logoA),
					ConfigPlanChecks:  plannedAction(orgAddress, plancheck.ResourceActionUpdate),
					ConfigStateChecks: []statecheck.StateCheck{expectOrg("name", knownvalue.StringExact("Mobile apps"))},
				},
				{
					Config:            config("Mobile apps", "finance@example.com", logoA),
					ConfigPlanChecks:  plannedAction(orgAddress, plancheck.ResourceActionUpdate),
					ConfigStateChecks: []statecheck.StateCheck{expectOrg("management_email", knownvalue.StringExact("finance@example.com"))},
				},
				{
					Config:            config("Mobile apps", "finance@example.com", logoB),
					ConfigPlanChecks:  plannedAction(orgAddress, plancheck.ResourceActionUpdate),
					ConfigStateChecks: []statecheck.StateCheck{expectOrg("logo", knownvalue.StringExact(logoB)), serverLogo(&logoB)},
				},
				{
					// An empty logo clears it on the server (Capgo's production API refuses null).
					Config:            config("Mobile apps", "finance@example.com", ""),
					ConfigPlanChecks:  plannedAction(orgAddress, plancheck.ResourceActionUpdate),
					ConfigStateChecks: []statecheck.StateCheck{expectOrg("logo", knownvalue.StringExact("")), serverLogo(nil)},
				},
				{
					// A logo the configuration does not mention is left as it is: no change planned.
					Config: config("Mobile apps", "finance@example.com", noLogo),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{serverLogo(nil)},
				},
				{
					ResourceName:      orgAddress,
					ImportState:       true,
					ImportStateVerify: true,
					// No logo is "" in the state, as configured, and null once imported.
					ImportStateVerifyIgnore: []string{"logo"},
				},
			},
		})
	})
}

func TestAccOrganizationImportBlock(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		id, err := mock.client(mockserver.AdminAPIKey).CreateOrganization(bg, capgo.CreateOrganizationRequest{Name: "Existing"})
		mock.mustDo("create an organization outside Terraform", err)

		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					Config: mock.adminConfig(fmt.Sprintf(`
import {
  to = capgo_organization.test
  id = %q
}

resource "capgo_organization" "test" {
  name = "Existing"
}
`, id)),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orgAddress, plancheck.ResourceActionNoop)},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						expectOrg("id", knownvalue.StringExact(id)),
						expectOrg("management_email", knownvalue.StringExact(mockserver.AdminEmail)),
						expectOrg("customer_id", noBillingYet(dialect)),
					},
				},
				{
					ResourceName:      orgAddress,
					ImportState:       true,
					ImportStateId:     id,
					ImportStateVerify: true,
				},
			},
		})
	})
}

func TestAccOrganizationDeletedOutsideTerraform(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		config := mock.adminConfig(`resource "capgo_organization" "test" { name = "Mobile" }`)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{
				{Config: config},
				{
					PreConfig: func() {
						for _, org := range mock.createdOrganizations() {
							mock.mustDo("delete the organization outside Terraform",
								mock.client(mockserver.AdminAPIKey).DeleteOrganization(bg, org.ID))
						}
					},
					Config:           config,
					ConfigPlanChecks: plannedAction(orgAddress, plancheck.ResourceActionCreate),
					ConfigStateChecks: []statecheck.StateCheck{serverCheck(func() error {
						if n := mock.organizationCount(); n != 1 {
							return fmt.Errorf("after re-creating, the server holds %d organizations besides the seeded ones, want 1", n)
						}
						return nil
					})},
				},
			},
		})
	})
}

func TestAccOrganizationRejectsBadInputAtPlan(t *testing.T) {
	beforeAnyRequest(t, func(t *testing.T, mock *accMock) {
		tests := map[string]struct {
			body string
			want string
		}{
			"blank name":      {body: `name = "   "`, want: `(?s)Blank name.*must not be empty`},
			"empty name":      {body: `name = ""`, want: `(?s)Blank name`},
			"malformed email": {body: "name = \"Mobile\"\nmanagement_email = \"billing at example\"", want: `(?s)Invalid email address.*management_email`},
			"relative logo":   {body: "name = \"Mobile\"\nlogo = \"logo.png\"", want: `(?s)Invalid URL.*logo`},
			"website scheme":  {body: "name = \"Mobile\"\nwebsite = \"ftp://example.com\"", want: `(?s)Invalid website.*website`},
			"name with tags":  {body: `name = "<b>Mobile</b>"`, want: `(?s)Name with HTML tags.*"Mobile"`},
			"spaced name":     {body: `name = " Mobile "`, want: `(?s)Name with surrounding white space`},
		}
		for name, tt := range tests {
			t.Run(name, func(t *testing.T) {
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
					Steps: []resource.TestStep{{
						// Not plan-only: were the input let through, the apply would send it.
						Config:      mock.adminConfig("resource \"capgo_organization\" \"test\" {\n" + tt.body + "\n}"),
						ExpectError: regexp.MustCompile(tt.want),
					}},
				})
			})
		}
	})
}

func TestAccOrganizationImportRejectsMalformedID(t *testing.T) {
	beforeAnyRequest(t, func(t *testing.T, mock *accMock) {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config:        mock.adminConfig(`resource "capgo_organization" "test" { name = "Mobile" }`),
				ResourceName:  orgAddress,
				ImportState:   true,
				ImportStateId: "org/with/slashes",
				ExpectError:   regexp.MustCompile(`(?s)Invalid import ID.*terraform import capgo_organization`),
			}},
		})
	})
}

// A user who may read an organization but not manage it gets told which role is missing.
func TestAccOrganizationUpdateWithoutAdminRole(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		config := func(apiKey, name string) string {
			return mock.providerBlock(apiKey) + fmt.Sprintf(`resource "capgo_organization" "test" { name = %q }`, name)
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{
				{Config: config(mockserver.AdminAPIKey, "Mobile")},
				{
					PreConfig: func() {
						orgID := mock.createdOrganizations()[0].ID
						_, err := mock.client(mockserver.AdminAPIKey).AddMember(bg, capgo.AddMemberRequest{
							OrganizationID: orgID, Email: mockserver.DevEmail, Role: "read",
						})
						mock.mustDo("invite dev", err)
						mock.mustDo("accept the invitation", mock.AcceptInvitation(orgID, mockserver.DevEmail))
					},
					Config: config(mockserver.DevAPIKey, "Renamed by a reader"),
					ExpectError: regexp.MustCompile(byDialect(dialect,
						`(?s)Unable to update organization "Mobile".*Admin role required.*admin or\s+super_admin role`,
						`(?s)Unable to update organization "Mobile".*cannot_access_organization.*org_admin or\s+org_super_admin\s+role`)),
				},
				{
					// Back to the admin key, so that the organization can be destroyed.
					PreConfig: func() {
						if err := mock.serverOrganization(func(org mockserver.StateOrganization) error {
							if org.Name != "Mobile" {
								return fmt.Errorf("the reader renamed the organization to %q", org.Name)
							}
							return nil
						})(); err != nil {
							t.Fatal(err)
						}
					},
					Config:           config(mockserver.AdminAPIKey, "Mobile"),
					ConfigPlanChecks: emptyPlanAfterApply(),
				},
			},
		})
	})
}

func TestAccProviderMissingAPIKey(t *testing.T) {
	// Not parallel: t.Setenv cannot be used in parallel tests. The dialect does not matter: no
	// request may go out.
	t.Setenv(envAPIKey, "")
	mock := newAccMockIn(t, mockserver.DialectDocs)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "capgo" {
  api_url = %q
}

resource "capgo_organization" "test" {
  name = "Mobile"
}
`, mock.URL),
			ExpectError: regexp.MustCompile(`(?s)Missing Capgo API key.*api_key.*CAPGO_API_KEY`),
		}},
	})
	if n := mock.Stats().RequestsTotal; n != 0 {
		t.Errorf("the provider sent %d requests without an API key", n)
	}
}

// An update plans what it will leave: logo = "" as written, and, against Capgo's production API,
// whose updated_at never moves after creation, updated_at as it is.
func TestAccOrganizationUpdatePlansWhatItLeaves(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		org := func(name, logo string) string {
			return mock.adminConfig(fmt.Sprintf(`
resource "capgo_organization" "test" {
  name = %q
  logo = %q
}
`, name, logo))
		}
		checks := []plancheck.PlanCheck{
			plancheck.ExpectKnownValue("capgo_organization.test", tfjsonpath.New("logo"), knownvalue.StringExact("")),
		}
		if dialect == mockserver.DialectRBAC { // the documented API moves it: known after apply there
			checks = append(checks, plancheck.ExpectKnownValue("capgo_organization.test", tfjsonpath.New("updated_at"), knownvalue.NotNull()))
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{
				{Config: org("Mobile", "https://example.com/logo.png")},
				{
					Config: org("Mobile renamed", ""),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             checks,
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
				},
			},
		})
	})
}
