package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// A plan refreshes every member, but the API can only list whole organizations: the refresh must
// list each organization's members once, and read all organizations with one list, however many
// resources there are. Run through the real CLI so that what is counted is one plan, as a user
// runs it.
func TestAccPlanListsEachOrganizationOnce(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	t.Parallel()
	providerDir := buildProvider(t)
	mock := newAccMockIn(t, mockserver.DialectDocs)

	sizes := map[string]int{"big": 30, "small": 12}
	var config strings.Builder
	config.WriteString(cliProviderConfig(mock.URL, ""))
	config.WriteString(`
locals {
  roles = ["read", "upload", "write", "admin"]
}
`)
	for name, size := range sizes {
		emails := make([]string, size)
		for i := range emails {
			emails[i] = fmt.Sprintf("%s-%02d@scale.example", name, i)
			mock.CreateUser(emails[i])
		}
		fmt.Fprintf(&config, `
resource "capgo_organization" %[1]q {
  name = %[1]q
}

resource "capgo_organization_member" %[1]q {
  for_each = { for i, email in %[2]s : email => local.roles[i %% 4] }

  organization_id = capgo_organization.%[1]s.id
  email           = each.key
  role            = each.value
}
`, name, hclList(emails))
	}
	config.WriteString(`
data "capgo_organization_members" "big" {
  organization_id = capgo_organization.big.id

  depends_on = [capgo_organization_member.big]
}
`)

	run := newCLIRun(t, providerDir)
	run.env = append(run.env, "TF_LOG=", "CAPGO_API_KEY="+mockserver.AdminAPIKey)
	writeFile(t, filepath.Join(run.dir, "main.tf"), config.String())
	if !run.terraform("apply", "-auto-approve") {
		t.Fatalf("apply failed:\n%s", tail(run.out.String(), 60))
	}
	// Creating the members lists each organization once too: an invitation changes only the
	// member it names, so the answer serves every other create, and their plans, in the run. The
	// data source, read after the invitations, lists its organization once more.
	if got, want := mock.Stats().ByRoute["GET /organization/members/"], int64(len(sizes)+1); got > want {
		t.Errorf("the apply listed members %d times, want at most %d", got, want)
	}

	before := mock.Stats()
	if !run.terraform("plan", "-detailed-exitcode") {
		t.Fatalf("the plan after apply failed or is not empty:\n%s", tail(run.out.String(), 60))
	}
	after := mock.Stats()

	perRoute := func(route string) int64 { return after.ByRoute[route] - before.ByRoute[route] }
	if got := perRoute("GET /organization/members/"); got != int64(len(sizes)) {
		t.Errorf("the plan listed members %d times, want %d: once per organization", got, len(sizes))
	}
	if got := perRoute("GET /organization/"); got != 1 {
		t.Errorf("the plan read organizations with %d requests, want 1 list", got)
	}
	if got, want := after.RequestsTotal-before.RequestsTotal, int64(len(sizes)+1); got != want {
		t.Errorf("the plan made %d requests, want %d", got, want)
	}
	t.Logf("plan of %d members in %d organizations: %d requests", sizes["big"]+sizes["small"], len(sizes), after.RequestsTotal-before.RequestsTotal)

	if !run.terraform("destroy", "-auto-approve") {
		t.Fatalf("destroy failed:\n%s", tail(run.out.String(), 40))
	}
}
