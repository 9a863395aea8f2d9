package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// The settings' identity is their organization's ID, in the state from the create on; an import
// block naming it adopts the same settings with no change.
func TestAccOrganizationSecurityIdentity(t *testing.T) {
	mock, orgID := securityMock(t)
	config := mock.securityConfig(keeperKey, orgID, allSettingsOn)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   identityCLIs,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(securityAddress, map[string]knownvalue.Check{
						"organization_id": knownvalue.StringExact(orgID),
					}),
					statecheck.ExpectIdentityValueMatchesStateAtPath(securityAddress,
						tfjsonpath.New("organization_id"), tfjsonpath.New("organization_id")),
				},
			},
			{
				Config:          config,
				ResourceName:    securityAddress,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}

// An import identity that names no organization is refused with an example, before anything is
// sent.
func TestAccOrganizationSecurityImportByMalformedIdentity(t *testing.T) {
	beforeAnyRequest(t, func(t *testing.T, mock *accMock) {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			TerraformVersionChecks:   identityCLIs,
			Steps: []resource.TestStep{{
				Config: fmt.Sprintf("import {\n  to = %s\n  identity = {\n    organization_id = \"org/with/slashes\"\n  }\n}\n",
					securityAddress) + mock.securityConfig(mockserver.AdminAPIKey, "0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b",
					"  enforce_hashed_api_keys = true\n"),
				ExpectError: loose("Invalid import identity", `organization_id = "org/with/slashes" is not an organization ID`),
			}},
		})
	})
}
