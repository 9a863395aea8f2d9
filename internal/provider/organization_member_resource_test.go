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

// memberConfig is an organization with one member, dev, managed by the admin.
func (m *accMock) memberConfig(email, role string) string {
	return m.adminConfig(fmt.Sprintf(`
resource "capgo_organization" "test" {
  name = "Mobile"
}

resource "capgo_organization_member" "dev" {
  organization_id = capgo_organization.test.id
  email           = %q
  role            = %q
}
`, email, role))
}

// onlyOrganizationID is the ID of the one organization the mock holds.
func (m *accMock) onlyOrganizationID() string {
	m.t.Helper()
	orgs := m.State().Organizations
	if len(orgs) != 1 {
		m.t.Fatalf("the server holds %d organizations, want 1", len(orgs))
	}
	return orgs[0].ID
}

// serverMember checks a member as the server holds it: its stored role (with invite_ while
// pending) and pending flag. A nil want means the member must be absent.
func (m *accMock) serverMember(email string, want *mockserver.StateMember) serverCheck {
	return func() error {
		for _, org := range m.State().Organizations {
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

// The whole invitation lifecycle: invited (pending), role changed while pending, accepted outside
// Terraform (no diff), role changed while active, imported in both states.
func TestAccOrganizationMemberLifecycle(t *testing.T) {
	mock := newAccMock(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             mock.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config: mock.memberConfig(mockserver.DevEmail, "write"),
				ConfigStateChecks: []statecheck.StateCheck{
					expectMember("role", knownvalue.StringExact("write")),
					expectMember("status", knownvalue.StringExact("pending")),
					expectMember("email", knownvalue.StringExact(mockserver.DevEmail)),
					expectMember("user_id", knownvalue.NotNull()),
					expectMember("image_url", knownvalue.Null()),
					statecheck.CompareValuePairs(memberAddress, tfjsonpath.New("organization_id"),
						orgAddress, tfjsonpath.New("id"), compareSame),
					mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: "write", Pending: true}),
				},
				ConfigPlanChecks: emptyPlanAfterApply(),
			},
			{
				ResourceName:      memberAddress,
				ImportState:       true,
				ImportStateIdFunc: memberImportID(memberAddress),
				ImportStateVerify: true,
			},
			{
				// A role change while pending: in place, and the invitation stays pending.
				Config:           mock.memberConfig(mockserver.DevEmail, "admin"),
				ConfigPlanChecks: plannedAction(memberAddress, plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					expectMember("role", knownvalue.StringExact("admin")),
					expectMember("status", knownvalue.StringExact("pending")),
					mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: "admin", Pending: true}),
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
			{
				// A role change while active: in place, and the member stays active.
				Config:           mock.memberConfig(mockserver.DevEmail, "read"),
				ConfigPlanChecks: plannedAction(memberAddress, plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					expectMember("role", knownvalue.StringExact("read")),
					expectMember("status", knownvalue.StringExact("active")),
					mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: "read", Pending: false}),
				},
			},
			{
				ResourceName:      memberAddress,
				ImportState:       true,
				ImportStateIdFunc: memberImportID(memberAddress),
				ImportStateVerify: true,
			},
		},
	})
}

func TestAccOrganizationMemberEmailCase(t *testing.T) {
	mock := newAccMock(t)
	mixedCase := "Dev@Example.COM"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             mock.checkDestroyed,
		Steps: []resource.TestStep{
			{
				// The account is dev@example.com; the configuration's spelling is kept, with no diff.
				Config:            mock.memberConfig(mixedCase, "write"),
				ConfigStateChecks: []statecheck.StateCheck{expectMember("email", knownvalue.StringExact(mixedCase))},
				ConfigPlanChecks:  emptyPlanAfterApply(),
			},
			{
				// Only the spelling changes: the same account, so no replacement and nothing sent to Capgo.
				Config:            mock.memberConfig(mockserver.DevEmail, "write"),
				ConfigPlanChecks:  plannedAction(memberAddress, plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: "write", Pending: true})},
			},
			{
				// Another address is another person: the membership is replaced.
				Config:           mock.memberConfig(mockserver.OpsEmail, "write"),
				ConfigPlanChecks: plannedAction(memberAddress, plancheck.ResourceActionReplace),
				ConfigStateChecks: []statecheck.StateCheck{
					mock.serverMember(mockserver.DevEmail, nil),
					mock.serverMember(mockserver.OpsEmail, &mockserver.StateMember{Role: "write", Pending: true}),
				},
			},
		},
	})
}

