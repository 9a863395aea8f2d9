package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// testAccProtoV6ProviderFactories serves the provider in process to the Terraform CLI that
// terraform-plugin-testing drives.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"capgo": providerserver.NewProtocol6WithError(New("test")()),
}

// dialects are the two APIs Capgo speaks (see mockserver): the documented one and its
// production backend. Every acceptance test runs against both.
var dialects = []string{mockserver.DialectDocs, mockserver.DialectRBAC}

// forEachDialect runs test once per dialect, as subtests named after the dialects, in parallel
// with the other tests. Each subtest becomes parallel through the resource.ParallelTest it runs;
// one that runs subtests of its own instead (one per row) calls t.Parallel itself, so that both
// dialects run at once.
func forEachDialect(t *testing.T, test func(t *testing.T, dialect string)) {
	t.Helper()
	t.Parallel()
	forEachDialectInTurn(t, test)
}

// forEachDialectInTurn is forEachDialect for tests that cannot run in parallel, such as those
// that set environment variables.
func forEachDialectInTurn(t *testing.T, test func(t *testing.T, dialect string)) {
	t.Helper()
	for _, dialect := range dialects {
		t.Run(dialect, func(t *testing.T) { test(t, dialect) })
	}
}

// beforeAnyRequest runs a test of what the provider refuses before it sends a request: bad input,
// a malformed import ID. That does not depend on the API the server speaks, so it runs once,
// against a mock of the documented API, in parallel with the other tests, and fails if the mock
// got any request. Its rows may be parallel subtests: the count is read once they have all run.
func beforeAnyRequest(t *testing.T, test func(t *testing.T, mock *accMock)) {
	t.Helper()
	t.Parallel()
	mock := newAccMockIn(t, mockserver.DialectDocs)
	t.Cleanup(func() {
		if n := mock.Stats().RequestsTotal; n != 0 {
			t.Errorf("the server got %d requests, want none: this is refused before anything is sent", n)
		}
	})
	test(t, mock)
}

// byDialect picks the expectation of the dialect at hand among one per dialect.
func byDialect[T any](dialect string, docs, rbac T) T {
	if dialect == mockserver.DialectRBAC {
		return rbac
	}
	return docs
}

// accMock is one acceptance test's own mock Capgo server, so tests can run in parallel without
// seeing each other's organizations.
type accMock struct {
	*mockserver.TestServer
	t       *testing.T
	dialect string
	// seeded holds the IDs of the organizations the mock started with: in the production dialect
	// each account has one of its own, as Capgo's sign-up gives. The test made every other one.
	seeded map[string]bool
}

// mockOption changes the options a test's mock server starts with.
type mockOption func(*mockserver.Options)

// withSeed starts the mock server in the state of seed rather than the dialect's default seed.
func withSeed(seed *mockserver.Seed) mockOption {
	return func(o *mockserver.Options) { o.Seed = seed }
}

// withClock gives the mock server the clock of its timestamps, rate-limit windows and lockouts, so
// that a test can tell exactly how much of a window or a lockout is left, however slow the machine.
func withClock(clock func() time.Time) mockOption {
	return func(o *mockserver.Options) { o.Clock = clock }
}

// withWebhookTarget has the mock deliver every webhook event to target, a local receiver, with the
// webhook's own URL in the X-Mock-Webhook-URL header.
func withWebhookTarget(target string) mockOption {
	return func(o *mockserver.Options) { o.WebhookTarget = target }
}

// newAccMockIn starts a mock server that speaks dialect, for the length of the test. Every
// organization it starts with counts as seeded.
func newAccMockIn(t *testing.T, dialect string, opts ...mockOption) *accMock {
	t.Helper()
	if liveMode() {
		t.Skip("needs the mock Capgo server (its control API, seeded accounts, faults or clock), which a run " +
			"against a real Capgo does not have")
	}
	options := mockserver.Options{Dialect: dialect}
	for _, opt := range opts {
		opt(&options)
	}
	m := &accMock{TestServer: mockserver.NewTestServer(t, options), t: t, dialect: dialect, seeded: map[string]bool{}}
	for _, org := range m.State().Organizations {
		m.seeded[org.ID] = true
	}
	return m
}

