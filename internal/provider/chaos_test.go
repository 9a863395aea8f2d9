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

// chaosFaults is a hostile API: a fifth of the requests fail without effect (server errors and
// rate limiting), one in twenty is carried out but its answer is lost, and every request is slow.
func chaosFaults(seed int64) mockserver.Faults {
	return mockserver.Faults{
		ErrorRate:         0.2,
		ErrorStatuses:     []int{500, 502, 503, 429},
		RetryAfterSeconds: 1,
		LatencyMS:         5,
		LostResponseRate:  0.05,
		Seed:              seed,
	}
}

// One apply of an organization with 30 members converges under faults with the provider's
// default settings: nothing is duplicated, nothing is missing, and the next plan is empty.
func TestAccChaosApplyConverges(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		for _, seed := range []int64{1, 2, 3} {
			t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
				chaosApplyConverges(t, dialect, seed)
			})
		}
	})
}

// chaosApplyConverges applies the organization and its members against a mock of dialect whose
// faults follow seed, then destroys them.
func chaosApplyConverges(t *testing.T, dialect string, seed int64) {
	mock := newAccMockIn(t, dialect)
	var emails []string
	for i := range 30 {
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
		orgs := mock.State().Organizations
		if len(orgs) != 1 {
			return fmt.Errorf("the server holds %d organizations, want exactly 1", len(orgs))
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
