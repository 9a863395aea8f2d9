package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// An import that finds nothing names what was not found and why, instead of Terraform's generic
// "non-existent remote object"; and a member imported with another letter case is stored as
// Capgo spells the email, as a read does.
func TestAccImportLooksTheObjectUp(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		config := mock.memberConfig(mockserver.DevEmail, "upload")
		const missingOrg = "0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b"
		withOrg := func(format string) resource.ImportStateIdFunc {
			return func(*terraform.State) (string, error) {
				return fmt.Sprintf(format, mock.onlyOrganizationID()), nil
			}
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{
				{Config: config},
				{
					ResourceName:  orgAddress,
					ImportState:   true,
					ImportStateId: missingOrg,
					ExpectError:   regexp.MustCompile(`(?s)Cannot import: organization not found.*` + missingOrg + `.*accepted\s+member`),
				},
				{
					ResourceName:  memberAddress,
					ImportState:   true,
					ImportStateId: missingOrg + "/" + mockserver.DevEmail,
					ExpectError:   regexp.MustCompile(`(?s)Cannot import: organization not found.*` + missingOrg),
				},
				{
					ResourceName:      memberAddress,
					ImportState:       true,
					ImportStateIdFunc: withOrg("%s/nobody@example.com"),
					ExpectError:       regexp.MustCompile(`(?s)Cannot import: not a member.*nobody@example.com is neither a member nor a\s+pending invitee`),
				},
				{
					ResourceName:      memberAddress,
					ImportState:       true,
					ImportStateIdFunc: withOrg("%s/Dev@Example.COM"),
					ImportStateCheck: func(states []*terraform.InstanceState) error {
						if len(states) != 1 {
							return fmt.Errorf("imported %d resources, want 1", len(states))
						}
						want := map[string]string{
							"id":    mock.onlyOrganizationID() + "/" + mockserver.DevEmail,
							"email": mockserver.DevEmail,
						}
						for attribute, value := range want {
							if got := states[0].Attributes[attribute]; got != value {
								return fmt.Errorf("imported %s = %q, want %q as Capgo spells it", attribute, got, value)
							}
						}
						return nil
					},
				},
			},
		})
	})
}
