package provider

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// The live tests need nothing but Capgo's public API. `make test` runs them against a mock of
// Capgo's production API of their own; `make testacc-live` (CAPGO_ACC_LIVE=1) runs them against the
// server of CAPGO_API_URL with CAPGO_API_KEY, inviting the accounts of CAPGO_ACC_INVITEE_EMAILS.
// Whatever they create is named tf-acc-<random>, and removed, also when a test fails; they touch
// no organization they did not create.

// envLive turns the live mode on; envInvitees lists the accounts the live tests invite.
const (
	envLive     = "CAPGO_ACC_LIVE"
	envInvitees = "CAPGO_ACC_INVITEE_EMAILS"
	// livePrefix starts the name of everything a live test creates, and is what make sweep removes.
	livePrefix = "tf-acc-"
)

// liveMode reports a run against a real Capgo server.
func liveMode() bool { return os.Getenv(envLive) != "" }

// liveTarget is the server a live test runs against.
type liveTarget struct {
	url, key string
	invitees []string
	client   *capgo.Client
	keyEmail string // the API key's user
}

// newLiveTarget is the server of the settings in live mode, else a mock of Capgo's production API
// with two accounts to invite.
func newLiveTarget(t *testing.T) *liveTarget {
	t.Helper()
	lt := &liveTarget{}
	if liveMode() {
		lt.url, lt.key = os.Getenv(envAPIURL), os.Getenv(envAPIKey)
		for _, email := range strings.Split(os.Getenv(envInvitees), ",") {
			if email = strings.TrimSpace(email); email != "" {
				lt.invitees = append(lt.invitees, email)
			}
		}
		var missing []string
		if lt.url == "" {
			missing = append(missing, envAPIURL+" (the Capgo API to test, such as https://api.capgo.app)")
		}
		if lt.key == "" {
			missing = append(missing, envAPIKey+" (an API key of an account with an organization of its own)")
		}
		if len(lt.invitees) < 2 {
			missing = append(missing, envInvitees+" (at least two comma-separated emails of other Capgo accounts)")
		}
		if len(missing) > 0 {
			t.Fatalf("a live run needs %s", strings.Join(missing, "; "))
		}
	} else {
		// Webhook deliveries go to a local receiver, never to the tests' example hosts.
		mock := newAccMockIn(t, mockserver.DialectRBAC, withWebhookTarget(newReceiver(t).URL))
		lt.url, lt.key = mock.URL, mockserver.AdminAPIKey
		for _, email := range []string{"invitee-1@example.com", "invitee-2@example.com"} {
			mock.CreateUser(email)
			lt.invitees = append(lt.invitees, email)
		}
	}
	client, err := capgo.NewClient(capgo.Config{BaseURL: lt.url, APIKey: lt.key, UserAgent: "terraform-provider-capgo/acc"})
	if err != nil {
		t.Fatal(err)
	}
	lt.client = client
	key, known := client.KeyUserOf(t.Context())
	if !known || key.Email == "" {
		t.Fatal("cannot tell whose API key this is: the key's user needs an organization of their own, as Capgo gives at sign-up")
	}
	lt.keyEmail = key.Email
	return lt
}

// name is a fresh name for what the test creates; the organizations of that name are removed when
// the test ends, whatever happened.
func (lt *liveTarget) name(t *testing.T) string {
	t.Helper()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := livePrefix + hex.EncodeToString(b)
	t.Cleanup(func() {
		orgs, err := lt.client.ListOrganizations(bg) // the test's own context has ended
		if err != nil {
			t.Errorf("listing the organizations to clean up %s: %v", name, err)
			return
		}
		for _, org := range orgs {
			if org.Name == name {
				if err := lt.client.DeleteOrganization(bg, org.ID); err != nil && capgo.KindOf(err) != capgo.KindNotFound {
					t.Errorf("removing organization %s (%s), left by the test: %v", name, org.ID, err)
				}
			}
		}
	})
	return name
}

