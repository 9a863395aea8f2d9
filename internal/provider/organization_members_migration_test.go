package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// The migration the members guide describes: per-member resources let go with removed blocks,
// and the whole membership imported by the organization's ID, listing the same people. Nothing is
// sent to Capgo, and the next plan is empty.
func TestAccOrganizationMembersMigration(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		perMember := mock.adminConfig(`
resource "capgo_organization" "test" {
  name = "Mobile"
}

resource "capgo_organization_member" "team" {
  for_each        = { "` + mockserver.DevEmail + `" = "write", "` + mockserver.OpsEmail + `" = "admin" }
  organization_id = capgo_organization.test.id
  email           = each.key
  role            = each.value
}
`)
		// An import holds the roles as the server names them: listing them so leaves nothing to do.
		whole := map[string]string{
			mockserver.AdminEmail: mock.serverRole("super_admin"),
			mockserver.DevEmail:   mock.serverRole("write"),
			mockserver.OpsEmail:   mock.serverRole("admin"),
		}
		migrated := mock.adminConfig(membersResources(whole, "") + `
removed {
  from = capgo_organization_member.team

  lifecycle {
    destroy = false
  }
}

import {
  to = capgo_organization_members.team
  id = capgo_organization.test.id
}
`)
		var writes int64
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{
				{Config: perMember},
				{
					PreConfig: func() { writes = mock.memberWrites() },
					Config:    migrated,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(membersAddress, plancheck.ResourceActionNoop),
							plancheck.ExpectResourceAction("capgo_organization.test", plancheck.ResourceActionNoop),
						},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						mock.writesUnchangedSince(&writes),
						mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: mock.serverRole("write"), Pending: true}),
						mock.serverMember(mockserver.OpsEmail, &mockserver.StateMember{Role: mock.serverRole("admin"), Pending: true}),
						serverCheck(func() error {
							if n := len(mock.createdOrganizations()[0].Members); n != len(whole) {
								return fmt.Errorf("the server holds %d members, want %d", n, len(whole))
							}
							return nil
						}),
					},
				},
			},
		})
	})
}
