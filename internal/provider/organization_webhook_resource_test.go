package provider

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

const webhookAddress = "capgo_organization_webhook.events"

// receiver is a webhook endpoint as a user would run one: it keeps every delivery's raw body and
// headers, and answers with status.
type receiver struct {
	*httptest.Server
	mu         sync.Mutex
	deliveries []delivery
	status     int
}

type delivery struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	rc := &receiver{status: http.StatusOK}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.deliveries = append(rc.deliveries, delivery{header: r.Header.Clone(), body: body})
		status := rc.status
		rc.mu.Unlock()
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "received")
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) answer(status int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.status = status
}

// await returns the first delivery of event, waiting for the mock's goroutine to send it.
func (rc *receiver) await(event string) (delivery, error) {
	deadline := time.Now().Add(20 * time.Second) // a liveness bound, never an assertion on speed
	for time.Now().Before(deadline) {
		rc.mu.Lock()
		for _, d := range rc.deliveries {
			if d.header.Get("X-Capgo-Event") == event {
				rc.mu.Unlock()
				return d, nil
			}
		}
		rc.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
	return delivery{}, fmt.Errorf("no %s delivery arrived", event)
}

// verify checks a delivery's signatures from its raw body, as a receiver does: the legacy one keyed
// with the whole secret, and the Standard Webhooks one keyed with the decoded part after whsec_.
func (d delivery) verify(secret string) error {
	ts, sig, ok := strings.Cut(strings.TrimPrefix(d.header.Get("X-Capgo-Signature"), "v1="), ".")
	if !ok || ts != d.header.Get("X-Capgo-Timestamp") {
		return fmt.Errorf("X-Capgo-Signature %q does not carry the timestamp %q", d.header.Get("X-Capgo-Signature"), d.header.Get("X-Capgo-Timestamp"))
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "." + string(d.body)))
	if want := hex.EncodeToString(mac.Sum(nil)); !hmac.Equal([]byte(sig), []byte(want)) {
		return fmt.Errorf("X-Capgo-Signature does not match the body signed with the secret")
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return fmt.Errorf("the secret %q is not whsec_ and base64", secret)
	}
	mac = hmac.New(sha256.New, key)
	mac.Write([]byte(d.header.Get("webhook-id") + "." + d.header.Get("webhook-timestamp") + "." + string(d.body)))
	if want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)); d.header.Get("webhook-signature") != want {
		return fmt.Errorf("webhook-signature %q does not match the body signed with the secret", d.header.Get("webhook-signature"))
	}
	return nil
}

// webhookConfig is a webhook of the admin's own organization with the given events and name.
func (m *accMock) webhookConfig(orgID, name string, events ...string) string {
	return m.adminConfig(fmt.Sprintf(`
resource "capgo_organization_webhook" "events" {
  organization_id  = %q
  name             = %q
  url              = "https://hooks.example.com/capgo"
  events           = %s
  delivery_version = "standard"
}
`, orgID, name, hclList(events)))
}

