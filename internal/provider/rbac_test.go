package provider

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// Cases that exist only against Capgo's production API (the rbac dialect), or that cross the two
// vocabularies of roles. The rest of the acceptance suite runs against both dialects.

// teamConfig is an organization with one member per email, each with its role.
func (m *accMock) teamConfig(roles map[string]string) string {
	emails := make([]string, 0, len(roles))
	for email := range roles {
		emails = append(emails, email)
	}
	sort.Strings(emails)
	var entries strings.Builder
	for _, email := range emails {
		fmt.Fprintf(&entries, "    %q = %q\n", email, roles[email])
	}
	return m.adminConfig(fmt.Sprintf(`
resource "capgo_organization" "test" {
  name = "Mobile"
}

resource "capgo_organization_member" "team" {
  for_each = {
%s  }

  organization_id = capgo_organization.test.id
  email           = each.key
  role            = each.value
}
`, entries.String()))
}

// reinvitingMemberConfig is memberConfig with reinvite_on_role_change set.
func (m *accMock) reinvitingMemberConfig(email, role string, reinvite bool) string {
	return m.adminConfig(fmt.Sprintf(`
resource "capgo_organization" "test" {
  name = "Mobile"
}

resource "capgo_organization_member" "dev" {
  organization_id         = capgo_organization.test.id
  email                   = %q
  role                    = %q
  reinvite_on_role_change = %t
}
`, email, role, reinvite))
}

func teamMember(email, attribute string, value knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(fmt.Sprintf("capgo_organization_member.team[%q]", email), tfjsonpath.New(attribute), value)
}

// A configuration in either vocabulary, or both mixed, shows no diff against the production API,
// before and after the invitations are accepted, and after a refresh.
func TestAccProductionRoleVocabularies(t *testing.T) {
	mock := newAccMockIn(t, mockserver.DialectRBAC)
	tester := mock.CreateUser("tester@example.com").Email
	roles := map[string]string{
		mockserver.DevEmail: "write",      // org_member there
		mockserver.OpsEmail: "admin",      // org_admin
		tester:              "org_member", // its own name
	}
	accept := func() {
		for email := range roles {
			mock.acceptInvitation(email)()
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: mock.teamConfig(roles),
				ConfigStateChecks: []statecheck.StateCheck{
					teamMember(mockserver.DevEmail, "role", knownvalue.StringExact("write")),
					teamMember(mockserver.OpsEmail, "role", knownvalue.StringExact("admin")),
					teamMember(tester, "role", knownvalue.StringExact("org_member")),
					teamMember(mockserver.DevEmail, "status", knownvalue.StringExact("pending")),
					mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: "org_member", Pending: true}),
					mock.serverMember(mockserver.OpsEmail, &mockserver.StateMember{Role: "org_admin", Pending: true}),
					mock.serverMember(tester, &mockserver.StateMember{Role: "org_member", Pending: true}),
				},
				ConfigPlanChecks: emptyPlanAfterApply(),
			},
			{
				PreConfig: accept,
				Config:    mock.teamConfig(roles),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					teamMember(mockserver.DevEmail, "role", knownvalue.StringExact("write")),
					teamMember(mockserver.DevEmail, "status", knownvalue.StringExact("active")),
					teamMember(mockserver.OpsEmail, "status", knownvalue.StringExact("active")),
				},
			},
			{
				Config:   mock.teamConfig(roles),
				PlanOnly: true, // fails on any diff
			},
			{
				// Telling read from write is beyond the production API: both are org_member, so this
				// change has nothing to send, and the state takes the new spelling.
				Config:           mock.teamConfig(map[string]string{mockserver.DevEmail: "read", mockserver.OpsEmail: "org_admin", tester: "upload"}),
				ConfigPlanChecks: plannedAction(`capgo_organization_member.team["dev@example.com"]`, plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					teamMember(mockserver.DevEmail, "role", knownvalue.StringExact("read")),
					teamMember(mockserver.DevEmail, "status", knownvalue.StringExact("active")),
					mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: "org_member", Pending: false}),
				},
			},
			{
				Config:            mock.adminConfig(""),
				ConfigStateChecks: []statecheck.StateCheck{serverCheck(func() error { return mock.checkDestroyed(nil) })},
			},
		},
	})
}

