package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

const memberAddress = "capgo_organization_member.dev"

var compareSame = compare.ValuesSame()

func expectMember(attribute string, value knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(memberAddress, tfjsonpath.New(attribute), value)
}

// memberConfig is an organization with one member, dev, managed by the admin. Each extra is one
// more line of the member's block.
func (m *accMock) memberConfig(email, role string, extra ...string) string {
	var lines strings.Builder
	for _, line := range extra {
		lines.WriteString("  " + line + "\n")
	}
	return m.adminConfig(fmt.Sprintf(`
resource "capgo_organization" "test" {
  name = "Mobile"
}

resource "capgo_organization_member" "dev" {
  organization_id = capgo_organization.test.id
  email           = %q
  role            = %q
%s}
`, email, role, lines.String()))
}

// onlyOrganizationID is the ID of the one organization the test made.
func (m *accMock) onlyOrganizationID() string {
	m.t.Helper()
	orgs := m.createdOrganizations()
	if len(orgs) != 1 {
		m.t.Fatalf("the server holds %d organizations besides the seeded ones, want 1", len(orgs))
	}
	return orgs[0].ID
}

// serverMember checks a member as the server holds it, in the organizations the test made: its
// stored role, in the server's own vocabulary, and pending flag. A nil want means the member must be
// absent.
func (m *accMock) serverMember(email string, want *mockserver.StateMember) serverCheck {
	return func() error {
		for _, org := range m.createdOrganizations() {
			for _, member := range org.Members {
				if !strings.EqualFold(member.Email, email) {
					continue
				}
				if want == nil {
					return fmt.Errorf("%s is still a member on the server", email)
				}
				if member.Role != want.Role || member.Pending != want.Pending {
					return fmt.Errorf("server holds %s as role %q pending %v, want role %q pending %v",
						email, member.Role, member.Pending, want.Role, want.Pending)
				}
				return nil
			}
		}
		if want != nil {
			return fmt.Errorf("%s is not a member on the server", email)
		}
		return nil
	}
}

func (m *accMock) acceptInvitation(email string) func() {
	return func() {
		m.mustDo("accept the invitation of "+email, m.AcceptInvitation(m.onlyOrganizationID(), email))
	}
}

func memberImportID(address string) resource.ImportStateIdFunc {
	return func(s *terraform.State) (string, error) {
		rs, ok := s.RootModule().Resources[address]
		if !ok {
			return "", fmt.Errorf("%s not in state", address)
		}
		return rs.Primary.Attributes["organization_id"] + "/" + rs.Primary.Attributes["email"], nil
	}
}

// importMemberStep imports the member and checks the import against the state. An import has no
// configuration to take the role's spelling from, so it holds the role as the server names it;
// against the production API that differs from a documented role in the configuration, and is
// checked on its own. configOnly names the attributes the server does not hold, which an import
// cannot know.
func (m *accMock) importMemberStep(configuredRole string, configOnly ...string) resource.TestStep {
	step := resource.TestStep{
		ResourceName:            memberAddress,
		ImportState:             true,
		ImportStateIdFunc:       memberImportID(memberAddress),
		ImportStateVerify:       true,
		ImportStateVerifyIgnore: configOnly,
	}
	if reported := m.serverRole(configuredRole); reported != configuredRole {
		step.ImportStateVerifyIgnore = append(step.ImportStateVerifyIgnore, "role")
		step.ImportStateCheck = func(states []*terraform.InstanceState) error {
			if len(states) != 1 {
				return fmt.Errorf("imported %d resources, want 1", len(states))
			}
			if got := states[0].Attributes["role"]; got != reported {
				return fmt.Errorf("imported role = %q, want %q as the server names it", got, reported)
			}
			return nil
		}
	}
	return step
}

// memberWrites counts the requests that change members (invite, change, remove) so far.
func (m *accMock) memberWrites() int64 {
	byRoute := m.Stats().ByRoute
	return byRoute["POST /organization/members/"] + byRoute["DELETE /organization/members/"]
}