// config is the provider block for the target, then body.
func (lt *liveTarget) config(body string) string {
	return fmt.Sprintf("provider \"capgo\" {\n  api_url = %q\n  api_key = %q\n}\n", lt.url, lt.key) + body
}

// organizationGone checks, after the destroy, that no organization of name is left.
func (lt *liveTarget) organizationGone(name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		orgs, err := lt.client.ListOrganizations(bg)
		if err != nil {
			return err
		}
		for _, org := range orgs {
			if org.Name == name {
				return fmt.Errorf("organization %s (%s) is still there", name, org.ID)
			}
		}
		return nil
	}
}

// can skips the test when the server lacks what it needs.
func (lt *liveTarget) can(t *testing.T, what string, has func(capgo.Capabilities) bool) {
	t.Helper()
	orgs, err := lt.client.ListOrganizations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	orgID := ""
	if len(orgs) > 0 {
		orgID = orgs[0].ID
	}
	can, err := lt.client.ServerCapabilities(t.Context(), orgID)
	if err != nil {
		t.Fatal(err)
	}
	if !has(can) {
		t.Skipf("this Capgo server has no %s", what)
	}
}

func organizationBlock(name string) string {
	return fmt.Sprintf("resource \"capgo_organization\" \"test\" {\n  name = %q\n}\n", name)
}

const liveOrg = "capgo_organization.test"