// A webhook through its life: created with its secret, which signs the deliveries a receiver gets
// when a member is invited; changed in place; imported; turned on again after Capgo turned it off.
func TestAccOrganizationWebhook(t *testing.T) {
	rc := newReceiver(t)
	mock := newAccMockIn(t, mockserver.DialectRBAC, withWebhookTarget(rc.URL))
	orgID := mock.seededOrganizationID(mockserver.AdminEmail)
	admin := mock.client(mockserver.AdminAPIKey)
	var webhookID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: mock.webhookConfig(orgID, "Members", "org_users"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhookAddress, tfjsonpath.New("secret"), knownvalue.StringRegexp(regexp.MustCompile(`^whsec_`))),
					statecheck.ExpectKnownValue(webhookAddress, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
				},
				Check: func(s *terraform.State) error {
					attrs := s.RootModule().Resources[webhookAddress].Primary.Attributes
					webhookID = attrs["id"]
					if _, err := admin.AddMember(bg, capgo.AddMemberRequest{OrganizationID: orgID, Email: mockserver.DevEmail, Role: "org_member"}); err != nil {
						return err
					}
					d, err := rc.await("org_users.INSERT")
					if err != nil {
						return err
					}
					if got := d.header.Get("X-Mock-Webhook-URL"); got != "https://hooks.example.com/capgo" {
						return fmt.Errorf("the delivery was for %q, want the webhook's url", got)
					}
					return d.verify(attrs["secret"])
				},
				ConfigPlanChecks: emptyPlanAfterApply(),
			},
			{
				Config:           mock.webhookConfig(orgID, "Members and apps", "org_users", "apps", "org_users"),
				ConfigPlanChecks: plannedAction(webhookAddress, plancheck.ResourceActionUpdate),
				Check: func(*terraform.State) error {
					hook, err := admin.GetWebhook(bg, orgID, webhookID)
					if err != nil {
						return err
					}
					if hook.Name != "Members and apps" || strings.Join(hook.Events, ",") != "apps,org_users" {
						return fmt.Errorf("Capgo holds %q with events %v", hook.Name, hook.Events)
					}
					return nil
				},
			},
			{
				// The data source lists it, without its secret.
				Config: mock.webhookConfig(orgID, "Members and apps", "org_users", "apps") + fmt.Sprintf(`
data "capgo_organization_webhooks" "all" {
  organization_id = %q
  depends_on      = [capgo_organization_webhook.events]
}
`, orgID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.capgo_organization_webhooks.all", tfjsonpath.New("webhooks"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"name":   knownvalue.StringExact("Members and apps"),
							"events": knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("apps"), knownvalue.StringExact("org_users")}),
						})})),
				},
			},
			{
				ResourceName:            webhookAddress,
				ImportState:             true,
				ImportStateIdFunc:       func(*terraform.State) (string, error) { return orgID + "/" + webhookID, nil },
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"secret"},
			},
			{
				// Replaced after a taint: a new webhook, with a new ID and a new secret; the old one goes.
				Config:           mock.webhookConfig(orgID, "Members and apps", "org_users", "apps"),
				Taint:            []string{webhookAddress},
				ConfigPlanChecks: plannedAction(webhookAddress, plancheck.ResourceActionReplace),
				Check: func(s *terraform.State) error {
					id := s.RootModule().Resources[webhookAddress].Primary.Attributes["id"]
					hooks, err := admin.ListWebhooks(bg, orgID)
					if err != nil {
						return err
					}
					if id == webhookID || len(hooks) != 1 || hooks[0].ID != id {
						return fmt.Errorf("after the replacement Capgo holds %v, want only the new webhook %s (the old was %s)", hooks, id, webhookID)
					}
					webhookID = id
					return nil
				},
			},
			{
				// Deleted outside Terraform: the refresh drops it, and the plan creates it again.
				PreConfig: func() {
					mock.mustDo("delete the webhook outside Terraform", admin.DeleteWebhook(bg, orgID, webhookID))
				},
				Config:           mock.webhookConfig(orgID, "Members and apps", "org_users", "apps"),
				ConfigPlanChecks: plannedAction(webhookAddress, plancheck.ResourceActionCreate),
				Check: func(s *terraform.State) error {
					webhookID = s.RootModule().Resources[webhookAddress].Primary.Attributes["id"]
					return nil
				},
			},
			{
				// The receiver answers 410 Gone to the next event, and Capgo turns the webhook off: the
				// plan turns it on again.
				PreConfig: func() {
					rc.answer(http.StatusGone)
					_, err := admin.AddMember(bg, capgo.AddMemberRequest{OrganizationID: orgID, Email: mockserver.OpsEmail, Role: "org_member"})
					mock.mustDo("invite ops", err)
					mock.mustDo("wait for Capgo to turn the webhook off", waitFor(func() (bool, error) {
						hook, err := admin.GetWebhook(bg, orgID, webhookID)
						return err == nil && !hook.Enabled, err
					}))
					rc.answer(http.StatusOK)
				},
				Config:           mock.webhookConfig(orgID, "Members and apps", "org_users", "apps"),
				ConfigPlanChecks: plannedAction(webhookAddress, plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhookAddress, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
				},
			},
		},
	})
}

