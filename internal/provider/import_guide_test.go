package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// existingOrganization sets up what a team has before it adopts Terraform: an organization with
// its settings, an accepted member and a pending invitation.
func (m *accMock) existingOrganization() string {
	m.t.Helper()
	admin := m.client(mockserver.AdminAPIKey)
	orgID, err := admin.CreateOrganization(bg, capgo.CreateOrganizationRequest{Name: "Existing"})
	m.mustDo("create an organization", err)
	_, err = admin.UpdateOrganization(bg, capgo.UpdateOrganizationRequest{
		ID: orgID, ManagementEmail: stringPointer("billing@example.com"), Logo: stringPointer("https://example.com/logo.png"),
	})
	m.mustDo("set up the organization", err)
	for _, invite := range []capgo.AddMemberRequest{
		{OrganizationID: orgID, Email: mockserver.DevEmail, Role: "write"},
		{OrganizationID: orgID, Email: mockserver.OpsEmail, Role: "admin"},
	} {
		_, err := admin.AddMember(bg, invite)
		m.mustDo("invite "+invite.Email, err)
	}
	m.mustDo("accept an invitation", m.AcceptInvitation(orgID, mockserver.OpsEmail))
	return orgID
}

// The "Importing existing organizations" guide: `terraform plan -generate-config-out` writes a
// configuration that plans with no changes, for an organization and for members in both states.
func TestAccImportGeneratedConfigurationPlansEmpty(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		mock := newAccMockIn(t, dialect)
		orgID := mock.existingOrganization()
		imports := map[string]string{
			"capgo_organization.existing":       orgID,
			"capgo_organization_member.pending": orgID + "/" + mockserver.DevEmail,
			"capgo_organization_member.active":  orgID + "/" + mockserver.OpsEmail,
		}
		for address, id := range imports {
			t.Run(address, func(t *testing.T) {
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
					Steps: []resource.TestStep{{
						Config:          mock.adminConfig(""),
						ResourceName:    address,
						ImportState:     true,
						ImportStateKind: resource.ImportBlockWithID,
						ImportStateId:   id,
						// The plan of the generated configuration must be a no-op import; the step fails
						// otherwise.
						GenerateConfig: true,
					}},
				})
			})
		}
	})
}

// The guide's pattern for adopting every member at once: import blocks with for_each over the
// capgo_organization_members data source.
func TestAccImportEveryMemberWithForEach(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		orgID := mock.existingOrganization()
		adopt := fmt.Sprintf(`
locals {
  organization_id = %q
}

data "capgo_organization_members" "existing" {
  organization_id = local.organization_id
}

locals {
  roles = { for m in data.capgo_organization_members.existing.members : m.email => m.role }
}

import {
  for_each = local.roles
  to       = capgo_organization_member.all[each.key]
  id       = "${local.organization_id}/${each.key}"
}

resource "capgo_organization_member" "all" {
  for_each        = local.roles
  organization_id = local.organization_id
  email           = each.key
  role            = each.value
}
`, orgID)
		member := func(email string) string { return `capgo_organization_member.all["` + email + `"]` }
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					Config: mock.adminConfig(adopt),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(member(mockserver.AdminEmail), plancheck.ResourceActionNoop),
							plancheck.ExpectResourceAction(member(mockserver.DevEmail), plancheck.ResourceActionNoop),
							plancheck.ExpectResourceAction(member(mockserver.OpsEmail), plancheck.ResourceActionNoop),
						},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						// The roles as the server names them, which the data source passes on.
						statecheck.ExpectKnownValue(member(mockserver.DevEmail), tfjsonpath.New("role"),
							knownvalue.StringExact(mock.serverRole("write"))),
						statecheck.ExpectKnownValue(member(mockserver.DevEmail), tfjsonpath.New("status"),
							knownvalue.StringExact("pending")),
						statecheck.ExpectKnownValue(member(mockserver.OpsEmail), tfjsonpath.New("role"),
							knownvalue.StringExact(mock.serverRole("admin"))),
						statecheck.ExpectKnownValue(member(mockserver.OpsEmail), tfjsonpath.New("status"),
							knownvalue.StringExact("active")),
					},
				},
				{
					// Hand the memberships back without touching them: the test framework cannot destroy
					// for_each instances, and the admin's own membership must stay.
					Config: mock.adminConfig(`
removed {
  from = capgo_organization_member.all
  lifecycle {
    destroy = false
  }
}
`),
					ConfigStateChecks: []statecheck.StateCheck{
						mock.serverMember(mockserver.AdminEmail, &mockserver.StateMember{Role: mock.serverRole("super_admin")}),
						mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: mock.serverRole("write"), Pending: true}),
						mock.serverMember(mockserver.OpsEmail, &mockserver.StateMember{Role: mock.serverRole("admin")}),
					},
				},
			},
		})
	})
}