// rbacRoles are the production API's names for the documented roles: read, upload and write are
// all org_member there.
var rbacRoles = map[string]string{
	"read":        "org_member",
	"upload":      "org_member",
	"write":       "org_member",
	"admin":       "org_admin",
	"super_admin": "org_super_admin",
}

// serverRole is the server's name for a documented role: what the mock's state shows, and what
// Capgo reports to a data source or an import.
func (m *accMock) serverRole(role string) string {
	if m.dialect == mockserver.DialectRBAC {
		if name, ok := rbacRoles[role]; ok {
			return name
		}
	}
	return role
}

// providerBlock configures the provider against this mock with the given key.
func (m *accMock) providerBlock(apiKey string) string {
	return fmt.Sprintf(`
provider "capgo" {
  api_url = %q
  api_key = %q
}
`, m.URL, apiKey)
}

// adminConfig prepends the provider block for the seeded admin user to a configuration.
func (m *accMock) adminConfig(config string) string {
	return m.providerBlock(mockserver.AdminAPIKey) + config
}

// client is an API client for out-of-band changes, as a person in the Capgo console would make.
func (m *accMock) client(apiKey string) *capgo.Client {
	m.t.Helper()
	c, err := capgo.NewClient(capgo.Config{BaseURL: m.URL, APIKey: apiKey, UserAgent: "acceptance-test"})
	if err != nil {
		m.t.Fatal(err)
	}
	return c
}

// CreateUser creates an account on the mock. In the production dialect the account comes with an
// organization of its own, as Capgo's sign-up gives: it counts as seeded, not as made by the test.
func (m *accMock) CreateUser(email string) mockserver.User {
	m.t.Helper()
	u := m.TestServer.CreateUser(email)
	for _, org := range m.State().Organizations {
		if org.CreatedBy == u.UID {
			m.seeded[org.ID] = true
		}
	}
	return u
}

// createdOrganizations are the organizations the mock holds but those it was seeded with: the ones
// the test made, whoever owns them, oldest first.
func (m *accMock) createdOrganizations() []mockserver.StateOrganization {
	var out []mockserver.StateOrganization
	for _, org := range m.State().Organizations {
		if !m.seeded[org.ID] {
			out = append(out, org)
		}
	}
	return out
}

// organizationCount is how many organizations the test made that the mock still holds.
func (m *accMock) organizationCount() int {
	return len(m.createdOrganizations())
}

// checkDestroyed is a CheckDestroy: after destroy, no organization may be left behind but the ones
// the mock was seeded with, and those must all still be there.
func (m *accMock) checkDestroyed(_ *terraform.State) error {
	left, seededLeft := 0, 0
	for _, org := range m.State().Organizations {
		if m.seeded[org.ID] {
			seededLeft++
		} else {
			left++
		}
	}
	if left != 0 {
		return fmt.Errorf("%d organization(s) left on the server after destroy", left)
	}
	if seededLeft != len(m.seeded) {
		return fmt.Errorf("%d of the %d organizations the server was seeded with are gone", len(m.seeded)-seededLeft, len(m.seeded))
	}
	return nil
}

// deleteSeededOrganizationsOfAdmin deletes the organizations the mock was seeded with that the admin
// account owns, as its user could: from then on that account belongs to the test's organizations
// only. The rest of the test no longer expects them.
func (m *accMock) deleteSeededOrganizationsOfAdmin() {
	m.t.Helper()
	adminUID := m.userID(mockserver.AdminEmail)
	for _, org := range m.State().Organizations {
		if m.seeded[org.ID] && org.CreatedBy == adminUID {
			m.mustDo("delete the admin's seeded organization", m.client(mockserver.AdminAPIKey).DeleteOrganization(bg, org.ID))
			delete(m.seeded, org.ID)
		}
	}
}

// adminsSeededOrganizations are the seeded organizations where the admin is an accepted member,
// oldest first.
func (m *accMock) adminsSeededOrganizations() []mockserver.StateOrganization {
	var out []mockserver.StateOrganization
	for _, org := range m.State().Organizations {
		for _, member := range org.Members {
			if m.seeded[org.ID] && member.Email == mockserver.AdminEmail && !member.Pending {
				out = append(out, org)
			}
		}
	}
	return out
}

