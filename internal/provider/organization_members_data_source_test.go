package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

func TestAccOrganizationMembersDataSource(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		admin := mock.client(mockserver.AdminAPIKey)
		orgID, err := admin.CreateOrganization(bg, capgo.CreateOrganizationRequest{Name: "Mobile"})
		mock.mustDo("create an organization", err)
		for _, invite := range []capgo.AddMemberRequest{
			{OrganizationID: orgID, Email: mockserver.DevEmail, Role: "write"},
			{OrganizationID: orgID, Email: mockserver.OpsEmail, Role: "admin"},
		} {
			_, err := admin.AddMember(bg, invite)
			mock.mustDo("invite "+invite.Email, err)
		}
		mock.mustDo("accept the invitation", mock.AcceptInvitation(orgID, mockserver.OpsEmail))

		// Roles as the server reports them: the production API has its own names.
		member := func(email, role, status string) knownvalue.Check {
			return knownvalue.ObjectExact(map[string]knownvalue.Check{
				"user_id":   knownvalue.NotNull(),
				"email":     knownvalue.StringExact(email),
				"role":      knownvalue.StringExact(mock.serverRole(role)),
				"status":    knownvalue.StringExact(status),
				"image_url": knownvalue.Null(),
			})
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: mock.adminConfig(`
data "capgo_organization_members" "test" {
  organization_id = "` + orgID + `"
}

output "pending" {
  value = [for m in data.capgo_organization_members.test.members : m.email if m.status == "pending"]
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.capgo_organization_members.test", tfjsonpath.New("members"),
						knownvalue.ListExact([]knownvalue.Check{
							member(mockserver.AdminEmail, "super_admin", "active"),
							member(mockserver.DevEmail, "write", "pending"),
							member(mockserver.OpsEmail, "admin", "active"),
						})),
					statecheck.ExpectKnownOutputValue("pending", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact(mockserver.DevEmail),
					})),
				},
			}},
		})
	})
}

func TestAccOrganizationMembersDataSourceUnknownOrganization(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config:      mock.adminConfig(`data "capgo_organization_members" "test" { organization_id = "missing" }`),
				ExpectError: regexp.MustCompile(`(?s)Organization not found.*"missing"`),
			}},
		})
	})
}