// The whole invitation lifecycle: invited (pending), role changed while pending, accepted outside
// Terraform (no diff), role changed while active, imported in both states. The production API
// changes an accepted member's role only by inviting them again, which the configuration must
// allow.
func TestAccOrganizationMemberLifecycle(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		steps := []resource.TestStep{
			{
				Config: mock.memberConfig(mockserver.DevEmail, "write"),
				ConfigStateChecks: []statecheck.StateCheck{
					expectMember("role", knownvalue.StringExact("write")),
					expectMember("status", knownvalue.StringExact("pending")),
					expectMember("email", knownvalue.StringExact(mockserver.DevEmail)),
					expectMember("user_id", knownvalue.NotNull()),
					expectMember("image_url", knownvalue.Null()),
					expectMember("reinvite_on_role_change", knownvalue.Bool(false)),
					statecheck.CompareValuePairs(memberAddress, tfjsonpath.New("organization_id"),
						orgAddress, tfjsonpath.New("id"), compareSame),
					mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: mock.serverRole("write"), Pending: true}),
				},
				ConfigPlanChecks: emptyPlanAfterApply(),
			},
			mock.importMemberStep("write"),
			{
				// A role change while pending: in place, and the invitation stays pending.
				Config:           mock.memberConfig(mockserver.DevEmail, "admin"),
				ConfigPlanChecks: plannedAction(memberAddress, plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					expectMember("role", knownvalue.StringExact("admin")),
					expectMember("status", knownvalue.StringExact("pending")),
					mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: mock.serverRole("admin"), Pending: true}),
				},
			},
			{
				// Accepted in the console: nothing to change, only the status moves on.
				PreConfig: mock.acceptInvitation(mockserver.DevEmail),
				Config:    mock.memberConfig(mockserver.DevEmail, "admin"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					expectMember("role", knownvalue.StringExact("admin")),
					expectMember("status", knownvalue.StringExact("active")),
				},
			},
		}
		if dialect == mockserver.DialectDocs {
			steps = append(steps,
				resource.TestStep{
					// A role change while active: in place, and the member stays active.
					Config:           mock.memberConfig(mockserver.DevEmail, "read"),
					ConfigPlanChecks: plannedAction(memberAddress, plancheck.ResourceActionUpdate),
					ConfigStateChecks: []statecheck.StateCheck{
						expectMember("role", knownvalue.StringExact("read")),
						expectMember("status", knownvalue.StringExact("active")),
						mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: "read", Pending: false}),
					},
				},
				mock.importMemberStep("read"),
			)
		} else {
			steps = append(steps,
				resource.TestStep{
					// The production API cannot change an accepted member's role: refused at plan time,
					// and nothing changes, unless the configuration allows a new invitation.
					Config:      mock.memberConfig(mockserver.DevEmail, "read"),
					ExpectError: regexp.MustCompile(`(?s)Role change needs a new invitation.*reinvite_on_role_change\s+=\s+true`),
				},
				resource.TestStep{
					PreConfig: func() {
						if err := mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: "org_admin"})(); err != nil {
							t.Fatal(err)
						}
					},
					Config:           mock.memberConfig(mockserver.DevEmail, "read", "reinvite_on_role_change = true"),
					ConfigPlanChecks: plannedAction(memberAddress, plancheck.ResourceActionUpdate),
					ConfigStateChecks: []statecheck.StateCheck{
						expectMember("role", knownvalue.StringExact("read")),
						expectMember("status", knownvalue.StringExact("pending")),
						mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: "org_member", Pending: true}),
					},
				},
				// reinvite_on_role_change is a setting of the configuration: an import takes the default.
				mock.importMemberStep("read", "reinvite_on_role_change"),
			)
		}

		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps:                    steps,
		})
	})
}

func TestAccOrganizationMemberEmailCase(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		mixedCase := "Dev@Example.COM"
		var writesBefore int64
		nothingSent := serverCheck(func() error {
			if n := mock.memberWrites() - writesBefore; n != 0 {
				return fmt.Errorf("%d member changes were sent to Capgo, want none", n)
			}
			return nil
		})
		// The account is dev@example.com. Capgo's production API finds accounts by the exact email,
		// so the invitation is made in lower case there; either way the configuration's spelling
		// is kept, with no diff.
		steps := []resource.TestStep{{
			Config: mock.memberConfig(mixedCase, "write"),
			ConfigStateChecks: []statecheck.StateCheck{
				expectMember("email", knownvalue.StringExact(mixedCase)),
				mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: mock.serverRole("write"), Pending: true}),
			},
			ConfigPlanChecks: emptyPlanAfterApply(),
		}, {
			// Only the spelling changes: the same account, so no replacement and nothing sent to Capgo.
			PreConfig:        func() { writesBefore = mock.memberWrites() },
			Config:           mock.memberConfig(mockserver.DevEmail, "write"),
			ConfigPlanChecks: plannedAction(memberAddress, plancheck.ResourceActionUpdate),
			ConfigStateChecks: []statecheck.StateCheck{
				expectMember("email", knownvalue.StringExact(mockserver.DevEmail)),
				mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: mock.serverRole("write"), Pending: true}),
				nothingSent,
			},
		}}
		steps = append(steps, resource.TestStep{
			// Another address is another person: the membership is replaced.
			Config:           mock.memberConfig(mockserver.OpsEmail, "write"),
			ConfigPlanChecks: plannedAction(memberAddress, plancheck.ResourceActionReplace),
			ConfigStateChecks: []statecheck.StateCheck{
				mock.serverMember(mockserver.DevEmail, nil),
				mock.serverMember(mockserver.OpsEmail, &mockserver.StateMember{Role: mock.serverRole("write"), Pending: true}),
			},
		})
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps:                    steps,
		})
	})
}

