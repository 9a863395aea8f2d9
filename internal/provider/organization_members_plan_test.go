package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	acc "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// A create that fails part of the way leaves a second apply that finishes the job: whoever was
// invited, and accepted meanwhile, stays as they are; only the missing invitation is sent.
func TestAccOrganizationMembersSecondApplyAfterFailedCreate(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		const late = "late@example.com" // signs up to Capgo only after the first apply
		team := map[string]string{mockserver.AdminEmail: "super_admin", mockserver.DevEmail: "write",
			mockserver.OpsEmail: "read", late: "read"}
		var writes int64
		acc.ParallelTest(t, acc.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []acc.TestStep{
				{
					Config:      mock.membersConfig(team),
					ExpectError: regexp.MustCompile(`(?s)Some membership changes failed.*keeps no state.*apply again`),
				},
				{
					PreConfig: func() {
						mock.acceptInvitation(mockserver.DevEmail)()
						mock.CreateUser(late)
						writes = mock.memberWrites()
					},
					Config: mock.membersConfig(team),
					ConfigPlanChecks: acc.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(membersAddress, plancheck.ResourceActionCreate)},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						mock.serverMember(mockserver.DevEmail, &mockserver.StateMember{Role: mock.serverRole("write")}),
						mock.serverMember(mockserver.OpsEmail, &mockserver.StateMember{Role: mock.serverRole("read"), Pending: true}),
						mock.serverMember(late, &mockserver.StateMember{Role: mock.serverRole("read"), Pending: true}),
						expectTeamMember(mockserver.DevEmail, "status", knownvalue.StringExact("active")),
						serverCheck(func() error {
							if sent := mock.memberWrites() - writes; sent != 1 {
								return fmt.Errorf("the second apply sent %d member writes, want 1 (the missing invitation)", sent)
							}
							return nil
						}),
					},
				},
				{
					Config:           mock.membersConfig(team),
					ConfigPlanChecks: acc.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				},
			},
		})
	})
}

// What needs no server state is refused at plan time also for an organization created in the same
// run, before the organization is created.
func TestAccOrganizationMembersRefusedBeforeTheOrganizationIsCreated(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		steps := []acc.TestStep{{
			Config:      mock.membersConfig(map[string]string{mockserver.AdminEmail: "admin", mockserver.DevEmail: "write"}),
			ExpectError: regexp.MustCompile(`(?s)must keep an accepted super_admin.*Nothing\s+was\s+changed`),
		}}
		if dialect == mockserver.DialectRBAC {
			// Every account has an organization of its own there, so the key's user is known.
			steps = append(steps, acc.TestStep{
				Config:      mock.membersConfig(map[string]string{mockserver.DevEmail: "super_admin"}),
				ExpectError: regexp.MustCompile(`(?s)API key's own user must stay.*` + regexp.QuoteMeta(mockserver.AdminEmail)),
			})
		}
		acc.ParallelTest(t, acc.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: steps})
		if orgs := mock.createdOrganizations(); len(orgs) != 0 {
			t.Errorf("%d organizations were created by a refused plan, want none", len(orgs))
		}
		if writes := mock.Stats().ByRoute["POST /organization/"] + mock.memberWrites(); writes != 0 {
			t.Errorf("%d writes were sent for a refused plan, want none", writes)
		}
	})
}

