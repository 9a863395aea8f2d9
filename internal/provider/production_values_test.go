package provider

import (
	"fmt"
	"maps"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// emptyPlanBeforeAndAfter checks that the step plans no change, and that none shows after it.
var emptyPlanBeforeAndAfter = resource.ConfigPlanChecks{
	PreApply:             []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
}

// A website is the same however it is written: Capgo's production API stores it normalised, and
// neither an apply, a plan nor an import shows a difference for it.
func TestAccProductionWebsiteAsWritten(t *testing.T) {
	t.Parallel()
	websiteConfig := func(m *accMock, website, prefix string) string {
		return m.adminConfig(prefix + fmt.Sprintf(`
resource "capgo_organization" "test" {
  name    = "Mobile"
  website = %q
}
`, website))
	}
	t.Run("apply", func(t *testing.T) {
		mock := newAccMockIn(t, mockserver.DialectRBAC)
		storedWebsite := mock.serverOrganization(func(org mockserver.StateOrganization) error {
			if org.Website == nil || *org.Website != "https://capgo.app/" {
				return fmt.Errorf("the server holds website %v, want https://capgo.app/", org.Website)
			}
			return nil
		})
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{
				{
					Config:            websiteConfig(mock, "capgo.app", ""),
					ConfigStateChecks: []statecheck.StateCheck{expectOrg("website", knownvalue.StringExact("capgo.app")), storedWebsite},
					ConfigPlanChecks:  emptyPlanAfterApply(),
				},
				{
					Config:           websiteConfig(mock, "HTTPS://Capgo.app", ""),
					ConfigPlanChecks: emptyPlanBeforeAndAfter,
				},
				{
					Config:            websiteConfig(mock, "https://capgo.io", ""),
					ConfigPlanChecks:  plannedAction(orgAddress, plancheck.ResourceActionUpdate),
					ConfigStateChecks: []statecheck.StateCheck{expectOrg("website", knownvalue.StringExact("https://capgo.io"))},
				},
			},
		})
	})
	t.Run("import", func(t *testing.T) {
		mock := newAccMockIn(t, mockserver.DialectRBAC)
		id, err := mock.client(mockserver.AdminAPIKey).CreateOrganization(bg, capgo.CreateOrganizationRequest{
			Name: "Mobile", Website: "capgo.app",
		})
		mock.mustDo("create an organization with a website", err)
		importBlock := fmt.Sprintf("import {\n  to = capgo_organization.test\n  id = %q\n}\n", id)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []resource.TestStep{{
				// The state holds Capgo's form, https://capgo.app/; the configuration's is no change.
				Config: websiteConfig(mock, "capgo.app", importBlock),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orgAddress, plancheck.ResourceActionNoop)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			}},
		})
	})
}

// A logo uploaded in the Capgo console, which the production API answers with a new signature on
// every read, is no change to a configuration that does not set one, and an apply that does not
// mention it leaves it in place.
func TestAccProductionConsoleLogo(t *testing.T) {
	seed := mockserver.DefaultSeedFor(mockserver.DialectRBAC)
	seed.Organizations = append(seed.Organizations, mockserver.SeedOrganization{
		Name: "Uploaded", Owner: mockserver.AdminEmail, LogoUpload: "org/uploaded.png",
	})
	mock := newAccMockIn(t, mockserver.DialectRBAC, withSeed(seed))
	id := mock.seededOrganizationID("Uploaded")
	config := func(name string) string {
		return mock.adminConfig(fmt.Sprintf(`
import {
  to = capgo_organization.test
  id = %q
}

resource "capgo_organization" "test" {
  name = %q
}
`, id, name))
	}
	logoKept := serverCheck(func() error {
		for _, org := range mock.State().Organizations {
			if org.ID == id && (org.Logo == nil || *org.Logo == "") {
				return fmt.Errorf("the uploaded logo is gone: %v", org.Logo)
			}
		}
		return nil
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config("Uploaded"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orgAddress, plancheck.ResourceActionNoop)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{expectOrg("logo", knownvalue.NotNull()), logoKept},
			},
			{
				Config:            config("Uploaded logo"),
				ConfigPlanChecks:  plannedAction(orgAddress, plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{logoKept},
			},
			{
				// Not destroyed: the organization came from the seed.
				Config: mock.adminConfig(`
removed {
  from = capgo_organization.test
  lifecycle {
    destroy = false
  }
}
`),
			},
		},
	})
}