func TestAccOrganizationMemberRemovedOutsideTerraform(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		config := mock.memberConfig(mockserver.DevEmail, "upload")
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{
				{Config: config},
				{
					PreConfig: func() {
						mock.mustDo("remove the member outside Terraform",
							mock.client(mockserver.AdminAPIKey).RemoveMember(bg, mock.onlyOrganizationID(), mockserver.DevEmail))
					},
					Config:           config,
					ConfigPlanChecks: plannedAction(memberAddress, plancheck.ResourceActionCreate),
					ConfigStateChecks: []statecheck.StateCheck{
						mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: mock.serverRole("upload"), Pending: true}),
					},
				},
			},
		})
	})
}

func TestAccOrganizationMemberOrganizationDeletedOutsideTerraform(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		config := mock.memberConfig(mockserver.DevEmail, "upload")
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{
				{Config: config},
				{
					PreConfig: func() {
						mock.mustDo("delete the organization outside Terraform",
							mock.client(mockserver.AdminAPIKey).DeleteOrganization(bg, mock.onlyOrganizationID()))
					},
					Config: config,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(orgAddress, plancheck.ResourceActionCreate),
							plancheck.ExpectResourceAction(memberAddress, plancheck.ResourceActionCreate),
						},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
				},
			},
		})
	})
}

// Creating a membership that exists must not change it: the documented API's add call would
// change the role, the production API's would refuse.
func TestAccOrganizationMemberCreateExistingFails(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		admin := mock.client(mockserver.AdminAPIKey)
		orgID, err := admin.CreateOrganization(bg, capgo.CreateOrganizationRequest{Name: "Existing"})
		mock.mustDo("create an organization", err)
		_, err = admin.AddMember(bg, capgo.AddMemberRequest{OrganizationID: orgID, Email: mockserver.DevEmail, Role: "read"})
		mock.mustDo("invite dev", err)
		writesBefore := mock.memberWrites()

		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: mock.adminConfig(fmt.Sprintf(`
resource "capgo_organization_member" "dev" {
  organization_id = %q
  email           = "DEV@example.com"
  role            = "admin"
}
`, orgID)),
				// The role as the server names it.
				ExpectError: regexp.MustCompile(`(?s)Already a member.*invited \(pending\).*"` + mock.serverRole("read") +
					`".*terraform import\s+capgo_organization_member.<name>\s+` + regexp.QuoteMeta(orgID+"/DEV@example.com")),
			}},
		})
		// ExpectError steps run no Check: look at the server directly.
		if err := mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: mock.serverRole("read"), Pending: true})(); err != nil {
			t.Fatal(err)
		}
		if n := mock.memberWrites() - writesBefore; n != 0 {
			t.Fatalf("%d member changes were sent to Capgo, want none", n)
		}
	})
}

func TestAccOrganizationMemberWithoutAccount(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{{
				Config:      mock.memberConfig("nobody@example.com", "read"),
				ExpectError: regexp.MustCompile(`(?s)No Capgo account.*nobody@example.com.*must\s+sign\s+up\s+to\s+Capgo\s+first`),
			}},
		})
	})
}

func TestAccOrganizationMemberRejectsBadInputAtPlan(t *testing.T) {
	beforeAnyRequest(t, func(t *testing.T, mock *accMock) {
		tests := map[string]struct {
			email, role, want string
		}{
			"invite prefix": {email: mockserver.DevEmail, role: "invite_write", want: `(?s)Invalid role.*prefix.*role\s+=\s+"write"`},
			"unknown role":  {email: mockserver.DevEmail, role: "owner", want: `(?s)Invalid role.*"owner" is not a Capgo role`},
			"bad email":     {email: "dev.example.com", role: "read", want: `(?s)Invalid email address.*email`},
		}
		for name, tt := range tests {
			t.Run(name, func(t *testing.T) {
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
					Steps: []resource.TestStep{{
						// Not plan-only: were the input let through, the apply would send it.
						Config:      mock.memberConfig(tt.email, tt.role),
						ExpectError: regexp.MustCompile(tt.want),
					}},
				})
			})
		}
	})
}

