package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// wrongKey is a well-formed API key the mock does not know.
const wrongKey = "00000000-0000-4000-8000-000000000000"

// writersConfig invites a write member per email to the organization the map gives, the
// provider using key. The memberships depend on nothing, so Terraform refreshes them all at once.
func (m *accMock) writersConfig(key string, orgOf map[string]string) string {
	var entries strings.Builder
	for email, orgID := range orgOf {
		fmt.Fprintf(&entries, "    %q = %q\n", email, orgID)
	}
	return m.providerBlock(key) + fmt.Sprintf(`
resource "capgo_organization_member" "team" {
  for_each = {
%s  }

  organization_id = each.value
  email           = each.key
  role            = "write"
}
`, entries.String())
}

// A plan with a wrong key refreshes 20 memberships in 5 organizations, ten at a time, and sends
// one request: each refused request counts towards the lockout of the machine's whole address.
func TestAccWrongKeyIsSentOnce(t *testing.T) {
	mock := newAccMockIn(t, mockserver.DialectRBAC)
	admin := mock.client(mockserver.AdminAPIKey)
	orgOf := map[string]string{}
	for o := range 5 {
		id, err := admin.CreateOrganization(bg, capgo.CreateOrganizationRequest{Name: fmt.Sprintf("Team %d", o)})
		mock.mustDo("create an organization", err)
		for i := range 4 {
			orgOf[mock.CreateUser(fmt.Sprintf("team%d-%d@example.com", o, i)).Email] = id
		}
	}
	var before int64
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: mock.writersConfig(mockserver.AdminAPIKey, orgOf)},
			{
				PreConfig:   func() { before = mock.Stats().RequestsTotal },
				Config:      mock.writersConfig(wrongKey, orgOf),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)The API key was rejected.*CAPGO_API_KEY`),
			},
			{
				PreConfig: func() {
					if sent := mock.Stats().RequestsTotal - before; sent != 1 {
						t.Errorf("the plan with the wrong key sent %d requests, want 1", sent)
					}
				},
				// Removes everything: the test framework cannot destroy for_each instances itself.
				Config: mock.adminConfig(""),
			},
		},
	})
}

// Once Capgo has locked the machine's address out, the provider says so and for how long, and
// does not retry for minutes.
func TestAccLockoutIsReportedAtOnce(t *testing.T) {
	// The mock's clock stands still: the lockout has all of its 15 minutes left when the provider
	// meets it, however long the machine takes to get there.
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	mock := newAccMockIn(t, mockserver.DialectRBAC, withClock(func() time.Time { return now }))
	mock.SetLimits(mockserver.Limits{FailedAuths: 2, LockoutSeconds: 900})
	for range 2 { // two failed authentications, as another tool with a wrong key would make
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, mock.URL+"/organization/", nil)
		mock.mustDo("build a request", err)
		req.Header.Set("Authorization", wrongKey)
		resp, err := http.DefaultClient.Do(req)
		mock.mustDo("send a request with a wrong key", err)
		_ = resp.Body.Close()
	}
	before := mock.Stats().RequestsTotal
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      mock.adminConfig(`resource "capgo_organization" "test" { name = "Mobile" }`),
			ExpectError: regexp.MustCompile(`(?s)refuses every request from this machine's address for 15m0s,.*Nothing was\s+retried`),
		}},
	})
	if sent := mock.Stats().RequestsTotal - before; sent != 1 {
		t.Errorf("the provider sent %d requests into the lockout, want 1", sent)
	}
}