// The documented API takes the production names that have a documented equivalent, and refuses,
// before sending anything, the ones that do not.
func TestAccDocumentedAPIWithProductionRoleNames(t *testing.T) {
	mock := newAccMockIn(t, mockserver.DialectDocs)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             mock.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config: mock.memberConfig(mockserver.DevEmail, "org_admin"),
				ConfigStateChecks: []statecheck.StateCheck{
					expectMember("role", knownvalue.StringExact("org_admin")),
					mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: "admin", Pending: true}),
				},
				ConfigPlanChecks: emptyPlanAfterApply(),
			},
			{
				Config:      mock.memberConfig(mockserver.DevEmail, "org_member"),
				ExpectError: regexp.MustCompile(`(?s)"org_member"\s+exists\s+only\s+in\s+Capgo's\s+production\s+API.*"read",\s+"upload",\s+"write"`),
			},
			{
				Config:            mock.memberConfig(mockserver.DevEmail, "org_admin"),
				ConfigStateChecks: []statecheck.StateCheck{mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: "admin", Pending: true})},
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// A pending invitation changes role by being revoked and sent again: it stays pending, for the
// same person.
func TestAccProductionPendingRoleChangeReinvites(t *testing.T) {
	mock := newAccMockIn(t, mockserver.DialectRBAC)
	devUID := mock.userID(mockserver.DevEmail)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             mock.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config:            mock.memberConfig(mockserver.DevEmail, "write"),
				ConfigStateChecks: []statecheck.StateCheck{mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: "org_member", Pending: true})},
			},
			{
				Config:           mock.memberConfig(mockserver.DevEmail, "admin"),
				ConfigPlanChecks: plannedAction(memberAddress, plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					expectMember("role", knownvalue.StringExact("admin")),
					expectMember("status", knownvalue.StringExact("pending")),
					expectMember("user_id", knownvalue.StringExact(devUID)),
					mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: "org_admin", Pending: true}),
				},
			},
		},
	})
}

