package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// unknownKeyConfig takes the API key from a terraform_data resource, replaced whenever round
// changes: its output, and so the provider's api_key, is then unknown during the plan.
func (m *accMock) unknownKeyConfig(round int, extra string) string {
	return fmt.Sprintf(`
resource "terraform_data" "key" {
  input            = %q
  triggers_replace = %d
}

provider "capgo" {
  api_url = %q
  api_key = terraform_data.key.output
}

resource "capgo_organization" "test" {
  name = "Mobile"
}
%s`, mockserver.AdminAPIKey, round, m.URL, extra)
}

// A provider setting known only at apply must not crash the plan: resources in state keep their
// state (nothing can be refreshed yet), and data sources, which must answer during the plan, say
// which setting they wait for. What happens while a setting is unknown happens before any request,
// whatever the API, so the test runs once.
func TestAccProviderSettingKnownOnlyAtApply(t *testing.T) {
	mock := newAccMockIn(t, mockserver.DialectDocs)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             mock.checkDestroyed,
		Steps: []resource.TestStep{
			{
				// The organization is created once the key is known, in the apply.
				Config:           mock.unknownKeyConfig(1, ""),
				ConfigPlanChecks: plannedAction(orgAddress, plancheck.ResourceActionCreate),
			},
			{
				// The organization is in state and the key is unknown again: the refresh used to
				// dereference a nil client.
				Config: mock.unknownKeyConfig(2, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(orgAddress, plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction("terraform_data.key", plancheck.ResourceActionReplace),
					},
				},
			},
			{
				Config:      mock.unknownKeyConfig(3, `data "capgo_organizations" "all" {}`),
				ExpectError: regexp.MustCompile(`(?s)Capgo provider not configured yet.*api_key of the capgo provider\s+is\s+not\s+known\s+until\s+apply`),
			},
			{
				Config: mock.unknownKeyConfig(3, ""),
			},
		},
	})
}
