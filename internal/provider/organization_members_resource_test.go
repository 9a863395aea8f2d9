package provider

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

const membersAddress = "capgo_organization_members.team"

// membersConfig is an organization whose whole membership is roles (email to role), managed by
// the admin.
func (m *accMock) membersConfig(roles map[string]string) string {
	return m.adminConfig(membersResources(roles, ""))
}

// membersResources are the organization and its membership, roles, with extra lines (further
// arguments) in the membership's block.
func membersResources(roles map[string]string, extra string) string {
	emails := make([]string, 0, len(roles))
	for email := range roles {
		emails = append(emails, email)
	}
	slices.Sort(emails)
	var entries strings.Builder
	for _, email := range emails {
		fmt.Fprintf(&entries, "    %q = { role = %q }\n", email, roles[email])
	}
	return fmt.Sprintf(`
resource "capgo_organization" "test" {
  name = "Mobile"
}

resource "capgo_organization_members" "team" {
  organization_id = capgo_organization.test.id
  members = {
%s  }
%s}
`, entries.String(), extra)
}

func expectTeamMember(email, attribute string, value knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(membersAddress, tfjsonpath.New("members").AtMapKey(email).AtMapKey(attribute), value)
}

// teamOf is the admin, who created the organization, and dev with role.
func teamOf(devEmail, role string) map[string]string {
	return map[string]string{mockserver.AdminEmail: "super_admin", devEmail: role}
}

// writesUnchangedSince checks that no member was invited, changed or removed since *before.
func (m *accMock) writesUnchangedSince(before *int64) serverCheck {
	return func() error {
		if now := m.memberWrites(); now != *before {
			return fmt.Errorf("%d member writes were sent, want none", now-*before)
		}
		return nil
	}
}

// The whole membership, changed in and outside Terraform: invitations, acceptance, members added
// and removed in the console, a pending member's role, an email's case.
func TestAccOrganizationMembersLifecycle(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		admin := mock.client(mockserver.AdminAPIKey)
		var writes int64
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{
				{
					Config: mock.membersConfig(teamOf(mockserver.DevEmail, "write")),
					ConfigStateChecks: []statecheck.StateCheck{
						expectTeamMember(mockserver.DevEmail, "role", knownvalue.StringExact("write")),
						expectTeamMember(mockserver.DevEmail, "status", knownvalue.StringExact("pending")),
						expectTeamMember(mockserver.DevEmail, "user_id", knownvalue.NotNull()),
						expectTeamMember(mockserver.AdminEmail, "status", knownvalue.StringExact("active")),
						mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: mock.serverRole("write"), Pending: true}),
					},
					ConfigPlanChecks: emptyPlanAfterApply(),
				},
				{
					// Accepted in the console: no diff, only the status moves on.
					PreConfig: mock.acceptInvitation(mockserver.DevEmail),
					Config:    mock.membersConfig(teamOf(mockserver.DevEmail, "write")),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						expectTeamMember(mockserver.DevEmail, "status", knownvalue.StringExact("active")),
					},
				},
				{
					// Added in the console: the plan removes them.
					PreConfig: func() {
						_, err := admin.AddMember(bg, capgo.AddMemberRequest{OrganizationID: mock.onlyOrganizationID(),
							Email: mockserver.OpsEmail, Role: mock.serverRole("read")})
						mock.mustDo("invite ops", err)
					},
					Config:           mock.membersConfig(teamOf(mockserver.DevEmail, "write")),
					ConfigPlanChecks: plannedAction(membersAddress, plancheck.ResourceActionUpdate),
					ConfigStateChecks: []statecheck.StateCheck{
						mock.serverMember(mockserver.OpsEmail, nil),
						statecheck.ExpectKnownValue(membersAddress, tfjsonpath.New("members"), knownvalue.MapSizeExact(2)),
					},
				},
				{
					// Removed in the console: the plan invites them again.
					PreConfig: func() {
						mock.mustDo("remove dev", admin.RemoveMember(bg, mock.onlyOrganizationID(), mockserver.DevEmail))
					},
					Config:           mock.membersConfig(teamOf(mockserver.DevEmail, "write")),
					ConfigPlanChecks: plannedAction(membersAddress, plancheck.ResourceActionUpdate),
					ConfigStateChecks: []statecheck.StateCheck{
						expectTeamMember(mockserver.DevEmail, "status", knownvalue.StringExact("pending")),
						mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: mock.serverRole("write"), Pending: true}),
					},
				},
				{
					// A pending member's role changes; the invitation stays pending.
					Config:           mock.membersConfig(teamOf(mockserver.DevEmail, "admin")),
					ConfigPlanChecks: plannedAction(membersAddress, plancheck.ResourceActionUpdate),
					ConfigStateChecks: []statecheck.StateCheck{
						expectTeamMember(mockserver.DevEmail, "role", knownvalue.StringExact("admin")),
						expectTeamMember(mockserver.DevEmail, "status", knownvalue.StringExact("pending")),
						mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: mock.serverRole("admin"), Pending: true}),
					},
				},
				{
					// The same email in other letter case is the same member: nothing is sent, and the
					// configured spelling is kept.
					PreConfig: func() { writes = mock.memberWrites() },
					Config:    mock.membersConfig(teamOf(strings.ToUpper(mockserver.DevEmail), "admin")),
					ConfigStateChecks: []statecheck.StateCheck{
						expectTeamMember(strings.ToUpper(mockserver.DevEmail), "role", knownvalue.StringExact("admin")),
						mock.writesUnchangedSince(&writes),
					},
					ConfigPlanChecks: emptyPlanAfterApply(),
				},
			},
		})
	})
}

