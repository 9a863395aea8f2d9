package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// A replacement asked for with a taint goes through on both member resources: the destroy keeps the
// API key's user, and the create invites the others again, who are then pending, as the -/+ of the
// plan says. The plan after it is empty.
func TestAccMembershipsReplacedAfterTaint(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		t.Run("whole membership", func(t *testing.T) { replaceMembershipAfterTaint(t, dialect) })
		t.Run("one member", func(t *testing.T) { replaceMemberAfterTaint(t, dialect) })
	})
}

func replaceMembershipAfterTaint(t *testing.T, dialect string) {
	mock := newAccMockIn(t, dialect)
	team := mock.membersConfig(teamOf(mockserver.DevEmail, "write"))
	invitedAgain := &mockserver.StateMember{Role: mock.serverRole("write"), Pending: true}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             mock.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: team},
			{
				PreConfig:        mock.acceptInvitation(mockserver.DevEmail),
				Config:           team,
				Taint:            []string{membersAddress},
				ConfigPlanChecks: plannedAction(membersAddress, plancheck.ResourceActionDestroyBeforeCreate),
				ConfigStateChecks: []statecheck.StateCheck{
					mock.serverMember(mockserver.DevEmail, invitedAgain),
					mock.serverMember(mockserver.AdminEmail, &mockserver.StateMember{Role: mock.serverRole("super_admin")}),
				},
			},
		},
	})
}

func replaceMemberAfterTaint(t *testing.T, dialect string) {
	single := newAccMockIn(t, dialect)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             single.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: single.memberConfig(mockserver.OpsEmail, "read")},
			{
				PreConfig:        single.acceptInvitation(mockserver.OpsEmail),
				Config:           single.memberConfig(mockserver.OpsEmail, "read"),
				Taint:            []string{memberAddress},
				ConfigPlanChecks: plannedAction(memberAddress, plancheck.ResourceActionDestroyBeforeCreate),
				ConfigStateChecks: []statecheck.StateCheck{
					single.serverMember(mockserver.OpsEmail, &mockserver.StateMember{Role: single.serverRole("read"), Pending: true}),
				},
			},
		},
	})
}
