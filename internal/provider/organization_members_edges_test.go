package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// Against Capgo's production API an accepted member's role changes only by removing and
// re-inviting them: refused at plan time unless reinvite_on_role_change allows it, and then done,
// leaving them pending until they accept again.
func TestAccOrganizationMembersAcceptedRoleChangeReinvites(t *testing.T) {
	mock := newAccMockIn(t, mockserver.DialectRBAC)
	var writes int64
	reinviting := func(role string) string {
		return mock.adminConfig(membersResources(teamOf(mockserver.DevEmail, role), "  reinvite_on_role_change = true\n"))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             mock.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: mock.membersConfig(teamOf(mockserver.DevEmail, "write"))},
			{
				PreConfig: func() {
					mock.acceptInvitation(mockserver.DevEmail)()
					writes = mock.memberWrites()
				},
				Config:      mock.membersConfig(teamOf(mockserver.DevEmail, "admin")),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Role change needs a new invitation.*reinvite_on_role_change\s+=\s+true`),
			},
			{
				// Nothing was sent by the refused plan; with the flag the member is re-invited.
				PreConfig: func() {
					if err := mock.writesUnchangedSince(&writes)(); err != nil {
						t.Fatal(err)
					}
				},
				Config:           reinviting("admin"),
				ConfigPlanChecks: plannedAction(membersAddress, plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					expectTeamMember(mockserver.DevEmail, "role", knownvalue.StringExact("admin")),
					expectTeamMember(mockserver.DevEmail, "status", knownvalue.StringExact("pending")),
					mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: "org_admin", Pending: true}),
				},
			},
			{
				Config: reinviting("admin"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// Destroying the membership removes the listed members but keeps the API key's own user, here
// also the organization's only accepted super_admin, and says so.
func TestAccOrganizationMembersDestroyKeepsAdmin(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		organizationOnly := mock.adminConfig(`
resource "capgo_organization" "test" {
  name = "Mobile"
}
`)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{
				{Config: mock.membersConfig(teamOf(mockserver.DevEmail, "write"))},
				{
					Config: organizationOnly,
					ConfigStateChecks: []statecheck.StateCheck{
						mock.serverMember(mockserver.DevEmail, nil),
						mock.serverMember(mockserver.AdminEmail, &mockserver.StateMember{Role: mock.serverRole("super_admin")}),
					},
				},
			},
		})
	})
}

// Two keys for one email, differing only in case, are refused before anything is sent.
func TestAccOrganizationMembersDuplicateEmail(t *testing.T) {
	beforeAnyRequest(t, func(t *testing.T, mock *accMock) {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					Config: mock.membersConfig(map[string]string{
						mockserver.AdminEmail:                "super_admin",
						mockserver.DevEmail:                  "write",
						strings.ToUpper(mockserver.DevEmail): "read",
					}),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`(?s)Duplicate member.*the\s+same\s+Capgo\s+account`),
				},
			},
		})
	})
}

// membershipFaults fail one request in five without effect and lose the answer of one in ten
// that are carried out, every request a little slow: writes fail, succeed late, or succeed
// unanswered, while others are under way. Heavier faults make chains of failed attempts whose
// backoff, not the provider, sets the test's time.
func membershipFaults(seed int64) mockserver.Faults {
	return mockserver.Faults{
		ErrorRate:        0.2,
		ErrorStatuses:    []int{500, 502, 503},
		LostResponseRate: 0.1,
		LatencyMS:        5, // so that the parallel writes overlap
		Seed:             seed,
	}
}

// membershipMinFaults is the fewest faults the failed apply must have met for the test to count.
const membershipMinFaults = 10

// A partly failed apply leaves in state exactly the membership the server holds, and the next plan
// shows only what is left to do. One invitee has no Capgo account, so the apply fails whatever
// the faults spare; the faults make the other writes fail, succeed late, or succeed unanswered.
func TestAccOrganizationMembersPartialFailure(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		team := map[string]string{mockserver.AdminEmail: "super_admin"}
		for i := range 30 {
			team[mock.CreateUser(fmt.Sprintf("member%02d@example.com", i)).Email] = "write"
		}
		withStranger := map[string]string{"no-account@example.com": "write"}
		for email, role := range team {
			withStranger[email] = role
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{
				{Config: mock.membersConfig(teamOf(mockserver.DevEmail, "write"))},
				{
					PreConfig:   func() { mock.SetFaults(membershipFaults(byDialect[int64](dialect, 3, 4))) },
					Config:      mock.membersConfig(withStranger),
					ExpectError: regexp.MustCompile(`Some membership changes failed`),
				},
				{
					// The plan without a refresh compares the state the failed apply left with the
					// server; the refreshed one still has the rest to do.
					PreConfig: func() {
						stats := mock.Stats()
						if stats.FaultsInjected < membershipMinFaults {
							t.Errorf("the mock injected %d faults in %d requests, want at least %d: the apply was not hostile enough to prove anything",
								stats.FaultsInjected, stats.RequestsTotal, membershipMinFaults)
						}
						t.Logf("%s: %d faults injected in %d requests", dialect, stats.FaultsInjected, stats.RequestsTotal)
						mock.SetFaults(mockserver.Faults{})
					},
					Config:             mock.membersConfig(withStranger),
					PlanOnly:           true,
					ExpectNonEmptyPlan: true,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PostApplyPreRefresh:  []plancheck.PlanCheck{mock.priorStateMatchesServer()},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(membersAddress, plancheck.ResourceActionUpdate)},
					},
				},
				{
					Config: mock.membersConfig(team),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(membersAddress, tfjsonpath.New("members"), knownvalue.MapSizeExact(len(team))),
						mock.serverMember(mockserver.DevEmail, nil),
					},
					ConfigPlanChecks: emptyPlanAfterApply(),
				},
			},
		})
	})
}

// priorStateMatchesServer checks that the members in the plan's prior state are exactly those the
// server holds in the test's organization, with the same pending status.
func (m *accMock) priorStateMatchesServer() plancheck.PlanCheck {
	return planCheckFunc(func(req plancheck.CheckPlanRequest) error {
		if req.Plan.PriorState == nil || req.Plan.PriorState.Values == nil {
			return fmt.Errorf("the plan has no prior state")
		}
		var members map[string]any
		for _, r := range req.Plan.PriorState.Values.RootModule.Resources {
			if r.Address == membersAddress {
				members, _ = r.AttributeValues["members"].(map[string]any)
			}
		}
		held := map[string]bool{} // email, lower case, to pending
		for _, member := range m.createdOrganizations()[0].Members {
			held[strings.ToLower(member.Email)] = member.Pending
		}
		if len(members) != len(held) {
			return fmt.Errorf("state holds %d members, the server %d", len(members), len(held))
		}
		for email, value := range members {
			entry, _ := value.(map[string]any)
			pending, onServer := held[strings.ToLower(email)]
			if !onServer {
				return fmt.Errorf("state holds %s, whom the server does not", email)
			}
			if want := map[bool]string{true: "pending", false: "active"}[pending]; entry["status"] != want {
				return fmt.Errorf("state holds %s as %v, the server as %s", email, entry["status"], want)
			}
		}
		return nil
	})
}

// planCheckFunc makes a function a plan check.
type planCheckFunc func(plancheck.CheckPlanRequest) error

func (f planCheckFunc) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f(req)
}
