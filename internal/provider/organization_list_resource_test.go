package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// The organization list holds every organization the key sees, named as people know them, with
// the identity to import each by and, on request, the state an import reads.
func TestAccOrganizationListResource(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		admin := mock.client(mockserver.AdminAPIKey)
		listed := map[string]string{}
		for _, name := range []string{"Listed one", "Listed two"} {
			id, err := admin.CreateOrganization(bg, capgo.CreateOrganizationRequest{Name: name})
			mock.mustDo("create "+name, err)
			listed[name] = id
		}
		visible, err := admin.ListOrganizations(bg)
		mock.mustDo("list the organizations", err)

		checks := []querycheck.QueryResultCheck{querycheck.ExpectLength("capgo_organization.all", len(visible))}
		for name, id := range listed {
			byID := queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
			checks = append(checks,
				querycheck.ExpectIdentity("capgo_organization.all", map[string]knownvalue.Check{"id": knownvalue.StringExact(id)}),
				querycheck.ExpectResourceDisplayName("capgo_organization.all", byID, knownvalue.StringExact(name)),
				querycheck.ExpectResourceKnownValues("capgo_organization.all", byID, []querycheck.KnownValueCheck{
					{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact(name)},
					{Path: tfjsonpath.New("management_email"), KnownValue: knownvalue.StringExact(mockserver.AdminEmail)},
				}),
			)
		}
		resource.ParallelTest(t, resource.TestCase{
			TerraformVersionChecks:   queryTerraformVersions,
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{Config: mock.adminConfig("")},
				{
					Query: true,
					// The provider block of the first step stays: a query file holds list blocks only.
					Config: `
list "capgo_organization" "all" {
  provider         = capgo
  include_resource = true
}
`,
					QueryResultChecks: checks,
				},
			},
		})
	})
}