// Against the documented API, which has no webhooks, the plan says so and nothing is created.
func TestAccOrganizationWebhookNeedsTheProductionAPI(t *testing.T) {
	mock := newAccMockIn(t, mockserver.DialectDocs)
	orgID, err := mock.client(mockserver.AdminAPIKey).CreateOrganization(bg, capgo.CreateOrganizationRequest{Name: "Docs"})
	mock.mustDo("create an organization", err)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      mock.webhookConfig(orgID, "Members", "org_users"),
			ExpectError: regexp.MustCompile(`Organization webhooks need Capgo's production API`),
		}, {
			Config:      mock.adminConfig(fmt.Sprintf(`data "capgo_organization_webhooks" "all" { organization_id = %q }`, orgID)),
			ExpectError: regexp.MustCompile(`Organization webhooks need Capgo's production API`),
		}},
	})
	if n := mock.Stats().ByRoute["POST /webhooks"]; n != 0 {
		t.Errorf("%d webhooks were created, want none", n)
	}
}

// Bad input is refused at plan time, before any request: an unknown event, no events, a URL that
// is no http or https URL, a delivery version Capgo does not know.
func TestAccOrganizationWebhookRejectsBadInputAtPlan(t *testing.T) {
	beforeAnyRequest(t, func(t *testing.T, mock *accMock) {
		const events, url = `events = ["org_users"]`, `url = "https://hooks.example.com/capgo"`
		for name, tt := range map[string]struct{ lines, want string }{
			"unknown event":    {url + "\n" + `events = ["members"]`, `value must be one of`},
			"no events":        {url + "\n" + `events = []`, `at least 1`},
			"not a URL":        {events + "\n" + `url = "hooks.example.com"`, `not an absolute http or https URL`},
			"delivery version": {events + "\n" + url + "\n" + `delivery_version = "v2"`, `value must be one of`},
		} {
			t.Run(name, func(t *testing.T) {
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
					Steps: []resource.TestStep{{
						Config: mock.adminConfig(`resource "capgo_organization_webhook" "events" {
  organization_id = "0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b"
  name            = "Events"
` + tt.lines + "\n}\n"),
						PlanOnly:    true,
						ExpectError: regexp.MustCompile(`(?s)` + tt.want),
					}},
				})
			})
		}
	})
}

// The test action proves an endpoint in the run that creates it, and fails with the receiver's
// status when it does not answer 2xx (Terraform 1.14 and later, which have actions).
func TestAccOrganizationWebhookTestAction(t *testing.T) {
	rc := newReceiver(t)
	mock := newAccMockIn(t, mockserver.DialectRBAC, withWebhookTarget(rc.URL))
	orgID := mock.seededOrganizationID(mockserver.AdminEmail)
	config := func(name string) string {
		return mock.adminConfig(fmt.Sprintf(`
resource "capgo_organization_webhook" "events" {
  organization_id = %q
  name            = %q
  url             = "https://hooks.example.com/capgo"
  events          = ["org_users"]

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.capgo_organization_webhook_test.events]
    }
  }
}

action "capgo_organization_webhook_test" "events" {
  config {
    organization_id = capgo_organization_webhook.events.organization_id
    webhook_id      = capgo_organization_webhook.events.id
  }
}
`, orgID, name))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{
			{
				Config: config("Members"),
				Check: func(*terraform.State) error {
					d, err := rc.await("test.ping")
					if err != nil {
						return err
					}
					var body struct {
						Data struct{ Table string } `json:"data"`
					}
					if err := json.Unmarshal(d.body, &body); err != nil || body.Data.Table != "test" {
						return fmt.Errorf("the test delivery's body %s", d.body)
					}
					return nil
				},
			},
			{
				PreConfig:   func() { rc.answer(http.StatusInternalServerError) },
				Config:      config("Members, renamed"),
				ExpectError: regexp.MustCompile(`(?s)did not accept the test event.*HTTP 500`),
			},
		},
	})
}

