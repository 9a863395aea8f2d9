package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

func TestAccOrganizationDataSources(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		// An organization the admin cannot see: it must not be listed.
		_, err := mock.client(mockserver.DevAPIKey).CreateOrganization(bg, capgo.CreateOrganizationRequest{Name: "Dev's own"})
		mock.mustDo("create another user's organization", err)

		config := mock.adminConfig(`
resource "capgo_organization" "test" {
  name             = "Mobile"
  management_email = "billing@example.com"
  logo             = "https://example.com/logo.png"
  website          = "https://example.com"
}

data "capgo_organization" "test" {
  id = capgo_organization.test.id
}

data "capgo_organizations" "all" {
  depends_on = [capgo_organization.test]
}
`)
		sameAsResource := func(attribute string) statecheck.StateCheck {
			return statecheck.CompareValuePairs(
				orgAddress, tfjsonpath.New(attribute),
				"data.capgo_organization.test", tfjsonpath.New(attribute),
				compare.ValuesSame(),
			)
		}
		// The data sources report what the server holds: the production API stores the website,
		// normalised as a URL serialises, the documented API has none (the resource keeps it in its
		// state only).
		website := byDialect[knownvalue.Check](dialect, knownvalue.Null(), knownvalue.StringExact("https://example.com/"))
		// The list holds the admin's organizations, in the order the mock lists them: oldest first,
		// those it was seeded with (in the production API, its own) before the one created here.
		var listed []knownvalue.Check
		for _, org := range mock.adminsSeededOrganizations() {
			listed = append(listed, knownvalue.ObjectPartial(map[string]knownvalue.Check{
				"id":   knownvalue.StringExact(org.ID),
				"name": knownvalue.StringExact(org.Name),
			}))
		}
		created := len(listed)
		listed = append(listed, knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"name":             knownvalue.StringExact("Mobile"),
			"management_email": knownvalue.StringExact("billing@example.com"),
			"logo":             knownvalue.StringExact("https://example.com/logo.png"),
			"website":          website,
			"customer_id":      noBillingYet(dialect),
		}))
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					sameAsResource("id"),
					sameAsResource("name"),
					sameAsResource("management_email"),
					sameAsResource("logo"),
					sameAsResource("created_by"),
					sameAsResource("created_at"),
					sameAsResource("customer_id"),
					expectOrg("website", knownvalue.StringExact("https://example.com")),
					statecheck.ExpectKnownValue("data.capgo_organization.test", tfjsonpath.New("website"), website),
					statecheck.ExpectKnownValue("data.capgo_organizations.all", tfjsonpath.New("organizations"),
						knownvalue.ListExact(listed)),
					statecheck.CompareValuePairs(
						orgAddress, tfjsonpath.New("id"),
						"data.capgo_organizations.all", tfjsonpath.New("organizations").AtSliceIndex(created).AtMapKey("id"),
						compare.ValuesSame(),
					),
				},
			}},
		})
	})
}

func TestAccOrganizationDataSourceUnknownID(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config:      mock.adminConfig(`data "capgo_organization" "test" { id = "no-such-organization" }`),
				ExpectError: regexp.MustCompile(`(?s)Organization not found.*"no-such-organization"`),
			}},
		})
	})
}
