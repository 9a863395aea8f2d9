package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// The membership list has one membership per organization the key's user can see, identified by
// the organization; named, one organization's, with every member, pending invitees included, as
// the server names their roles.
func TestAccOrganizationMembersListResource(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		orgID := seedMembers(mock)
		organizations, err := mock.client(mockserver.AdminAPIKey).ListOrganizations(bg)
		mock.mustDo("list the organizations", err)
		const named, all = "capgo_organization_members.named", "capgo_organization_members.all"
		ofOrganization := queryfilter.ByResourceIdentity(map[string]knownvalue.Check{
			"organization_id": knownvalue.StringExact(orgID),
		})
		member := func(email, attribute string) tfjsonpath.Path {
			return tfjsonpath.New("members").AtMapKey(email).AtMapKey(attribute)
		}
		resource.ParallelTest(t, resource.TestCase{
			TerraformVersionChecks:   queryTerraformVersions,
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{Config: mock.adminConfig("")},
				{
					Query: true,
					Config: fmt.Sprintf(`
list "capgo_organization_members" "named" {
  provider         = capgo
  include_resource = true

  config {
    organization_id = %q
  }
}

list "capgo_organization_members" "all" {
  provider = capgo
}
`, orgID),
					QueryResultChecks: []querycheck.QueryResultCheck{
						querycheck.ExpectLength(named, 1),
						querycheck.ExpectResourceDisplayName(named, ofOrganization, knownvalue.StringExact("Members of Listed members")),
						querycheck.ExpectResourceKnownValues(named, ofOrganization, []querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("organization_id"), KnownValue: knownvalue.StringExact(orgID)},
							{Path: tfjsonpath.New("members"), KnownValue: knownvalue.MapSizeExact(3)},
							{Path: member(mockserver.DevEmail, "role"), KnownValue: knownvalue.StringExact(mock.serverRole("write"))},
							{Path: member(mockserver.DevEmail, "status"), KnownValue: knownvalue.StringExact(statusPending)},
							{Path: member(mockserver.OpsEmail, "status"), KnownValue: knownvalue.StringExact(statusActive)},
							{Path: member(mockserver.AdminEmail, "role"), KnownValue: knownvalue.StringExact(mock.serverRole("super_admin"))},
							{Path: tfjsonpath.New("reinvite_on_role_change"), KnownValue: knownvalue.Bool(false)},
						}),
						querycheck.ExpectLength(all, len(organizations)),
						querycheck.ExpectIdentity(all, map[string]knownvalue.Check{"organization_id": knownvalue.StringExact(orgID)}),
					},
				},
			},
		})
	})
}