// A role change plans the status and user ID it will leave: the user ID never changes, and the
// status only when the member is invited again.
func TestAccRoleChangePlansStatusAndUserID(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		mock := newAccMockIn(t, dialect)
		newRole := byDialect(dialect, "read", "admin")
		wantStatus := byDialect(dialect, "active", "pending") // the production API re-invites
		reinvite := "  reinvite_on_role_change = true\n"
		member := func(attribute string, check knownvalue.Check) plancheck.PlanCheck {
			return plancheck.ExpectKnownValue(memberAddress, tfjsonpath.New(attribute), check)
		}
		team := func(attribute string, check knownvalue.Check) plancheck.PlanCheck {
			return plancheck.ExpectKnownValue(membersAddress, tfjsonpath.New("members").AtMapKey(mockserver.OpsEmail).AtMapKey(attribute), check)
		}
		config := func(role string) string {
			return mock.adminConfig(membersResources(map[string]string{mockserver.AdminEmail: "super_admin", mockserver.OpsEmail: role}, reinvite) + `
resource "capgo_organization" "solo" {
  name = "Solo"
}

resource "capgo_organization_member" "dev" {
  organization_id = capgo_organization.solo.id
  email           = "` + mockserver.DevEmail + `"
  role            = "` + role + `"
` + reinvite + `
}
`)
		}
		acc.ParallelTest(t, acc.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             mock.checkDestroyed,
			Steps: []acc.TestStep{
				{Config: config("write")},
				{
					PreConfig: func() {
						mock.mustDo("accept dev's invitation", mock.AcceptInvitation(mock.organizationNamed("Solo"), mockserver.DevEmail))
						mock.mustDo("accept ops's invitation", mock.AcceptInvitation(mock.organizationNamed("Mobile"), mockserver.OpsEmail))
					},
					Config: config(newRole),
					ConfigPlanChecks: acc.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							member("status", knownvalue.StringExact(wantStatus)),
							member("user_id", knownvalue.NotNull()),
							member("image_url", knownvalue.Null()),
							team("status", knownvalue.StringExact(wantStatus)),
							team("user_id", knownvalue.NotNull()),
						},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
				},
			},
		})
	})
}

// organizationNamed is the ID of the organization the test made with that name.
func (m *accMock) organizationNamed(name string) string {
	m.t.Helper()
	for _, org := range m.createdOrganizations() {
		if org.Name == name {
			return org.ID
		}
	}
	m.t.Fatalf("the test made no organization named %q", name)
	return ""
}

// membersPlanDiagnostics runs the plan of capgo_organization_members from state to plan (nil for
// none) with client, as Terraform would call it, and returns what it says.
func membersPlanDiagnostics(t *testing.T, client *capgo.Client, state, plan *organizationMembersModel) diag.Diagnostics {
	t.Helper()
	ctx := context.Background()
	r := &organizationMembersResource{configured{client: client}}
	schemaResp := &resource.SchemaResponse{}
	r.Schema(ctx, resource.SchemaRequest{}, schemaResp)
	null := tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), nil)
	req := resource.ModifyPlanRequest{
		State: tfsdk.State{Schema: schemaResp.Schema, Raw: null},
		Plan:  tfsdk.Plan{Schema: schemaResp.Schema, Raw: null},
	}
	var diags diag.Diagnostics
	if state != nil {
		diags.Append(req.State.Set(ctx, state)...)
	}
	if plan != nil {
		diags.Append(req.Plan.Set(ctx, plan)...)
	}
	if diags.HasError() {
		t.Fatalf("building the request: %v", diags)
	}
	resp := &resource.ModifyPlanResponse{Plan: req.Plan}
	r.ModifyPlan(ctx, req, resp)
	return resp.Diagnostics
}

func membersModel(orgID types.String, reinvite bool, roles map[string]string) *organizationMembersModel {
	m := &organizationMembersModel{ID: orgID, OrganizationID: orgID, ReinviteOnRoleChange: types.BoolValue(reinvite),
		Members: map[string]membershipEntry{}}
	for email, role := range roles {
		m.Members[email] = membershipEntry{Role: types.StringValue(role), Status: types.StringUnknown(), UserID: types.StringUnknown()}
	}
	return m
}

// saying reports whether diags hold one diagnostic of severity with summary whose detail says
// every one of words.
func saying(diags diag.Diagnostics, severity diag.Severity, summary string, words ...string) error {
	for _, d := range diags {
		if d.Severity() != severity || d.Summary() != summary {
			continue
		}
		for _, w := range words {
			if !strings.Contains(d.Detail(), w) {
				return fmt.Errorf("%q does not say %q", d.Detail(), w)
			}
		}
		return nil
	}
	return fmt.Errorf("no %v %q among %v", severity, summary, diags)
}

