package provider

import (
	"context"
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

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
	mock := newAccMock(t)
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

// newAccMock starts a mock server of the documented dialect.
func newAccMock(t *testing.T) *accMock {
	t.Helper()
	return newAccMockIn(t, mockserver.DialectDocs)
}

// mockOption changes the options a test's mock server starts with.
type mockOption func(*mockserver.Options)

// withClock gives the mock server the clock of its timestamps, rate-limit windows and lockouts, so
// that a test can tell exactly how much of a window or a lockout is left, however slow the machine.
func withClock(clock func() time.Time) mockOption {
	return func(o *mockserver.Options) { o.Clock = clock }
}

// newAccMockIn starts a mock server that speaks dialect.
func newAccMockIn(t *testing.T, dialect string, opts ...mockOption) *accMock {
	t.Helper()
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

// TestMain runs the Terraform CLI without its garbage collector and its version check, and removes
// the provider binary that the CLI tests share (buildProvider).
// fuzzing reports a run of a fuzz target, or one of its workers.
func fuzzing() bool {
	for _, name := range []string{"test.fuzz", "test.fuzzworker"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" && f.Value.String() != "false" {
			return true
		}
	}
	return false
}

func TestMain(m *testing.M) {
	flag.Parse()
	// Each Terraform command the tests start lives well under a second and spends about a third
	// of its CPU time collecting garbage that exiting frees anyway; the suite starts well over a
	// thousand of them. Only child processes see this: the test binary keeps the setting it
	// started with, and a GOGC of the caller's own is left alone. Not when fuzzing, whose workers
	// are long-lived children of the test binary.
	if _, set := os.LookupEnv("GOGC"); !set && !fuzzing() {
		_ = os.Setenv("GOGC", "off")
	}
	// Nor do they ask HashiCorp whether a newer Terraform is out: the tests talk to nothing but
	// their own mock.
	if _, set := os.LookupEnv("CHECKPOINT_DISABLE"); !set {
		_ = os.Setenv("CHECKPOINT_DISABLE", "1")
	}
	// Each test talks to a mock of its own, without a rate limit unless the test sets one, so the
	// provider need not pace its requests; pacing is tested on its own, and measured by the bench.
	if _, set := os.LookupEnv(envRequestsPerMinute); !set {
		_ = os.Setenv(envRequestsPerMinute, "0")
	}
	code := m.Run()
	if providerBuild.dir != "" {
		_ = os.RemoveAll(providerBuild.dir)
	}
	os.Exit(code)
}
