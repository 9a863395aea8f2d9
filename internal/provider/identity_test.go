package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// expectIdentities checks the identities of the organization and of its member dev, whose email
// the identity holds in lower case however the configuration spells it.
func expectIdentities() []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectIdentity(orgAddress, map[string]knownvalue.Check{"id": knownvalue.NotNull()}),
		statecheck.ExpectIdentityValueMatchesState(orgAddress, tfjsonpath.New("id")),
		statecheck.ExpectIdentity(memberAddress, map[string]knownvalue.Check{
			"organization_id": knownvalue.NotNull(),
			"email":           knownvalue.StringExact(strings.ToLower(mockserver.DevEmail)),
		}),
		statecheck.ExpectIdentityValueMatchesStateAtPath(memberAddress,
			tfjsonpath.New("organization_id"), tfjsonpath.New("organization_id")),
	}
}

// The identities are in the state from the create on, a respelt email changes the membership in
// place and not its identity, and an import block naming the identity Terraform stored finds the
// same objects and plans no change.
func TestAccIdentityFollowsTheObject(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		// Capgo's production API invites an email only as the account spells it; respelt afterwards,
		// it is the same membership.
		config := mock.memberConfig(mockserver.DevEmail, "upload")
		respelt := mock.memberConfig(strings.ToUpper(mockserver.DevEmail), "upload")
		// An import holds the email as Capgo spells it and the role as the server names it: the
		// configuration that imports with no change says so too.
		asImported := mock.memberConfig(mockserver.DevEmail, mock.serverRole("upload"))
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			TerraformVersionChecks:   identityCLIs,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{
				{Config: config, ConfigStateChecks: expectIdentities()},
				{
					Config: respelt,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(memberAddress, plancheck.ResourceActionUpdate),
					}},
					ConfigStateChecks: expectIdentities(),
				},
				{
					Config:          asImported,
					ResourceName:    orgAddress,
					ImportState:     true,
					ImportStateKind: resource.ImportBlockWithResourceIdentity,
				},
				{
					Config:          asImported,
					ResourceName:    memberAddress,
					ImportState:     true,
					ImportStateKind: resource.ImportBlockWithResourceIdentity,
				},
			},
		})
	})
}

// An organization and its members made outside Terraform are adopted by import blocks that name
// their identities: the plan imports them with no change, and an email in any case names the
// member, whose identity is then held in lower case.
func TestAccImportByIdentityBlock(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		orgID := mock.existingOrganization()
		adopt := mock.adminConfig(fmt.Sprintf(`
import {
  to = capgo_organization.test
  identity = {
    id = %[1]q
  }
}

import {
  to = capgo_organization_member.dev
  identity = {
    organization_id = %[1]q
    email           = %[2]q
  }
}

resource "capgo_organization" "test" {
  name             = "Existing"
  management_email = "billing@example.com"
  logo             = "https://example.com/logo.png"
}

resource "capgo_organization_member" "dev" {
  organization_id = capgo_organization.test.id
  email           = %[3]q
  role            = %[4]q
}
`, orgID, strings.ToUpper(mockserver.DevEmail), mockserver.DevEmail, mock.serverRole("write")))
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			TerraformVersionChecks:   identityCLIs,
			Steps: []resource.TestStep{{
				Config: adopt,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(orgAddress, plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction(memberAddress, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: append(expectIdentities(),
					statecheck.ExpectIdentityValue(orgAddress, tfjsonpath.New("id"), knownvalue.StringExact(orgID)),
					statecheck.ExpectKnownValue(memberAddress, tfjsonpath.New("id"),
						knownvalue.StringExact(memberID(orgID, mockserver.DevEmail))),
				),
			}},
		})
	})
}

// An import identity that names no organization or no membership is refused with what is wrong
// and an example, before anything is sent.
func TestAccImportByIdentityRejectsMalformedIdentity(t *testing.T) {
	beforeAnyRequest(t, func(t *testing.T, mock *accMock) {
		importing := func(to, identity, body string) string {
			return mock.adminConfig(fmt.Sprintf("import {\n  to = %s\n  identity = {\n%s  }\n}\n\n%s", to, identity, body))
		}
		const validOrg = "0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b"
		rows := map[string]resource.TestStep{
			"organization": {
				Config: importing(orgAddress, "    id = \"org/with/slashes\"\n", `resource "capgo_organization" "test" {
  name = "Mobile"
}
`),
				ExpectError: regexp.MustCompile(`(?s)Invalid import identity.*"org/with/slashes" is not an organization ID`),
			},
			"member": {
				Config: importing(memberAddress,
					fmt.Sprintf("    organization_id = %q\n    email = \"dev\"\n", validOrg),
					fmt.Sprintf(`resource "capgo_organization_member" "dev" {
  organization_id = %q
  email           = "dev@example.com"
  role            = "read"
}
`, validOrg)),
				ExpectError: regexp.MustCompile(`(?s)Invalid import identity.*does\s+not\s+name\s+a\s+membership`),
			},
			"membership": {
				Config: importing(membersAddress, "    organization_id = \"org/with/slashes\"\n", fmt.Sprintf(`resource "capgo_organization_members" "team" {
  organization_id = %q
  members = {
    "admin@example.com" = { role = "super_admin" }
  }
}
`, validOrg)),
				ExpectError: regexp.MustCompile(`(?s)Invalid import identity.*organization_id = "org/with/slashes" is not an\s+organization ID`),
			},
		}
		for name, step := range rows {
			t.Run(name, func(t *testing.T) {
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
					TerraformVersionChecks:   identityCLIs,
					Steps:                    []resource.TestStep{step},
				})
			})
		}
	})
}