// userID is the uid of an account of the mock.
func (m *accMock) userID(email string) string {
	m.t.Helper()
	for _, u := range m.State().Users {
		if u.Email == email {
			return u.UID
		}
	}
	m.t.Fatalf("no account %s on the mock", email)
	return ""
}

// seededOrganizationID is the ID of the organization the mock was seeded with under name.
func (m *accMock) seededOrganizationID(name string) string {
	m.t.Helper()
	for _, org := range m.State().Organizations {
		if org.Name == name && m.seeded[org.ID] {
			return org.ID
		}
	}
	m.t.Fatalf("no seeded organization %q", name)
	return ""
}

// serverCheck is a state check that looks at the server rather than at Terraform's state.
type serverCheck func() error

func (check serverCheck) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = check()
}

// mustDo fails the test at once when an out-of-band change fails.
func (m *accMock) mustDo(what string, err error) {
	m.t.Helper()
	if err != nil {
		m.t.Fatalf("%s: %v", what, err)
	}
}

var bg = context.Background()

// emptyPlanAfterApply checks that no change shows after the step's apply.
func emptyPlanAfterApply() resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
}

// plannedAction checks that the step plans action for address, and that no change shows after it.
func plannedAction(address string, action plancheck.ResourceActionType) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, action)},
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
}

// hclList writes values as an HCL list of strings.
func hclList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// Resource identities need Terraform 1.12 or OpenTofu 1.12: older CLIs neither ask for them nor
// accept an import block that names one.
var identityCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

// queryTerraformVersions gates the tests of list resources: `terraform query` came with Terraform 1.14.
var queryTerraformVersions = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}

// cliRun is a Terraform CLI working directory that uses a provider binary built from this
// module, as a user's would, with every line Terraform and the provider print kept.
type cliRun struct {
	t   *testing.T
	dir string
	env []string
	out bytes.Buffer // everything printed, logs included
}

// newCLIRun is a fresh working directory whose Terraform CLI takes the provider from providerDir
// (see buildProvider), with TRACE logs.
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

// terraform runs a Terraform command with the terraform on PATH and reports whether it succeeded.
func (r *cliRun) terraform(args ...string) bool {
	r.t.Helper()
	return r.terraformWith("terraform", args...)
}

// terraformWith runs a Terraform command with the given CLI rather than the one on PATH, and
// reports whether it succeeded.
func (r *cliRun) terraformWith(cli string, args ...string) bool {
	r.t.Helper()
	cmd := exec.CommandContext(r.t.Context(), cli, append(args, "-no-color")...)
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

// providerBuild is the provider binary buildProvider made, shared by the tests of one test binary.
var providerBuild struct {
	once sync.Once
	dir  string
	err  error
}

// terraformUnderTest is the CLI the acceptance tests run: TF_ACC_TERRAFORM_PATH when set, as
// terraform-plugin-testing picks it, otherwise the terraform on PATH.
func terraformUnderTest() string {
	if cli := os.Getenv("TF_ACC_TERRAFORM_PATH"); cli != "" {
		return cli
	}
	return "terraform"
}

// terraformMinorVersionOf asks a Terraform CLI its version, as major and minor numbers.
func terraformMinorVersionOf(t *testing.T, cli string) (major, minor int, full string) {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), cli, "version", "-json").Output()
	if err != nil {
		t.Fatalf("%s version -json: %v", cli, err)
	}
	var answer struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &answer); err != nil {
		t.Fatalf("reading the answer of %s version -json: %v\n%s", cli, err, out)
	}
	parts := strings.SplitN(answer.Version, ".", 3)
	if len(parts) < 2 {
		t.Fatalf("%s reports version %q", cli, answer.Version)
	}
	major, errMajor := strconv.Atoi(parts[0])
	minor, errMinor := strconv.Atoi(parts[1])
	if errMajor != nil || errMinor != nil {
		t.Fatalf("%s reports version %q", cli, answer.Version)
	}
	return major, minor, answer.Version
}

// writeFile writes content to the file name, failing the test if it cannot.
func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// readFile returns the content of the file name, failing the test if it cannot.
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