// waitFor polls done until it reports true, for what the mock does from its own goroutines. The
// deadline is a liveness bound, never an assertion on speed.
func waitFor(done func() (bool, error)) error {
	deadline := time.Now().Add(20 * time.Second)
	for {
		ok, err := done()
		if ok || err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("still not done after 20 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Through the CLI, as a user runs it: `terraform apply -invoke` tests the endpoint on demand, and
// once Capgo has turned the webhook off after a 410, the plan says why it turns it on again.
func TestAccOrganizationWebhookThroughTheCLI(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	cli := terraformUnderTest()
	if major, minor, v := terraformMinorVersionOf(t, cli); major == 1 && minor < 14 {
		t.Skipf("terraform apply -invoke needs Terraform 1.14 or later; %s is Terraform %s (set TF_ACC_TERRAFORM_PATH to a newer CLI)", cli, v)
	}
	t.Parallel()
	rc := newReceiver(t)
	mock := newAccMockIn(t, mockserver.DialectRBAC, withWebhookTarget(rc.URL))
	orgID := mock.seededOrganizationID(mockserver.AdminEmail)
	run := newCLIRun(t, buildProvider(t)).quiet()
	writeFile(t, filepath.Join(run.dir, "main.tf"), cliProviderConfig(mock.URL, mockserver.AdminAPIKey)+fmt.Sprintf(`
resource "capgo_organization_webhook" "events" {
  organization_id = %q
  name            = "Members"
  url             = "https://hooks.example.com/capgo"
  events          = ["org_users"]
}

action "capgo_organization_webhook_test" "events" {
  config {
    organization_id = capgo_organization_webhook.events.organization_id
    webhook_id      = capgo_organization_webhook.events.id
  }
}
`, orgID))
	for _, args := range [][]string{{"apply", "-auto-approve"}, {"apply", "-auto-approve", "-invoke=action.capgo_organization_webhook_test.events"}} {
		if !run.terraformWith(cli, args...) {
			t.Fatalf("terraform %s failed:\n%s", strings.Join(args, " "), tail(run.out.String(), 40))
		}
	}
	if _, err := rc.await("test.ping"); err != nil {
		t.Fatalf("-invoke: %v", err)
	}

	rc.answer(http.StatusGone)
	admin := mock.client(mockserver.AdminAPIKey)
	_, err := admin.AddMember(bg, capgo.AddMemberRequest{OrganizationID: orgID, Email: mockserver.DevEmail, Role: "org_member"})
	mock.mustDo("invite dev", err)
	hooks, err := admin.ListWebhooks(bg, orgID)
	mock.mustDo("list the webhooks", err)
	mock.mustDo("wait for Capgo to turn the webhook off", waitFor(func() (bool, error) {
		hook, err := admin.GetWebhook(bg, orgID, hooks[0].ID)
		return err == nil && !hook.Enabled, err
	}))
	run.out.Reset()
	run.terraformWith(cli, "plan")
	for _, want := range []string{"This plan turns the webhook on again", "answer 410", "org_users.INSERT"} {
		if !strings.Contains(run.out.String(), want) {
			t.Errorf("the plan does not say %q:\n%s", want, tail(run.out.String(), 40))
		}
	}
}

// A key whose user may not manage webhooks is told which right it lacks and what to do, and
// nothing is created.
func TestAccOrganizationWebhookNeedsAnAdminKey(t *testing.T) {
	mock := newAccMockIn(t, mockserver.DialectRBAC)
	orgID := mock.seededOrganizationID(mockserver.AdminEmail)
	admin := mock.client(mockserver.AdminAPIKey)
	_, err := admin.AddMember(bg, capgo.AddMemberRequest{OrganizationID: orgID, Email: mockserver.OpsEmail, Role: "org_member"})
	mock.mustDo("invite ops", err)
	mock.mustDo("accept", mock.AcceptInvitation(orgID, mockserver.OpsEmail))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: mock.providerBlock(mockserver.OpsAPIKey) + fmt.Sprintf(`
resource "capgo_organization_webhook" "events" {
  organization_id = %q
  name            = "Members"
  url             = "https://hooks.example.com/capgo"
  events          = ["org_users"]
}
`, orgID),
			ExpectError: regexp.MustCompile(`(?s)admin access to manage webhooks.*org_admin\s+or\s+org_super_admin`),
		}},
	})
	hooks, err := admin.ListWebhooks(bg, orgID)
	mock.mustDo("list the webhooks", err)
	if len(hooks) != 0 {
		t.Errorf("%d webhooks were created, want none", len(hooks))
	}
}