// An accepted member's role cannot change without a new invitation: refused at plan time, with
// nothing changed, until the configuration allows it; then the member is invited again.
func TestAccProductionAcceptedRoleChangeNeedsOptIn(t *testing.T) {
	mock := newAccMockIn(t, mockserver.DialectRBAC)
	activeWriter := &mockserver.StateMember{Role: "org_member", Pending: false}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             mock.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config: mock.memberConfig(mockserver.DevEmail, "write"),
			},
			{
				PreConfig:   mock.acceptInvitation(mockserver.DevEmail),
				Config:      mock.memberConfig(mockserver.DevEmail, "admin"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Role change needs a new invitation.*reinvite_on_role_change\s+=\s+true`),
			},
			{
				// Nothing was changed: the member is still active, and the old configuration is no diff.
				Config:            mock.memberConfig(mockserver.DevEmail, "write"),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{mock.serverMember(mockserver.DevEmail, activeWriter)},
			},
			{
				Config:           mock.reinvitingMemberConfig(mockserver.DevEmail, "admin", true),
				ConfigPlanChecks: plannedAction(memberAddress, plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					expectMember("role", knownvalue.StringExact("admin")),
					expectMember("status", knownvalue.StringExact("pending")),
					mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: "org_admin", Pending: true}),
				},
			},
			{
				PreConfig:        mock.acceptInvitation(mockserver.DevEmail),
				Config:           mock.reinvitingMemberConfig(mockserver.DevEmail, "admin", true),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectMember("status", knownvalue.StringExact("active")),
				},
			},
		},
	})
}

// Removing the last accepted org_super_admin makes the production API delete the whole
// organization: neither a destroy nor a role change of that membership may go through, and the
// organization survives.
func TestAccProductionLastSuperAdminGuard(t *testing.T) {
	mock := newAccMockIn(t, mockserver.DialectRBAC)
	const ownerAddress = "capgo_organization_member.owner"
	withOwner := func(extra string) string {
		return mock.adminConfig(fmt.Sprintf(`
resource "capgo_organization" "test" {
  name = "Mobile"
}

resource "capgo_organization_member" "owner" {
  organization_id = capgo_organization.test.id
  email           = %q
  role            = "org_super_admin"
  %s
}
`, mockserver.AdminEmail, extra))
	}
	organizationOnly := mock.adminConfig(`
resource "capgo_organization" "test" {
  name = "Mobile"
}
`)
	ownerStillThere := serverCheck(func() error {
		if n := mock.organizationCount(); n != 1 {
			return fmt.Errorf("the server holds %d organizations, want the one organization to survive", n)
		}
		return mock.serverMember(mockserver.AdminEmail, &mockserver.StateMember{Role: "org_super_admin"})()
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             mock.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: organizationOnly},
			{
				Config:             withOwner(""),
				ResourceName:       ownerAddress,
				ImportState:        true,
				ImportStatePersist: true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return s.RootModule().Resources[orgAddress].Primary.ID + "/" + mockserver.AdminEmail, nil
				},
			},
			{
				Config:            withOwner(""),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{ownerStillThere},
			},
			{
				Config:      organizationOnly,
				ExpectError: regexp.MustCompile(`(?s)last accepted super_admin.*delete\s+the\s+whole\s+organization.*removed\s+block`),
			},
			{
				Config:      strings.Replace(withOwner("reinvite_on_role_change = true"), `"org_super_admin"`, `"admin"`, 1),
				ExpectError: regexp.MustCompile(`(?s)Cannot change the role of the last org_super_admin.*delete\s+the\s+whole\s+organization`),
			},
			{
				// Still there after both refusals. Then forget the membership, so that the organization
				// itself can be destroyed at the end.
				Config:            organizationOnly + "\nremoved {\n  from = capgo_organization_member.owner\n  lifecycle {\n    destroy = false\n  }\n}\n",
				ConfigStateChecks: []statecheck.StateCheck{ownerStillThere},
			},
		},
	})
}

// An email with no account behind it, in any spelling, is refused with what the person must do;
// against the production API, which matches emails case included, the message says the lower-case
// spelling was tried too.
func TestAccNoAccountSaysToSignUp(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		also := byDialect(dialect, "", `\(nor\s+under\s+nobody@example.com\)`)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{{
				Config: mock.memberConfig("Nobody@Example.com", "write"),
				ExpectError: regexp.MustCompile(`(?s)No Capgo account for this email.*Nobody@Example.com.*has\s+no\s+account\s+with\s+this\s+email\s*` +
					also + `.*must\s+sign\s+up\s+to\s+Capgo\s+first`),
			}},
		})
	})
}

// website is stored by the production API; the documented API has none, and the configured value
// is kept in state with no diff.
func TestAccOrganizationWebsite(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		dialect      string
		wantOnServer bool
	}{{"docs", false}, {"rbac", true}} {
		t.Run(tt.dialect, func(t *testing.T) {
			mock := newAccMockIn(t, tt.dialect)
			config := func(website string) string {
				attr := ""
				if website != "" {
					attr = fmt.Sprintf("website = %q", website)
				}
				return mock.adminConfig(fmt.Sprintf(`
resource "capgo_organization" "test" {
  name = "Mobile"
  %s
}
`, attr))
			}
			serverWebsite := func(want string) serverCheck {
				return mock.serverOrganization(func(org mockserver.StateOrganization) error {
					got := ""
					if org.Website != nil {
						got = *org.Website
					}
					if !tt.wantOnServer {
						want = ""
					}
					if got != want {
						return fmt.Errorf("server website = %q, want %q", got, want)
					}
					return nil
				})
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             mock.checkDestroyed,
				Steps: []resource.TestStep{
					{
						Config: config("https://mobile.example"),
						ConfigStateChecks: []statecheck.StateCheck{
							expectOrg("website", knownvalue.StringExact("https://mobile.example")),
							// The production API stores it normalised, as a URL serialises.
							serverWebsite("https://mobile.example/"),
						},
						ConfigPlanChecks: emptyPlanAfterApply(),
					},
					{
						Config:           config("https://apps.example"),
						ConfigPlanChecks: plannedAction(orgAddress, plancheck.ResourceActionUpdate),
						ConfigStateChecks: []statecheck.StateCheck{
							expectOrg("website", knownvalue.StringExact("https://apps.example")),
							serverWebsite("https://apps.example/"),
						},
					},
					{
						Config:           config(""),
						ConfigPlanChecks: plannedAction(orgAddress, plancheck.ResourceActionUpdate),
						ConfigStateChecks: []statecheck.StateCheck{
							expectOrg("website", knownvalue.Null()),
							serverWebsite(""),
						},
					},
				},
			})
		})
	}
}

// An organization_id that names no organization is reported as such by every path, although the
// production API answers it like a missing right.
func TestAccOrganizationMemberInMissingOrganization(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: mock.adminConfig(`
resource "capgo_organization_member" "dev" {
  organization_id = "no-such-organization"
  email           = "dev@example.com"
  role            = "read"
}
`),
				ExpectError: regexp.MustCompile(`(?s)Organization not found.*"no-such-organization" does not exist`),
			}},
		})
		if n := mock.Stats().RequestsTotal; n > 3 {
			t.Errorf("%d API requests for a missing organization, want at most 3 (list, check, nothing written)", n)
		}
	})
}
