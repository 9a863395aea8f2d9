package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// chaosFaults is a hostile API: three requests in ten fail without effect (server errors and
// rate limiting), one in twelve is carried out but its answer is lost, and every request is slow.
func chaosFaults(seed int64) mockserver.Faults {
	return mockserver.Faults{
		ErrorRate:         0.3,
		ErrorStatuses:     []int{500, 502, 503, 429},
		RetryAfterSeconds: 1,
		LatencyMS:         5,
		LostResponseRate:  0.08,
		Seed:              seed,
	}
}

// chaosMembers is how many members the organization gets: enough requests that every kind of
// fault occurs many times in one apply.
const chaosMembers = 40

// chaosMinFaults is the fewest faults an apply must have met for the test to count: a mock that
// injected fewer would make the test pass without proving anything.
const chaosMinFaults = 20

// One apply of an organization with many members converges under faults with the provider's
// default settings: nothing is duplicated, nothing is missing, and the next plan is empty.
func TestAccChaosApplyConverges(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		chaosApplyConverges(t, dialect, byDialect[int64](dialect, 1, 2))
	})
}

// chaosApplyConverges applies the organization and its members against a mock of dialect whose
// faults follow seed, then destroys them.
func chaosApplyConverges(t *testing.T, dialect string, seed int64) {
	mock := newAccMockIn(t, dialect)
	var emails []string
	for i := range chaosMembers {
		emails = append(emails, mock.CreateUser(fmt.Sprintf("chaos%02d@example.com", i)).Email)
	}
	config := mock.adminConfig(fmt.Sprintf(`
resource "capgo_organization" "test" {
  name             = "Chaos"
  management_email = "billing@example.com"
}

resource "capgo_organization_member" "team" {
  for_each        = toset(%s)
  organization_id = capgo_organization.test.id
  email           = each.value
  role            = "write"
}
`, hclList(emails)))

	var started time.Time
	holdsEverything := serverCheck(func() error {
		orgs := mock.createdOrganizations()
		if len(orgs) != 1 {
			return fmt.Errorf("the server holds %d organizations besides the seeded ones, want exactly 1", len(orgs))
		}
		if orgs[0].ManagementEmail != "billing@example.com" {
			return fmt.Errorf("management_email = %q, want the configured one", orgs[0].ManagementEmail)
		}
		got := map[string]bool{}
		for _, m := range orgs[0].Members {
			got[m.Email] = m.Role == mock.serverRole("write") && m.Pending
		}
		for _, email := range emails {
			if !got[email] {
				return fmt.Errorf("%s is missing or has the wrong role", email)
			}
		}
		if len(orgs[0].Members) != len(emails)+1 {
			return fmt.Errorf("the server holds %d members, want %d", len(orgs[0].Members), len(emails)+1)
		}
		stats := mock.Stats()
		if stats.FaultsInjected < chaosMinFaults {
			return fmt.Errorf("the mock injected %d faults in %d requests, want at least %d: the apply was not hostile enough to prove anything",
				stats.FaultsInjected, stats.RequestsTotal, chaosMinFaults)
		}
		t.Logf("%s, seed %d: apply and plans took %s; %d API requests, %d faults injected",
			dialect, seed, time.Since(started).Round(time.Millisecond), stats.RequestsTotal, stats.FaultsInjected)
		return nil
	})

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					mock.SetFaults(chaosFaults(seed))
					started = time.Now()
				},
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{holdsEverything},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// Destroying converges too; this step also stands in for the final destroy,
				// which the test framework cannot do for for_each instances.
				Config:            mock.adminConfig(""),
				ConfigStateChecks: []statecheck.StateCheck{serverCheck(func() error { return mock.checkDestroyed(nil) })},
			},
		},
	})
}
