package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// seedMembers makes an organization of the admin's with dev invited and not yet accepted, and ops
// invited and accepted, as a person in the Capgo console would, and returns its ID.
func seedMembers(mock *accMock) string {
	admin := mock.client(mockserver.AdminAPIKey)
	orgID, err := admin.CreateOrganization(bg, capgo.CreateOrganizationRequest{Name: "Listed members"})
	mock.mustDo("create an organization", err)
	for email, role := range map[string]string{mockserver.DevEmail: "write", mockserver.OpsEmail: "admin"} {
		_, err := admin.AddMember(bg, capgo.AddMemberRequest{OrganizationID: orgID, Email: email, Role: role})
		mock.mustDo("invite "+email, err)
	}
	mock.mustDo("accept the invitation of ops", mock.AcceptInvitation(orgID, mockserver.OpsEmail))
	return orgID
}

// The member list holds pending invitees and accepted members alike, each shown with role and
// status, identified by organization and lower-case email; status narrows it.
func TestAccOrganizationMemberListResource(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		orgID := seedMembers(mock)
		const address = "capgo_organization_member.members"
		member := func(email string) queryfilter.QueryFilter {
			return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{
				"organization_id": knownvalue.StringExact(orgID),
				"email":           knownvalue.StringExact(email),
			})
		}
		display := func(email, role, status string) knownvalue.Check {
			return knownvalue.StringExact(fmt.Sprintf("%s (%s, %s)", email, mock.serverRole(role), status))
		}
		resource.ParallelTest(t, resource.TestCase{
			TerraformVersionChecks:   queryTerraformVersions,
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{Config: mock.adminConfig("")},
				{
					Query: true,
					// The provider block of the first step stays: a query file holds list blocks only.
					Config: fmt.Sprintf(`
list "capgo_organization_member" "members" {
  provider         = capgo
  include_resource = true

  config {
    organization_id = %q
  }
}

list "capgo_organization_member" "pending" {
  provider = capgo

  config {
    organization_id = %q
    status          = "pending"
  }
}
`, orgID, orgID),
					QueryResultChecks: []querycheck.QueryResultCheck{
						querycheck.ExpectLength(address, 3), // the admin, who created it, too
						querycheck.ExpectResourceDisplayName(address, member(mockserver.DevEmail), display(mockserver.DevEmail, "write", statusPending)),
						querycheck.ExpectResourceDisplayName(address, member(mockserver.OpsEmail), display(mockserver.OpsEmail, "admin", statusActive)),
						querycheck.ExpectResourceKnownValues(address, member(mockserver.DevEmail), []querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(memberID(orgID, mockserver.DevEmail))},
							{Path: tfjsonpath.New("role"), KnownValue: knownvalue.StringExact(mock.serverRole("write"))},
							{Path: tfjsonpath.New("status"), KnownValue: knownvalue.StringExact(statusPending)},
							{Path: tfjsonpath.New("reinvite_on_role_change"), KnownValue: knownvalue.Bool(false)},
						}),
						querycheck.ExpectLength("capgo_organization_member.pending", 1),
						querycheck.ExpectIdentity("capgo_organization_member.pending", map[string]knownvalue.Check{
							"organization_id": knownvalue.StringExact(orgID),
							"email":           knownvalue.StringExact(mockserver.DevEmail),
						}),
					},
				},
			},
		})
	})
}
