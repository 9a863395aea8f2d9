package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// auditLogConfig is a capgo_organization_audit_log data source named name, with the attributes
// given as HCL lines.
func auditLogConfig(name, orgID, attributes string) string {
	return fmt.Sprintf("\ndata \"capgo_organization_audit_log\" %q {\n  organization_id = %q\n%s}\n", name, orgID, attributes)
}

// Against Capgo's production API: an invitation and a removal made with the admin's API key are
// read back, newest first, as the key's; filtering by operation and bounding the number of entries
// narrow the list.
func TestAccOrganizationAuditLogDataSource(t *testing.T) {
	mock := newAccMockIn(t, mockserver.DialectRBAC)
	admin := mock.client(mockserver.AdminAPIKey)
	orgID, err := admin.CreateOrganization(bg, capgo.CreateOrganizationRequest{Name: "Mobile"})
	mock.mustDo("create an organization", err)
	_, err = admin.AddMember(bg, capgo.AddMemberRequest{OrganizationID: orgID, Email: mockserver.DevEmail, Role: "write"})
	mock.mustDo("invite dev", err)
	mock.mustDo("remove dev", admin.RemoveMember(bg, orgID, mockserver.DevEmail))
	_, err = admin.AddMember(bg, capgo.AddMemberRequest{OrganizationID: orgID, Email: mockserver.OpsEmail, Role: "admin"})
	mock.mustDo("invite ops", err)

	byKey := func(operation string, before, after bool) knownvalue.Check {
		record := func(present bool) knownvalue.Check {
			if present {
				return knownvalue.NotNull()
			}
			return knownvalue.Null()
		}
		return knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"id":                knownvalue.NotNull(),
			"table_name":        knownvalue.StringExact("org_users"),
			"operation":         knownvalue.StringExact(operation),
			"actor_type":        knownvalue.StringExact("apikey"),
			"actor_user_email":  knownvalue.StringExact(mockserver.AdminEmail),
			"actor_apikey_id":   knownvalue.NotNull(),
			"actor_apikey_name": knownvalue.NotNull(),
			"changed_fields":    knownvalue.Null(),
			"old_record":        record(before),
			"new_record":        record(after),
		})
	}
	entries := tfjsonpath.New("entries")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: mock.adminConfig(auditLogConfig("members", orgID, "  table           = \"org_users\"\n") +
				auditLogConfig("removals", orgID, "  table           = \"org_users\"\n  operation       = \"DELETE\"\n") +
				auditLogConfig("newest", orgID, "  max_entries     = 2\n") + `
output "invited" {
  value = [for e in data.capgo_organization_audit_log.members.entries : jsondecode(e.new_record).email if e.operation == "INSERT"]
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				// Newest first; the creator's own membership came with the organization.
				statecheck.ExpectKnownValue("data.capgo_organization_audit_log.members", entries,
					knownvalue.ListExact([]knownvalue.Check{
						byKey("INSERT", false, true),
						byKey("DELETE", true, false),
						byKey("INSERT", false, true),
						byKey("INSERT", false, true),
					})),
				statecheck.ExpectKnownValue("data.capgo_organization_audit_log.members", tfjsonpath.New("max_entries"),
					knownvalue.Int64Exact(100)),
				statecheck.ExpectKnownOutputValue("invited", knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact(mockserver.OpsEmail),
					knownvalue.StringExact(mockserver.DevEmail),
					knownvalue.StringExact(mockserver.AdminEmail),
				})),
				statecheck.ExpectKnownValue("data.capgo_organization_audit_log.removals", entries,
					knownvalue.ListExact([]knownvalue.Check{byKey("DELETE", true, false)})),
				statecheck.ExpectKnownValue("data.capgo_organization_audit_log.removals",
					entries.AtSliceIndex(0).AtMapKey("old_record"),
					knownvalue.StringRegexp(regexp.MustCompile(`"email":"`+regexp.QuoteMeta(mockserver.DevEmail)+`"`))),
				// The two newest of every table: the invitation of ops and the removal of dev.
				statecheck.ExpectKnownValue("data.capgo_organization_audit_log.newest", entries,
					knownvalue.ListExact([]knownvalue.Check{byKey("INSERT", false, true), byKey("DELETE", true, false)})),
			},
		}},
	})
}

// An organization the key cannot see, and a member without the admin role, are told apart: the
// first is not found, the second is told the role it needs.
func TestAccOrganizationAuditLogDataSourceAccess(t *testing.T) {
	t.Parallel()
	mock := newAccMockIn(t, mockserver.DialectRBAC)
	admin := mock.client(mockserver.AdminAPIKey)
	orgID, err := admin.CreateOrganization(bg, capgo.CreateOrganizationRequest{Name: "Mobile"})
	mock.mustDo("create an organization", err)
	_, err = admin.AddMember(bg, capgo.AddMemberRequest{OrganizationID: orgID, Email: mockserver.DevEmail, Role: "write"})
	mock.mustDo("invite dev", err)
	mock.mustDo("accept the invitation", mock.AcceptInvitation(orgID, mockserver.DevEmail))

	for name, step := range map[string]resource.TestStep{
		"unknown organization": {
			Config:      mock.adminConfig(auditLogConfig("test", "missing", "")),
			ExpectError: regexp.MustCompile(`(?s)Organization not found.*"missing"`),
		},
		"member without the admin role": {
			Config: mock.providerBlock(mockserver.DevAPIKey) + auditLogConfig("test", orgID, ""),
			ExpectError: loose("No access to the organization's audit log", orgID,
				"needs the org_admin or org_super_admin role"),
		},
	} {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{step},
			})
		})
	}
}

// Against Capgo's documented API, which has no audit log, the plan fails and says so: one read of
// the organization tells which API the server speaks, and the log is never asked for.
func TestAccOrganizationAuditLogDataSourceDocumentedAPI(t *testing.T) {
	mock := newAccMockIn(t, mockserver.DialectDocs)
	orgID, err := mock.client(mockserver.AdminAPIKey).CreateOrganization(bg, capgo.CreateOrganizationRequest{Name: "Docs"})
	mock.mustDo("create an organization", err)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: mock.adminConfig(auditLogConfig("test", orgID, "")),
			ExpectError: loose("The organization audit log needs Capgo's production API", "documented API",
				"organization "+orgID, "https://api.capgo.app", "remove the data source"),
		}},
	})
	if n := mock.Stats().ByRoute["GET /organization/audit/"]; n != 0 {
		t.Errorf("the mock got %d audit requests, want none", n)
	}
}

// A table, an operation or a bound Capgo would not take is refused at plan time, with what it
// takes, and nothing is sent.
func TestAccOrganizationAuditLogDataSourceInvalidConfig(t *testing.T) {
	beforeAnyRequest(t, func(t *testing.T, mock *accMock) {
		const orgID = "0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b"
		for name, row := range map[string]struct {
			attributes string
			want       *regexp.Regexp
		}{
			"unknown table": {`  table = "users"` + "\n", loose(`table`, `must be one of`, `"org_users"`, `got: "users"`)},
			"lower-case operation": {`  operation = "delete"` + "\n",
				loose(`operation`, `must be one of`, `"DELETE"`, `got: "delete"`)},
			"no entries":       {"  max_entries = 0\n", loose("max_entries", "between 1 and 1000", "got: 0")},
			"too many entries": {"  max_entries = 1001\n", loose("max_entries", "between 1 and 1000", "got: 1001")},
		} {
			t.Run(name, func(t *testing.T) {
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
					Steps: []resource.TestStep{{
						Config:      mock.adminConfig(auditLogConfig("test", orgID, row.attributes)),
						ExpectError: row.want,
					}},
				})
			})
		}
		t.Run("organization ID", func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      mock.adminConfig(auditLogConfig("test", "not an id", "")),
					ExpectError: loose("Invalid organization ID", `"not an id" is not an organization ID`),
				}},
			})
		})
	})
}