// A webhook's identity is its organization and ID, in the state from the create on; an import block
// naming it adopts the same webhook with no change.
func TestAccOrganizationWebhookIdentity(t *testing.T) {
	mock := newAccMockIn(t, mockserver.DialectRBAC, withWebhookTarget(newReceiver(t).URL))
	orgID := mock.seededOrganizationID(mockserver.AdminEmail)
	config := mock.webhookConfig(orgID, "Members", "org_users")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   identityCLIs,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentityValueMatchesStateAtPath(webhookAddress, tfjsonpath.New("organization_id"), tfjsonpath.New("organization_id")),
					statecheck.ExpectIdentityValueMatchesStateAtPath(webhookAddress, tfjsonpath.New("id"), tfjsonpath.New("id")),
				},
			},
			{
				Config:                  config,
				ResourceName:            webhookAddress,
				ImportState:             true,
				ImportStateKind:         resource.ImportBlockWithResourceIdentity,
				ImportStateVerifyIgnore: []string{"secret"},
			},
		},
	})
}

// A create whose answer is lost loses the secret with it: the webhook it made is found and deleted,
// one of the same name that was there before is left alone, and the error says what happened. No
// state is kept, so the next apply creates it afresh.
func TestWebhookCreateWhoseAnswerIsLost(t *testing.T) {
	existing := `{"id": "w-old", "org_id": "0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b", "name": "Events", "url": "https://hooks.example.com/capgo", "enabled": true, "events": ["orgs"], "delivery_version": "legacy"}`
	made := strings.Replace(existing, "w-old", "w-new", 1)
	var mu sync.Mutex
	created, deleted := false, []string{}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		switch r.Method {
		case http.MethodGet:
			list := "[" + existing
			if created {
				list = "[" + made + "," + existing
			}
			_, _ = io.WriteString(w, list+"]")
		case http.MethodPost: // carried out, then the connection drops before the answer
			created = true
			if hijacker, ok := w.(http.Hijacker); ok {
				if conn, _, err := hijacker.Hijack(); err == nil {
					_ = conn.Close()
				}
			}
		case http.MethodDelete:
			body, _ := io.ReadAll(r.Body)
			var req struct{ WebhookID string }
			_ = json.Unmarshal(body, &req)
			deleted = append(deleted, req.WebhookID)
			_, _ = io.WriteString(w, `{"status": "Webhook deleted"}`)
		}
	}))
	t.Cleanup(server.Close)
	noRetries := 0
	client, err := capgo.NewClient(capgo.Config{BaseURL: server.URL, APIKey: "test-key", MaxRetries: &noRetries})
	if err != nil {
		t.Fatal(err)
	}

	ctx := t.Context()
	r := &organizationWebhookResource{configured{client: client}}
	schemaResp := &fwresource.SchemaResponse{}
	r.Schema(ctx, fwresource.SchemaRequest{}, schemaResp)
	plan := tfsdk.Plan{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), nil)}
	events, _ := types.SetValueFrom(ctx, types.StringType, []string{"orgs"})
	if diags := plan.Set(ctx, webhookModel{ID: types.StringUnknown(), OrganizationID: types.StringValue("0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b"),
		Name: types.StringValue("Events"), URL: types.StringValue("https://hooks.example.com/capgo"), Events: events,
		Enabled: types.BoolValue(true), DeliveryVersion: types.StringValue("legacy"), Secret: types.StringUnknown(),
		CreatedAt: types.StringUnknown()}); diags.HasError() {
		t.Fatal(diags)
	}
	resp := &fwresource.CreateResponse{State: tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), nil)}}
	r.Create(ctx, fwresource.CreateRequest{Plan: plan}, resp)

	if err := saying(resp.Diagnostics, diag.SeverityError, "Webhook creation not confirmed", "1 webhook(s) it made were deleted"); err != nil {
		t.Error(err)
	}
	if !resp.State.Raw.IsNull() {
		t.Error("the create kept a state; the next apply would not create the webhook afresh")
	}
	if len(deleted) != 1 || deleted[0] != "w-new" {
		t.Errorf("deleted %v, want only w-new, the webhook the lost create made", deleted)
	}
}