// An organization: created, renamed, read by the data sources, imported, destroyed.
func TestAccLiveOrganization(t *testing.T) {
	lt := newLiveTarget(t)
	name := lt.name(t)
	read := `
data "capgo_organization" "test" {
  id = capgo_organization.test.id
}

data "capgo_organizations" "all" {
  depends_on = [capgo_organization.test]
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             lt.organizationGone(name + "-renamed"),
		Steps: []resource.TestStep{
			{
				Config:           lt.config(organizationBlock(name)),
				ConfigPlanChecks: emptyPlanAfterApply(),
			},
			{
				Config:           lt.config(organizationBlock(name+"-renamed") + read),
				ConfigPlanChecks: emptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.capgo_organization.test", tfjsonpath.New("name"), knownvalue.StringExact(name+"-renamed")),
				},
				Check: resource.TestCheckTypeSetElemNestedAttrs("data.capgo_organizations.all", "organizations.*",
					map[string]string{"name": name + "-renamed"}),
			},
			{
				Config:            lt.config(organizationBlock(name + "-renamed")),
				ResourceName:      liveOrg,
				ImportState:       true,
				ImportStateVerify: true,
			},
		},
	})
}

// One member: invited, given another role (a pending invitation is re-sent), imported, removed.
func TestAccLiveMember(t *testing.T) {
	lt := newLiveTarget(t)
	name := lt.name(t)
	member := func(role string) string {
		return organizationBlock(name) + fmt.Sprintf(`
resource "capgo_organization_member" "invitee" {
  organization_id = capgo_organization.test.id
  email           = %q
  role            = %q
}
`, lt.invitees[0], role)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             lt.organizationGone(name),
		Steps: []resource.TestStep{
			{
				Config: lt.config(member("read")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("capgo_organization_member.invitee", tfjsonpath.New("status"), knownvalue.StringExact("pending")),
				},
				ConfigPlanChecks: emptyPlanAfterApply(),
			},
			{
				Config:           lt.config(member("admin")),
				ConfigPlanChecks: plannedAction("capgo_organization_member.invitee", plancheck.ResourceActionUpdate),
			},
			{
				Config:                  lt.config(member("admin")),
				ResourceName:            "capgo_organization_member.invitee",
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"role"}, // held as the server names it
			},
			{
				// Removed from the configuration: the invitation is revoked.
				Config: lt.config(organizationBlock(name)),
				Check: func(s *terraform.State) error {
					members, err := lt.client.ListMembers(bg, s.RootModule().Resources[liveOrg].Primary.ID)
					if err != nil {
						return err
					}
					if hasEmail(members, lt.invitees[0]) {
						return fmt.Errorf("%s is still invited", lt.invitees[0])
					}
					return nil
				},
			},
		},
	})
}

// hasEmail reports whether email is among members, in any letter case.
func hasEmail(members []capgo.Member, email string) bool {
	for _, m := range members {
		if strings.EqualFold(m.Email, email) {
			return true
		}
	}
	return false
}

// The whole membership: invited as one resource, a member added outside Terraform removed, read by
// the data source.
func TestAccLiveMembers(t *testing.T) {
	lt := newLiveTarget(t)
	name := lt.name(t)
	config := lt.config(organizationBlock(name) + fmt.Sprintf(`
resource "capgo_organization_members" "team" {
  organization_id = capgo_organization.test.id
  members = {
    %q = { role = "super_admin" }
    %q = { role = "write" }
  }
}

data "capgo_organization_members" "all" {
  organization_id = capgo_organization.test.id
  depends_on      = [capgo_organization_members.team]
}
`, lt.keyEmail, lt.invitees[0]))
	var orgID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             lt.organizationGone(name),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckTypeSetElemNestedAttrs("data.capgo_organization_members.all", "members.*",
						map[string]string{"email": lt.invitees[0], "status": "pending"}),
					func(s *terraform.State) error { orgID = s.RootModule().Resources[liveOrg].Primary.ID; return nil },
				),
			},
			{
				// Invited outside Terraform: the plan removes them.
				PreConfig: func() {
					_, err := lt.client.AddMember(bg, capgo.AddMemberRequest{OrganizationID: orgID, Email: lt.invitees[1], Role: "read"})
					if err != nil {
						t.Fatalf("inviting %s outside Terraform: %v", lt.invitees[1], err)
					}
				},
				Config:           config,
				ConfigPlanChecks: plannedAction("capgo_organization_members.team", plancheck.ResourceActionUpdate),
				Check: func(*terraform.State) error {
					members, err := lt.client.ListMembers(bg, orgID)
					if err != nil {
						return err
					}
					if hasEmail(members, lt.invitees[1]) {
						return fmt.Errorf("%s, invited outside Terraform, is still there", lt.invitees[1])
					}
					return nil
				},
			},
		},
	})
}

// Security settings, where the server has them: set, changed, imported.
func TestAccLiveSecurity(t *testing.T) {
	lt := newLiveTarget(t)
	lt.can(t, "organization security settings", func(c capgo.Capabilities) bool { return c.SecuritySettings })
	name := lt.name(t)
	security := func(days int) string {
		return organizationBlock(name) + fmt.Sprintf(`
resource "capgo_organization_security" "test" {
  organization_id             = capgo_organization.test.id
  enforce_hashed_api_keys     = true
  max_api_key_expiration_days = %d
}
`, days)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             lt.organizationGone(name),
		Steps: []resource.TestStep{
			{Config: lt.config(security(90)), ConfigPlanChecks: emptyPlanAfterApply()},
			{Config: lt.config(security(30)), ConfigPlanChecks: plannedAction("capgo_organization_security.test", plancheck.ResourceActionUpdate)},
			{
				Config:       lt.config(security(30)),
				ResourceName: "capgo_organization_security.test",
				ImportState:  true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return s.RootModule().Resources["capgo_organization_security.test"].Primary.Attributes["organization_id"], nil
				},
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					return expectAttribute(states, "max_api_key_expiration_days", "30")
				},
			},
		},
	})
}

func expectAttribute(states []*terraform.InstanceState, name, want string) error {
	if len(states) != 1 {
		return fmt.Errorf("%d states imported", len(states))
	}
	if got := states[0].Attributes[name]; got != want {
		return fmt.Errorf("%s = %q, want %q", name, got, want)
	}
	return nil
}

// A webhook, where the server has them: created with its secret, changed, imported, listed.
func TestAccLiveWebhook(t *testing.T) {
	lt := newLiveTarget(t)
	lt.can(t, "organization webhooks", func(c capgo.Capabilities) bool { return c.Webhooks })
	name := lt.name(t)
	webhook := func(events string) string {
		return organizationBlock(name) + fmt.Sprintf(`
resource "capgo_organization_webhook" "test" {
  organization_id = capgo_organization.test.id
  name            = %q
  url             = "https://example.com/capgo-acceptance-test"
  events          = %s
}

data "capgo_organization_webhooks" "all" {
  organization_id = capgo_organization.test.id
  depends_on      = [capgo_organization_webhook.test]
}
`, name, events)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             lt.organizationGone(name),
		Steps: []resource.TestStep{
			{
				Config: lt.config(webhook(`["orgs"]`)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("capgo_organization_webhook.test", tfjsonpath.New("secret"), knownvalue.StringRegexp(regexp.MustCompile(`^whsec_`))),
				},
				ConfigPlanChecks: emptyPlanAfterApply(),
			},
			{
				Config:           lt.config(webhook(`["orgs", "apps"]`)),
				ConfigPlanChecks: plannedAction("capgo_organization_webhook.test", plancheck.ResourceActionUpdate),
				Check: resource.TestCheckTypeSetElemNestedAttrs("data.capgo_organization_webhooks.all", "webhooks.*",
					map[string]string{"name": name}),
			},
			{
				Config:                  lt.config(webhook(`["orgs", "apps"]`)),
				ResourceName:            "capgo_organization_webhook.test",
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"secret"},
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					a := s.RootModule().Resources["capgo_organization_webhook.test"].Primary.Attributes
					return a["organization_id"] + "/" + a["id"], nil
				},
			},
		},
	})
}

// The audit log, where the server keeps one: the invitation the run made is in it.
func TestAccLiveAuditLog(t *testing.T) {
	lt := newLiveTarget(t)
	lt.can(t, "audit log", func(c capgo.Capabilities) bool { return c.AuditLog })
	name := lt.name(t)
	base := organizationBlock(name) + fmt.Sprintf(`
resource "capgo_organization_member" "invitee" {
  organization_id = capgo_organization.test.id
  email           = %q
  role            = "read"
}
`, lt.invitees[0])
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             lt.organizationGone(name),
		Steps: []resource.TestStep{
			{Config: lt.config(base)},
			{
				Config: lt.config(base + `
data "capgo_organization_audit_log" "members" {
  organization_id = capgo_organization.test.id
  table           = "org_users"
  operation       = "INSERT"
}
`),
				Check: resource.TestCheckTypeSetElemNestedAttrs("data.capgo_organization_audit_log.members", "entries.*",
					map[string]string{"table_name": "org_users", "operation": "INSERT"}),
			},
		},
	})
}

// A membership imported by its identity-free import ID and a role written in the other vocabulary.
func TestAccLiveMemberImportByID(t *testing.T) {
	lt := newLiveTarget(t)
	name := lt.name(t)
	config := lt.config(organizationBlock(name) + fmt.Sprintf(`
resource "capgo_organization_member" "invitee" {
  organization_id = capgo_organization.test.id
  email           = %q
  role            = "org_member"
}
`, lt.invitees[1]))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             lt.organizationGone(name),
		Steps: []resource.TestStep{
			{Config: config, ConfigPlanChecks: emptyPlanAfterApply()},
			{
				Config:            config,
				ResourceName:      "capgo_organization_member.invitee",
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateIdFunc: memberImportID("capgo_organization_member.invitee"),
			},
		},
	})
}

// An organization deleted outside Terraform leaves the state at the next refresh, and the plan
// creates it again.
func TestAccLiveOrganizationDeletedOutsideTerraform(t *testing.T) {
	lt := newLiveTarget(t)
	name := lt.name(t)
	config := lt.config(organizationBlock(name))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             lt.organizationGone(name),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					orgs, err := lt.client.ListOrganizations(bg)
					if err != nil {
						t.Fatal(err)
					}
					for _, org := range orgs {
						if org.Name == name {
							if err := lt.client.DeleteOrganization(bg, org.ID); err != nil {
								t.Fatalf("deleting %s outside Terraform: %v", name, err)
							}
						}
					}
				},
				Config:           config,
				ConfigPlanChecks: plannedAction(liveOrg, plancheck.ResourceActionCreate),
			},
		},
	})
}