func TestAccOrganizationMemberRemovedOutsideTerraform(t *testing.T) {
	mock := newAccMock(t)
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
				Config:            config,
				ConfigPlanChecks:  plannedAction(memberAddress, plancheck.ResourceActionCreate),
				ConfigStateChecks: []statecheck.StateCheck{mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: "upload", Pending: true})},
			},
		},
	})
}

func TestAccOrganizationMemberOrganizationDeletedOutsideTerraform(t *testing.T) {
	mock := newAccMock(t)
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
}

// Creating a membership that exists must not change it: the API's add call would change the role.
func TestAccOrganizationMemberCreateExistingFails(t *testing.T) {
	mock := newAccMock(t)
	admin := mock.client(mockserver.AdminAPIKey)
	orgID, err := admin.CreateOrganization(bg, capgo.CreateOrganizationRequest{Name: "Existing"})
	mock.mustDo("create an organization", err)
	_, err = admin.AddMember(bg, capgo.AddMemberRequest{OrganizationID: orgID, Email: mockserver.DevEmail, Role: "read"})
	mock.mustDo("invite dev", err)

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
			ExpectError: regexp.MustCompile(`(?s)Already a member.*invited \(pending\).*"read".*terraform import\s+capgo_organization_member.<name>\s+` +
				regexp.QuoteMeta(orgID+"/DEV@example.com")),
		}},
	})
	// ExpectError steps run no Check: look at the server directly.
	if err := mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: "read", Pending: true})(); err != nil {
		t.Fatal(err)
	}
}

func TestAccOrganizationMemberWithoutAccount(t *testing.T) {
	mock := newAccMock(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             mock.checkDestroyed,
		Steps: []resource.TestStep{{
			Config:      mock.memberConfig("nobody@example.com", "read"),
			ExpectError: regexp.MustCompile(`(?s)No Capgo account.*nobody@example.com.*sign up`),
		}},
	})
}

func TestAccOrganizationMemberRejectsBadInputAtPlan(t *testing.T) {
	mock := newAccMock(t)
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
					Config:      mock.memberConfig(tt.email, tt.role),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tt.want),
				}},
			})
		})
	}
}

func TestAccOrganizationMemberImportRejectsMalformedID(t *testing.T) {
	mock := newAccMock(t)
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
}

// The admin's own membership, imported, can be neither removed nor demoted while nobody else holds
// super_admin.
func TestAccOrganizationMemberLastSuperAdminGuard(t *testing.T) {
	mock := newAccMock(t)
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
	stillSuperAdmin := mock.serverMember(mockserver.AdminEmail, &mockserver.StateMember{Role: "super_admin"})

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
					statecheck.ExpectKnownValue("capgo_organization_member.admin", tfjsonpath.New("status"), knownvalue.StringExact("active")),
				},
				ConfigPlanChecks: emptyPlanAfterApply(),
			},
			{
				Config:      withAdminMembership("admin"),
				ExpectError: regexp.MustCompile(`(?s)Cannot demote the last super_admin.*nothing was changed`),
			},
			{
				Config:      withoutAdminMembership,
				ExpectError: regexp.MustCompile(`(?s)Cannot remove the last super_admin.*Give another member the super_admin role`),
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
}

// Twenty members applied at Terraform's default parallelism of ten.
func TestAccOrganizationMemberMany(t *testing.T) {
	mock := newAccMock(t)
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
				members := mock.State().Organizations[0].Members
				if len(members) != 21 { // the admin and twenty invitees
					return fmt.Errorf("the server holds %d members, want 21", len(members))
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
}

func hclList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