// An object deleted outside Terraform is removed from the state by the refresh, which must still
// answer with an identity (Terraform 1.12+ refuses a read without one), and the plan creates it
// again.
func TestAccIdentityOfVanishedObject(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		config := mock.memberConfig(mockserver.DevEmail, "upload")
		removeMember := func() {
			mock.mustDo("remove dev", mock.client(mockserver.AdminAPIKey).RemoveMember(bg, mock.onlyOrganizationID(), mockserver.DevEmail))
		}
		deleteOrganization := func() {
			mock.mustDo("delete the organization", mock.client(mockserver.AdminAPIKey).DeleteOrganization(bg, mock.onlyOrganizationID()))
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			TerraformVersionChecks:   identityCLIs,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{
				{Config: config},
				{
					PreConfig: removeMember,
					Config:    config,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(orgAddress, plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction(memberAddress, plancheck.ResourceActionCreate),
					}},
					ConfigStateChecks: expectIdentities(),
				},
				{
					PreConfig: deleteOrganization,
					Config:    config,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(orgAddress, plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(memberAddress, plancheck.ResourceActionCreate),
					}},
					ConfigStateChecks: expectIdentities(),
				},
			},
		})
	})
}

// State written by a release without identities has none. Terraform asks the provider to read it
// before any plan, and that read must answer with the identity, whether the object is still there
// or gone (then the state is removed, with the identity still set). The CLI cannot start from
// such a state, so the read is sent to the provider server as Terraform would send it.
func TestReadGivesStateWithoutIdentityOne(t *testing.T) {
	t.Parallel()
	mock := newAccMockIn(t, mockserver.DialectDocs)
	admin := mock.client(mockserver.AdminAPIKey)
	orgID, err := admin.CreateOrganization(bg, capgo.CreateOrganizationRequest{Name: "Before identities"})
	mock.mustDo("create an organization", err)
	_, err = admin.AddMember(bg, capgo.AddMemberRequest{OrganizationID: orgID, Email: mockserver.DevEmail, Role: "read"})
	mock.mustDo("invite dev", err)

	shouted := strings.ToUpper(mockserver.DevEmail)
	reads := []struct {
		name, typeName string
		state          map[string]string
		identity       map[string]string
	}{
		{"organization", "capgo_organization",
			map[string]string{"id": orgID, "name": "Before identities"},
			map[string]string{"id": orgID}},
		{"member", "capgo_organization_member",
			map[string]string{"id": memberID(orgID, shouted), "organization_id": orgID, "email": shouted, "role": "read"},
			map[string]string{"organization_id": orgID, "email": mockserver.DevEmail}},
	}
	// Each round is a refresh of its own: a provider shares what it read within one.
	check := func(t *testing.T, server *protocolServer, typeName string, state, identity map[string]string, wantState bool) {
		t.Helper()
		resp, err := server.ReadResource(bg, &tfprotov6.ReadResourceRequest{
			TypeName:     typeName,
			CurrentState: server.value(t, server.resources[typeName], state),
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range resp.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityError {
				t.Fatalf("read of %s: %s: %s", typeName, d.Summary, d.Detail)
			}
		}
		if got := !server.decode(t, server.resources[typeName], resp.NewState).IsNull(); got != wantState {
			t.Errorf("read of %s kept the state: %v, want %v", typeName, got, wantState)
		}
		if resp.NewIdentity == nil {
			t.Fatalf("read of %s returned no identity", typeName)
		}
		got := server.decode(t, server.identities[typeName], resp.NewIdentity.IdentityData)
		if want := server.decode(t, server.identities[typeName], server.value(t, server.identities[typeName], identity)); !got.Equal(want) {
			t.Errorf("read of %s returned identity %s, want %s", typeName, got, want)
		}
	}
	server := mock.configuredProviderServer(t)
	for _, read := range reads {
		check(t, server, read.typeName, read.state, read.identity, true)
	}
	mock.mustDo("delete the organization", admin.DeleteOrganization(bg, orgID))
	server = mock.configuredProviderServer(t)
	for _, read := range reads {
		check(t, server, read.typeName, read.state, read.identity, false)
	}
}