func TestAccOrganizationMemberImportRejectsMalformedID(t *testing.T) {
	beforeAnyRequest(t, func(t *testing.T, mock *accMock) {
		for _, id := range []string{"no-slash", "/dev@example.com", "org/not-an-email"} {
			t.Run(id, func(t *testing.T) {
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
					Steps: []resource.TestStep{{
						Config:        mock.memberConfig(mockserver.DevEmail, "read"),
						ResourceName:  memberAddress,
						ImportState:   true,
						ImportStateId: id,
						ExpectError:   regexp.MustCompile(`(?s)Invalid import ID.*<organization_id>/<email>`),
					}},
				})
			})
		}
	})
}

// The admin's own membership, imported, can be neither removed nor demoted while nobody else holds
// super_admin. Against the production API, removing them would delete the whole organization.
func TestAccOrganizationMemberLastSuperAdminGuard(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		withAdminMembership := func(role string) string {
			return mock.adminConfig(fmt.Sprintf(`
resource "capgo_organization" "test" {
  name = "Mobile"
}

import {
  to = capgo_organization_member.admin
  id = "${capgo_organization.test.id}/%s"
}

resource "capgo_organization_member" "admin" {
  organization_id = capgo_organization.test.id
  email           = %q
  role            = %q
}
`, mockserver.AdminEmail, mockserver.AdminEmail, role))
		}
		withoutAdminMembership := mock.adminConfig(`
resource "capgo_organization" "test" {
  name = "Mobile"
}
`)
		stillSuperAdmin := mock.serverMember(mockserver.AdminEmail, &mockserver.StateMember{Role: mock.serverRole("super_admin")})

		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{
				{
					Config: mock.adminConfig(`
resource "capgo_organization" "test" {
  name = "Mobile"
}
`),
				},
				{
					Config: withAdminMembership("super_admin"),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("capgo_organization_member.admin", tfjsonpath.New("role"), knownvalue.StringExact("super_admin")),
						statecheck.ExpectKnownValue("capgo_organization_member.admin", tfjsonpath.New("status"), knownvalue.StringExact("active")),
					},
					ConfigPlanChecks: emptyPlanAfterApply(),
				},
				{
					// Refused by the plan, against either API: the apply never starts.
					Config: withAdminMembership("admin"),
					ExpectError: regexp.MustCompile(byDialect(dialect,
						`(?s)pre-apply plan.*Cannot demote the last super_admin.*nothing was changed`,
						`(?s)Cannot change the role of the last org_super_admin.*delete\s+the\s+whole\s+organization.*nothing\s+was\s+changed`)),
				},
				{
					Config: withoutAdminMembership,
					ExpectError: regexp.MustCompile(byDialect(dialect,
						`(?s)Cannot remove the last super_admin.*Give another member the super_admin role`,
						`(?s)Cannot remove the last super_admin.*delete\s+the\s+whole\s+organization.*Give another member the super_admin role`)),
				},
				{
					// Let go of the membership without touching it, so the organization can be destroyed.
					PreConfig: func() {
						if err := stillSuperAdmin(); err != nil {
							t.Fatal(err)
						}
					},
					Config: withoutAdminMembership + `
removed {
  from = capgo_organization_member.admin
  lifecycle {
    destroy = false
  }
}
`,
				},
			},
		})
	})
}

// Twenty members applied at Terraform's default parallelism of ten.
func TestAccOrganizationMemberMany(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		var emails []string
		for i := range 20 {
			emails = append(emails, mock.CreateUser(fmt.Sprintf("member%02d@example.com", i)).Email)
		}
		config := mock.adminConfig(fmt.Sprintf(`
resource "capgo_organization" "test" {
  name = "Mobile"
}

resource "capgo_organization_member" "many" {
  for_each        = toset(%s)
  organization_id = capgo_organization.test.id
  email           = each.value
  role            = "upload"
}
`, hclList(emails)))
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config:           config,
				ConfigPlanChecks: emptyPlanAfterApply(),
				// A state check, not a Check: legacy Checks cannot read for_each instances.
				ConfigStateChecks: []statecheck.StateCheck{serverCheck(func() error {
					members := mock.createdOrganizations()[0].Members
					if len(members) != 21 { // the admin and twenty invitees
						return fmt.Errorf("the server holds %d members, want 21", len(members))
					}
					for _, m := range members {
						if m.Email != mockserver.AdminEmail && (m.Role != mock.serverRole("upload") || !m.Pending) {
							return fmt.Errorf("server holds %s as role %q pending %v, want role %q pending",
								m.Email, m.Role, m.Pending, mock.serverRole("upload"))
						}
					}
					return nil
				})},
			}, {
				// terraform-plugin-testing cannot read for_each instances in CheckDestroy or in its own
				// final destroy, so this step destroys everything and checks the server itself.
				Config:            mock.adminConfig(""),
				ConfigStateChecks: []statecheck.StateCheck{serverCheck(func() error { return mock.checkDestroyed(nil) })},
			}},
		})
	})
}
