package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

var planSummary = regexp.MustCompile(`Plan: \d+ to import, \d+ to add, \d+ to change, \d+ to destroy\.`)

// What `terraform query -generate-config-out` writes must import as it is: resource and import
// blocks for the organizations and for every member, pending invitees included, whose plan
// imports them all and changes nothing.
func TestAccQueryGeneratedConfigImportsCleanly(t *testing.T) {
	mock, cli, providerDir := newQueryRun(t)
	orgID := seedMembers(mock)
	admin := mock.client(mockserver.AdminAPIKey)
	organizations, err := admin.ListOrganizations(bg)
	mock.mustDo("list the organizations", err)
	members, err := admin.ListMembers(bg, orgID)
	mock.mustDo("list the members", err)
	queryThenPlan(t, mock, cli, providerDir, queryConfigOf(orgID), len(organizations)+len(members))
}

// The same for whole memberships: the map of members that the query writes, pending invitees
// included and roles as the server names them, imports with no change.
func TestAccQueryGeneratedMembershipImportsCleanly(t *testing.T) {
	mock, cli, providerDir := newQueryRun(t)
	orgID := seedMembers(mock)
	queryThenPlan(t, mock, cli, providerDir, fmt.Sprintf(`
list "capgo_organization_members" "team" {
  provider = capgo

  config {
    organization_id = %q
  }
}
`, orgID), 1)
}

// newQueryRun skips unless the CLI under test has terraform query (Terraform 1.14+), and starts a
// mock of Capgo's production API and a provider build for it.
func newQueryRun(t *testing.T) (mock *accMock, cli, providerDir string) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	cli = terraformUnderTest()
	if major, minor, v := terraformMinorVersionOf(t, cli); major == 1 && minor < 14 || major < 1 {
		t.Skipf("terraform query needs Terraform 1.14 or later; %s is Terraform %s (set TF_ACC_TERRAFORM_PATH to a newer CLI)", cli, v)
	}
	t.Parallel()
	return newAccMockIn(t, mockserver.DialectRBAC), cli, buildProvider(t)
}

// queryThenPlan runs the query file with -generate-config-out, then plans the generated
// configuration, which must import imports objects and change nothing.
func queryThenPlan(t *testing.T, mock *accMock, cli, providerDir, query string, imports int) {
	t.Helper()
	run := newCLIRun(t, providerDir).quiet()
	writeFile(t, filepath.Join(run.dir, "main.tf"), cliProviderConfig(mock.URL, mockserver.AdminAPIKey))
	writeFile(t, filepath.Join(run.dir, "import.tfquery.hcl"), query)

	if !run.terraformWith(cli, "query", "-generate-config-out=generated.tf") {
		t.Fatalf("terraform query failed:\n%s", tail(run.out.String(), 40))
	}
	t.Logf("terraform query:\n%s", run.out.String())
	t.Logf("generated.tf:\n%s", readFile(t, filepath.Join(run.dir, "generated.tf")))

	run.out.Reset()
	if !run.terraformWith(cli, "plan") {
		t.Fatalf("terraform plan of the generated configuration failed:\n%s", tail(run.out.String(), 60))
	}
	summary := planSummary.FindString(run.out.String())
	t.Logf("terraform plan: %s", summary)
	want := fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", imports)
	if summary != want {
		t.Errorf("the plan of the generated configuration says %q, want %q:\n%s", summary, want, tail(run.out.String(), 60))
	}
}

// queryConfigOf is a query file that lists the organizations and one organization's members.
func queryConfigOf(orgID string) string {
	return fmt.Sprintf(`
list "capgo_organization" "all" {
  provider = capgo
}

list "capgo_organization_member" "members" {
  provider = capgo

  config {
    organization_id = %q
  }
}
`, orgID)
}

// The webhooks too: the query writes each webhook of the organization, which imports with no
// change (its secret, which Capgo never shows again, stays out of the state).
func TestAccQueryGeneratedWebhooksImportCleanly(t *testing.T) {
	mock, cli, providerDir := newQueryRun(t)
	orgID := mock.seededOrganizationID(mockserver.AdminEmail)
	admin := mock.client(mockserver.AdminAPIKey)
	for _, name := range []string{"Members", "Apps"} {
		_, err := admin.CreateWebhook(bg, capgo.CreateWebhookRequest{OrganizationID: orgID, Name: name,
			URL: "https://hooks.example.com/" + name, Events: []string{"org_users", "apps"}})
		mock.mustDo("create a webhook", err)
	}
	queryThenPlan(t, mock, cli, providerDir, fmt.Sprintf(`
list "capgo_organization_webhook" "all" {
  provider = capgo

  config {
    organization_id = %q
  }
}
`, orgID), 2)
}
