package provider

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// cliRun is a Terraform CLI working directory that uses a provider binary built from this
// module, as a user's would, with every line Terraform and the provider print kept.
type cliRun struct {
	t   *testing.T
	dir string
	env []string
	out bytes.Buffer // everything printed, logs included
}

func newCLIRun(t *testing.T, providerDir string) *cliRun {
	t.Helper()
	dir := t.TempDir()
	cliConfig := filepath.Join(dir, "terraform.rc")
	writeFile(t, cliConfig, fmt.Sprintf(`
provider_installation {
  dev_overrides {
    "registry.terraform.io/cap-go/capgo" = %q
  }
  direct {}
}
`, providerDir))
	return &cliRun{t: t, dir: dir, env: append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"TF_LOG=TRACE",
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
	)}
}

// quiet turns Terraform's and the provider's logs off, for runs whose output is not inspected line
// by line.
func (r *cliRun) quiet() *cliRun {
	r.env = append(r.env, "TF_LOG=")
	return r
}

// terraform runs a Terraform command and reports whether it succeeded.
func (r *cliRun) terraform(args ...string) bool {
	r.t.Helper()
	cmd := exec.CommandContext(r.t.Context(), "terraform", append(args, "-no-color")...)
	cmd.Dir, cmd.Env = r.dir, r.env
	cmd.Stdout, cmd.Stderr = &r.out, &r.out
	return cmd.Run() == nil
}

// cliProviderConfig is the terraform block of a configuration run against a provider build
// (dev_overrides), and the provider block for the mock at url with key ("" to leave it out).
func cliProviderConfig(url, key string) string {
	config := fmt.Sprintf(`
terraform {
  required_providers {
    capgo = {
      source = "cap-go/capgo"
    }
  }
}

provider "capgo" {
  api_url = %q
`, url)
	if key != "" {
		config += fmt.Sprintf("  api_key = %q\n", key)
	}
	return config + "}\n"
}

// buildProvider compiles the provider once per test binary, into a directory of its own that
// TestMain removes, and returns that directory.
func buildProvider(t *testing.T) string {
	t.Helper()
	providerBuild.once.Do(func() {
		// Not t.TempDir: the binary outlives the test that builds it, and TestMain removes it.
		dir, err := os.MkdirTemp("", "capgo-provider-build-") //nolint:usetesting // shared by the tests

		if err != nil {
			providerBuild.err = err
			return
		}
		providerBuild.dir = dir
		cmd := exec.CommandContext(context.Background(), "go", "build", "-o", filepath.Join(dir, "terraform-provider-capgo"), "github.com/Cap-go/terraform-provider-capgo")
		// The compiler is no short-lived process: it gets its collector back (see TestMain).
		cmd.Env = append(os.Environ(), "GOGC=100")
		if out, err := cmd.CombinedOutput(); err != nil {
			providerBuild.err = fmt.Errorf("%w\n%s", err, out)
		}
	})
	if providerBuild.err != nil {
		t.Fatalf("building the provider: %v", providerBuild.err)
	}
	return providerBuild.dir
}

var providerBuild struct {
	once sync.Once
	dir  string
	err  error
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// The API key must appear in no log line (even at TRACE), no output, no error and not in the
// state, while the requests themselves are logged.
func TestAccAPIKeyNeverShows(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	t.Parallel()
	providerDir := buildProvider(t)
	mock := newAccMock(t)
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

func readFile(t *testing.T, name string) string {
	t.Helper()
	content, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(content)
}

// tail returns the last n lines of s, where a failure's cause usually is.
func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
