package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// exampleOrganizationID is the organization ID the data source examples name, for the reader to
// replace with their own.
const exampleOrganizationID = "0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b"

// productionOnlyExamples are the examples of what only Capgo's production API has: against the
// documented API their plan fails, as it should.
var productionOnlyExamples = []string{"capgo_organization_security", "capgo_organization_audit_log",
	"capgo_organization_webhook", "capgo_organization_webhook_test", "capgo_organization_webhooks"}

// exampleEmail finds the emails an example invites: their accounts must exist, as a reader's
// colleagues' would.
var exampleEmail = regexp.MustCompile(`"([a-z0-9.+-]+@example\.com)"`)

// Every example of the documentation works as a reader would run it: through the Terraform CLI,
// with the provider example's block, which reads CAPGO_API_URL and CAPGO_API_KEY, and the
// reader's own email where an example asks for it. Each is applied, planned again (the plan must
// be empty) and destroyed, against both APIs where it applies.
func TestAccExamples(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	t.Parallel()
	examples, err := filepath.Glob(filepath.Join("..", "..", "examples", "*", "*", "*.tf"))
	if err != nil || len(examples) == 0 {
		t.Fatalf("no examples found: %v", err)
	}
	providerDir := buildProvider(t)
	provider := readFile(t, filepath.Join("..", "..", "examples", "provider", "provider.tf"))
	// Actions came with Terraform 1.14: their examples run with the CLI under test when it has them.
	actionsCLI := terraformUnderTest()
	if major, minor, _ := terraformMinorVersionOf(t, actionsCLI); major == 1 && minor < 14 {
		actionsCLI = ""
	}
	for _, dialect := range dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			for _, path := range examples {
				kind, file := filepath.Base(filepath.Dir(path)), filepath.Base(path)
				switch {
				case strings.HasPrefix(file, "import"), kind == "provider":
					continue // imports name the reader's own objects; the provider block comes with every example
				case slices.Contains(productionOnlyExamples, kind) && dialect == mockserver.DialectDocs:
					continue // only Capgo's production API has them
				case filepath.Base(filepath.Dir(filepath.Dir(path))) == "actions" && actionsCLI == "":
					continue // run with a CLI that has actions (make testacc-clis)
				}
				cli := "terraform"
				if filepath.Base(filepath.Dir(filepath.Dir(path))) == "actions" {
					cli = actionsCLI
				}
				t.Run(kind+"/"+file, func(t *testing.T) {
					t.Parallel()
					// A mock of its own: the data sources would see the other examples' organizations come
					// and go between the apply and the plan.
					mock := exampleMock(t, dialect)
					existing, err := mock.client(mockserver.AdminAPIKey).CreateOrganization(bg, capgo.CreateOrganizationRequest{Name: "Existing"})
					mock.mustDo("create the organization the data source examples read", err)
					example := strings.ReplaceAll(readFile(t, path), exampleOrganizationID, existing)
					for _, m := range exampleEmail.FindAllStringSubmatch(example, -1) {
						if !slices.Contains([]string{mockserver.AdminEmail, mockserver.DevEmail, mockserver.OpsEmail}, m[1]) {
							mock.CreateUser(m[1])
						}
					}

					run := newCLIRun(t, providerDir).quiet()
					run.env = append(run.env, "CAPGO_API_URL="+mock.URL, "CAPGO_API_KEY="+mockserver.AdminAPIKey,
						"TF_VAR_my_email="+mockserver.AdminEmail)
					writeFile(t, filepath.Join(run.dir, "main.tf"), `terraform {
  required_providers {
    capgo = {
      source = "cap-go/capgo"
    }
  }
}
`+provider+"\n"+example)
					for _, step := range [][]string{
						{"apply", "-auto-approve", "-input=false"},
						{"plan", "-detailed-exitcode", "-input=false"}, // exit 2 means the plan is not empty
						{"destroy", "-auto-approve", "-input=false"},
					} {
						if !run.terraformWith(cli, step...) {
							t.Fatalf("terraform %s failed:\n%s", step[0], tail(run.out.String(), 40))
						}
					}
				})
			}
		})
	}
}

// exampleMock is a mock of dialect whose admin, the key's user, has 2FA on: the security example
// enforces 2FA, which needs it on the key's own account.
func exampleMock(t *testing.T, dialect string) *accMock {
	t.Helper()
	seed := mockserver.DefaultSeedFor(dialect)
	if dialect == mockserver.DialectRBAC {
		for i := range seed.Users {
			seed.Users[i].TwoFactor = seed.Users[i].Email == mockserver.AdminEmail
		}
	}
	// Webhook deliveries go to a local receiver, never to the examples' hosts.
	receiver := newReceiver(t)
	return newAccMockIn(t, dialect, withSeed(seed), withWebhookTarget(receiver.URL))
}
