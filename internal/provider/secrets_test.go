package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// The API key must appear in no log line (even at TRACE), no output, no error and not in the
// state, while the requests themselves are logged.
func TestAccAPIKeyNeverShows(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	t.Parallel()
	providerDir := buildProvider(t)
	mock := newAccMockIn(t, mockserver.DialectDocs)
	key := mock.CreateUser("keeper@example.com").APIKey

	run := newCLIRun(t, providerDir)
	writeFile(t, filepath.Join(run.dir, "main.tf"), cliProviderConfig(mock.URL, key)+fmt.Sprintf(`
resource "capgo_organization" "secret" {
  name = "Secret keepers"
}

resource "capgo_organization_member" "dev" {
  organization_id = capgo_organization.secret.id
  email           = %q
  role            = "write"
}

output "status" {
  value = capgo_organization_member.dev.status
}
`, mockserver.DevEmail))

	if !run.terraform("apply", "-auto-approve") {
		t.Fatalf("apply failed:\n%s", tail(run.out.String(), 60))
	}
	if !run.terraform("plan", "-detailed-exitcode") {
		t.Fatalf("the plan after apply is not empty:\n%s", tail(run.out.String(), 60))
	}
	state, err := os.ReadFile(filepath.Join(run.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}

	// Now with a key Capgo does not know: the error must not repeat it.
	badKey := "cgk-unknown-" + key[len(key)/2:] + "-x"
	writeFile(t, filepath.Join(run.dir, "main.tf"), strings.Replace(readFile(t, filepath.Join(run.dir, "main.tf")), key, badKey, 1))
	if run.terraform("plan") {
		t.Fatal("a plan with an unknown key succeeded")
	}

	logs := run.out.String()
	for _, want := range []string{"@module=capgo", "path=/organization/members/", "The API key was rejected"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the output lacks %q; request logging or the error is missing", want)
		}
	}
	for what, text := range map[string]string{"logs and output": logs, "state": string(state)} {
		for _, secret := range []string{key, badKey} {
			if strings.Contains(text, secret) {
				t.Errorf("an API key appears in the %s", what)
			}
		}
	}
	t.Logf("checked %d lines of TRACE output and %d bytes of state", strings.Count(logs, "\n"), len(state))

	// Leave nothing behind on the server: destroy with the good key again.
	writeFile(t, filepath.Join(run.dir, "main.tf"), strings.Replace(readFile(t, filepath.Join(run.dir, "main.tf")), badKey, key, 1))
	if !run.terraform("destroy", "-auto-approve") {
		t.Fatalf("destroy failed:\n%s", tail(run.out.String(), 40))
	}
}
