package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// The membership's identity is its organization, from the create on, and an import block naming
// the identity Terraform stored finds the same membership and plans no change.
func TestAccOrganizationMembersIdentity(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		// An import holds the roles as the server names them.
		asImported := mock.membersConfig(map[string]string{
			mockserver.AdminEmail: mock.serverRole("super_admin"),
			mockserver.DevEmail:   mock.serverRole("upload"),
		})
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			TerraformVersionChecks:   identityCLIs,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{
				{
					Config: asImported,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectIdentity(membersAddress, map[string]knownvalue.Check{"organization_id": knownvalue.NotNull()}),
						statecheck.ExpectIdentityValueMatchesStateAtPath(membersAddress,
							tfjsonpath.New("organization_id"), tfjsonpath.New("organization_id")),
					},
				},
				{
					Config:          asImported,
					ResourceName:    membersAddress,
					ImportState:     true,
					ImportStateKind: resource.ImportBlockWithResourceIdentity,
				},
			},
		})
	})
}