// An import holds the members as the server names them; a configuration that names them so has
// an empty plan. An import of an organization that is not there says so.
func TestAccOrganizationMembersImport(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		config := mock.membersConfig(map[string]string{
			mockserver.AdminEmail: mock.serverRole("super_admin"),
			mockserver.DevEmail:   mock.serverRole("upload"),
		})
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{
				{Config: config},
				{
					// An organization that is not there is named, rather than Terraform's generic
					// "non-existent remote object".
					ResourceName:  membersAddress,
					ImportState:   true,
					ImportStateId: "0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b",
					ExpectError:   regexp.MustCompile(`(?s)Cannot import: organization not found.*0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b`),
				},
				{
					ResourceName: membersAddress,
					ImportState:  true,
					// The imported state is the state the configuration left, whose plan is empty.
					ImportStateVerify: true,
				},
				{
					Config: config,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
				},
			},
		})
	})
}

// The API key's own user and the last accepted super_admin stay: a plan without them is refused
// before anything is sent.
func TestAccOrganizationMembersGuardRails(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		var writes int64
		nothingSent := regexp.MustCompile(`Nothing\s+was\s+changed`)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{
				{Config: mock.membersConfig(teamOf(mockserver.DevEmail, "read"))},
				{
					PreConfig:   func() { writes = mock.memberWrites() },
					Config:      mock.membersConfig(map[string]string{mockserver.DevEmail: "read"}),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`(?s)must keep an accepted super_admin.*` + nothingSent.String()),
				},
				{
					Config:      mock.membersConfig(map[string]string{mockserver.AdminEmail: "read", mockserver.DevEmail: "super_admin"}),
					PlanOnly:    true,
					ExpectError: nothingSent,
				},
				{
					// Nothing was sent by the refused plans.
					PreConfig: func() {
						if err := mock.writesUnchangedSince(&writes)(); err != nil {
							t.Fatal(err)
						}
					},
					Config: mock.membersConfig(teamOf(mockserver.DevEmail, "read")),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
				},
			},
		})
	})
}

// People write emails in any case, and accounts are nearly always lower case: an invitation
// written with capitals reaches the account in either API, and the spelling written is kept.
func TestAccOrganizationMembersMixedCaseEmails(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		const written = "Dev@Example.COM"
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{{
				Config: mock.membersConfig(teamOf(written, "write")),
				ConfigStateChecks: []statecheck.StateCheck{
					expectTeamMember(written, "status", knownvalue.StringExact("pending")),
					mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: mock.serverRole("write"), Pending: true}),
				},
				ConfigPlanChecks: emptyPlanAfterApply(),
			}},
		})
	})
}