// A key that may not create organizations gets told why, and nothing else is tried.
func TestAccProductionCreateNotAllowed(t *testing.T) {
	const key = "5b2f0d3c-7a52-4a5e-9d39-2f5f6c1c0001"
	noGrant := false
	seed := mockserver.DefaultSeedFor(mockserver.DialectRBAC)
	seed.Users = append(seed.Users, mockserver.SeedUser{Email: "nogrant@example.com", APIKey: key, OrgCreate: &noGrant})
	mock := newAccMockIn(t, mockserver.DialectRBAC, withSeed(seed))
	var before int64
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() { before = mock.Stats().ByRoute["POST /organization/"] },
			Config:    mock.providerBlock(key) + `resource "capgo_organization" "test" { name = "Mobile" }`,
			ExpectError: regexp.MustCompile(`(?s)refused to let this API key create organizations.*permission_denied.*` +
				`organization-creation\s+right.*at\s+least\s+one\s+organization`),
		}},
	})
	if sent := mock.Stats().ByRoute["POST /organization/"] - before; sent != 1 {
		t.Errorf("the create was sent %d times, want once", sent)
	}
	if n := len(mock.createdOrganizations()); n != 0 {
		t.Errorf("%d organizations were created", n)
	}
}

// A role given in the Capgo console that the provider does not know is read as Capgo names it:
// listed by the data source, kept by an import, and named by the plan that would replace it.
func TestAccProductionUnknownRole(t *testing.T) {
	mock, orgID := withAPIKeyManager(t)
	memberID := orgID + "/" + mockserver.DevEmail
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: mock.adminConfig(fmt.Sprintf(`
data "capgo_organization_members" "keys" {
  organization_id = %q
}
`, orgID)),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue("data.capgo_organization_members.keys",
					tfjsonpath.New("members").AtSliceIndex(1), knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"email": knownvalue.StringExact(mockserver.DevEmail),
						"role":  knownvalue.StringExact("apikey_manager"),
					}))},
			},
			{
				Config: mock.adminConfig(fmt.Sprintf(`
import {
  to = capgo_organization_member.dev
  id = %q
}

resource "capgo_organization_member" "dev" {
  organization_id = %q
  email           = %q
  role            = "write"
}
`, memberID, orgID, mockserver.DevEmail)),
				ExpectError: regexp.MustCompile(`(?s)Role change needs a new invitation.*"apikey_manager"`),
				// The warning that names the role comes with the refusal.
			},
		},
	})
	for _, org := range mock.State().Organizations {
		for _, m := range org.Members {
			if org.ID == orgID && m.Email == mockserver.DevEmail && m.Role != "apikey_manager" {
				t.Errorf("the member's role became %q", m.Role)
			}
		}
	}
}

// withAPIKeyManager starts a mock of the production API where dev holds apikey_manager, a role
// given in the Capgo console, in the admin's organization "Keys", whose ID it returns.
func withAPIKeyManager(t *testing.T) (*accMock, string) {
	t.Helper()
	seed := mockserver.DefaultSeedFor(mockserver.DialectRBAC)
	seed.Organizations = append(seed.Organizations, mockserver.SeedOrganization{
		Name: "Keys", Owner: mockserver.AdminEmail,
		Members: []mockserver.SeedMember{{Email: mockserver.DevEmail, Role: "apikey_manager"}},
	})
	mock := newAccMockIn(t, mockserver.DialectRBAC, withSeed(seed))
	return mock, mock.seededOrganizationID("Keys")
}

// planMemberChange runs the member resource's ModifyPlan from state to plan with a configured
// client, and returns its diagnostics.
func planMemberChange(t *testing.T, client *capgo.Client, state, plan map[string]string) diag.Diagnostics {
	t.Helper()
	ctx := t.Context()
	r := &organizationMemberResource{}
	r.Configure(ctx, fwresource.ConfigureRequest{ProviderData: &providerData{client: client}}, &fwresource.ConfigureResponse{})
	schemaResp := &fwresource.SchemaResponse{}
	r.Schema(ctx, fwresource.SchemaRequest{}, schemaResp)
	objectType, _ := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	req := fwresource.ModifyPlanRequest{
		State:  tfsdk.State{Schema: schemaResp.Schema, Raw: memberPlanValue(t, objectType, state)},
		Plan:   tfsdk.Plan{Schema: schemaResp.Schema, Raw: memberPlanValue(t, objectType, plan)},
		Config: tfsdk.Config{Schema: schemaResp.Schema, Raw: memberPlanValue(t, objectType, plan)},
	}
	resp := &fwresource.ModifyPlanResponse{Plan: req.Plan}
	r.ModifyPlan(ctx, req, resp)
	return resp.Diagnostics
}

// A plan that would replace a role the provider does not know names it, whatever follows.
func TestMemberPlanNamesARoleItDoesNotKnow(t *testing.T) {
	t.Parallel()
	mock, orgID := withAPIKeyManager(t)
	member := map[string]string{"id": orgID + "/" + mockserver.DevEmail, "organization_id": orgID,
		"email": mockserver.DevEmail, "role": "apikey_manager", "status": "active", "reinvite_on_role_change": "true"}
	plan := maps.Clone(member)
	plan["role"] = "write"
	diags := planMemberChange(t, mock.client(mockserver.AdminAPIKey), member, plan)
	var found bool
	for _, w := range diags.Warnings() {
		found = found || (w.Summary() == "Role unknown to the provider" && strings.Contains(w.Detail(), `"apikey_manager"`))
	}
	if !found || diags.HasError() {
		t.Errorf("want the warning that names apikey_manager and no error (re-invitation allowed), got %v", diags)
	}
}