// The plan of capgo_organization_members says what the apply will do to people that the diff
// cannot show, and refuses what needs no server state for an organization not created yet.
func TestMembersPlanSaysWhatItDoesToPeople(t *testing.T) {
	t.Parallel()
	docs, rbac := newAccMockIn(t, mockserver.DialectDocs), newAccMockIn(t, mockserver.DialectRBAC)
	for _, mock := range []*accMock{docs, rbac} {
		admin := mock.client(mockserver.AdminAPIKey)
		orgID, err := admin.CreateOrganization(bg, capgo.CreateOrganizationRequest{Name: "Existing"})
		mock.mustDo("create an organization", err)
		for email, role := range map[string]string{mockserver.DevEmail: "write", mockserver.OpsEmail: "read"} {
			_, err := admin.AddMember(bg, capgo.AddMemberRequest{OrganizationID: orgID, Email: email, Role: role})
			mock.mustDo("invite "+email, err)
			mock.mustDo("accept", mock.AcceptInvitation(orgID, email))
		}
	}
	docsOrg, rbacOrg := docs.onlyOrganizationID(), rbac.onlyOrganizationID()
	unknownOrg := types.StringUnknown()
	tests := []struct {
		name     string
		mock     *accMock
		state    *organizationMembersModel
		plan     *organizationMembersModel
		severity diag.Severity
		summary  string
		words    []string
	}{
		{"creating over existing members names each", docs, nil,
			membersModel(types.StringValue(docsOrg), false, map[string]string{mockserver.AdminEmail: "super_admin", mockserver.DevEmail: "read", "zed@example.com": "write"}),
			diag.SeverityWarning, "This plan changes existing members",
			[]string{"remove: " + mockserver.OpsEmail, "change the role of: " + mockserver.DevEmail + ` ("write" to "read")`, "invite: zed@example.com"}},
		{"an accepted member re-invited", rbac,
			membersModel(types.StringValue(rbacOrg), true, map[string]string{mockserver.AdminEmail: "org_super_admin", mockserver.DevEmail: "org_member", mockserver.OpsEmail: "org_member"}),
			membersModel(types.StringValue(rbacOrg), true, map[string]string{mockserver.AdminEmail: "org_super_admin", mockserver.DevEmail: "admin", mockserver.OpsEmail: "org_member"}),
			diag.SeverityWarning, "This role change re-invites the member", []string{mockserver.DevEmail, "no access until they accept"}},
		{"an accepted member's role change refused without re-invitation", rbac,
			membersModel(types.StringValue(rbacOrg), false, map[string]string{mockserver.AdminEmail: "org_super_admin", mockserver.DevEmail: "org_member", mockserver.OpsEmail: "org_member"}),
			membersModel(types.StringValue(rbacOrg), false, map[string]string{mockserver.AdminEmail: "org_super_admin", mockserver.DevEmail: "admin", mockserver.OpsEmail: "org_member"}),
			diag.SeverityError, "Role change needs a new invitation", []string{"reinvite_on_role_change = true"}},
		{"a new organization without the key's user", rbac, nil,
			membersModel(unknownOrg, false, map[string]string{mockserver.DevEmail: "super_admin"}),
			diag.SeverityError, "The API key's own user must stay in the organization", []string{mockserver.AdminEmail, "the new organization"}},
		{"a new organization whose key's user is unknown", docs, nil,
			membersModel(unknownOrg, false, map[string]string{mockserver.DevEmail: "super_admin"}),
			diag.SeverityWarning, "Cannot tell whose API key this is yet", []string{"checks it before it sends any change"}},
		{"a destroy names whom it keeps", docs,
			membersModel(types.StringValue(docsOrg), false, map[string]string{mockserver.AdminEmail: "super_admin", mockserver.DevEmail: "write"}),
			nil, diag.SeverityWarning, "Some members are kept", []string{mockserver.AdminEmail}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := tt.mock.client(mockserver.AdminAPIKey)
			// The plan reads the members as the refresh did: through the shared list.
			if _, err := client.ListOrganizations(bg); err != nil {
				t.Fatal(err)
			}
			if err := saying(membersPlanDiagnostics(t, client, tt.state, tt.plan), tt.severity, tt.summary, tt.words...); err != nil {
				t.Error(err)
			}
		})
	}
}
