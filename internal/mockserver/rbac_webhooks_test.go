package mockserver

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// webhookFixture is an rbac server with two organizations. Acme, of the
// admin account, has dev an org_admin, ops an org_billing_admin, member an
// org_member, manager an apikey_manager, scoped an org_admin whose key holds
// an app-level role, and pending an invited org_admin. Strict, of exp
// (whose key has an expiry date), requires expiring keys, and has dev an
// org_admin and member an org_member. Each has one webhook.
type webhookFixture struct {
	ts                   *TestServer
	acme, strict         string
	acmeHook, strictHook webhookObject
}

const (
	memberKey   = "capgo-mock-member-key"
	managerKey  = "capgo-mock-manager-key"
	scopedKey   = "capgo-mock-scoped-key"
	pendingKey  = "capgo-mock-pending-key"
	expKey      = "capgo-mock-exp-key"
	outsiderKey = "capgo-mock-outsider-key"
)

func newWebhookFixture(t *testing.T) webhookFixture {
	t.Helper()
	seed := &Seed{
		Users: []SeedUser{
			{Email: AdminEmail, APIKey: AdminAPIKey}, {Email: DevEmail, APIKey: DevAPIKey}, {Email: OpsEmail, APIKey: OpsAPIKey},
			{Email: "member@example.com", APIKey: memberKey}, {Email: "manager@example.com", APIKey: managerKey},
			{Email: "scoped@example.com", APIKey: scopedKey, AppScoped: true}, {Email: "pending@example.com", APIKey: pendingKey},
			{Email: "exp@example.com", APIKey: expKey, APIKeyExpires: true}, {Email: "outsider@example.com", APIKey: outsiderKey},
		},
		Organizations: []SeedOrganization{
			{Name: "Acme", Owner: AdminEmail, Members: []SeedMember{
				{Email: DevEmail, Role: "org_admin"}, {Email: OpsEmail, Role: "org_billing_admin"},
				{Email: "member@example.com", Role: "org_member"}, {Email: "manager@example.com", Role: "apikey_manager"},
				{Email: "scoped@example.com", Role: "org_admin"}, {Email: "pending@example.com", Role: "org_admin", Pending: true},
			}},
			{Name: "Strict", Owner: "exp@example.com", Members: []SeedMember{
				{Email: DevEmail, Role: "org_admin"}, {Email: "member@example.com", Role: "org_member"},
			}},
		},
	}
	ts := NewTestServer(t, Options{Dialect: DialectRBAC, Seed: seed})
	state := ts.State()
	f := webhookFixture{ts: ts, acme: state.Organizations[0].ID, strict: state.Organizations[1].ID}
	exp := newClient(t, ts, expKey)
	exp.do(http.MethodPut, orgsPath, map[string]any{"orgId": f.strict, "require_apikey_expiration": true}).wantOK(t)
	f.acmeHook = newClient(t, ts, AdminAPIKey).hook(f.acme, "legacy", "orgs")
	f.strictHook = exp.hook(f.strict, "legacy", "orgs")
	return f
}

// webhookSnapshot is every webhook and delivery the server holds, as JSON,
// for checking that a refused request changed nothing: the mock's state
// does not show webhooks.
func webhookSnapshot(t *testing.T, ts *TestServer) string {
	t.Helper()
	s := ts.Server
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []any
	for _, o := range s.store.organizations() {
		for _, w := range o.webhooks {
			out = append(out, webhookObjectOf(w))
			for _, d := range w.deliveries {
				out = append(out, deliveryObjectOf(d))
			}
		}
	}
	data, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// webhookCase is a request to a webhook route and the refusal it gets.
type webhookCase struct {
	name    string
	key     string
	method  string
	path    string
	body    any
	status  int
	code    string
	message string // "" when any message will do
	info    map[string]any
}

// run sends each request, checks the refusal, and that it changed neither
// the state nor any webhook.
func (f webhookFixture) run(t *testing.T, cases []webhookCase) {
	t.Helper()
	for _, tc := range cases {
		runNoEffect(t, f.ts, tc.name, func(t *testing.T) {
			before := webhookSnapshot(t, f.ts)
			r := newClient(t, f.ts, tc.key).do(tc.method, tc.path, tc.body)
			r.wantCode(t, tc.status, tc.code, tc.info)
			var got rbacError
			r.decode(t, &got)
			if tc.message != "" && got.Message != tc.message {
				t.Fatalf("message %q, want %q", got.Message, tc.message)
			}
			if after := webhookSnapshot(t, f.ts); after != before {
				t.Fatalf("the refused request changed the webhooks:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

// webhookRoute is one of the seven routes, with a request to it about one
// organization and its webhook.
type webhookRoute struct {
	name    string
	request func(orgID, webhookID string) (method, path string, body any)
}

var webhookRouteList = []webhookRoute{
	{"list", func(o, _ string) (string, string, any) { return http.MethodGet, webhooksPath + "?orgId=" + o, nil }},
	{"get", func(o, w string) (string, string, any) {
		return http.MethodGet, webhooksPath + "?orgId=" + o + "&webhookId=" + w, nil
	}},
	{"create", func(o, _ string) (string, string, any) {
		return http.MethodPost, webhooksPath, map[string]any{"orgId": o, "name": "n", "url": hookURL, "events": []string{"orgs"}}
	}},
	{"update", func(o, w string) (string, string, any) {
		return http.MethodPut, webhooksPath, map[string]any{"orgId": o, "webhookId": w, "name": "renamed"}
	}},
	{"delete", func(o, w string) (string, string, any) {
		return http.MethodDelete, webhooksPath + "?orgId=" + o + "&webhookId=" + w, nil
	}},
	{"test", func(o, w string) (string, string, any) {
		return http.MethodPost, webhookTest, map[string]any{"orgId": o, "webhookId": w}
	}},
	{"deliveries", func(o, w string) (string, string, any) {
		return http.MethodGet, deliveriesPath + "?orgId=" + o + "&webhookId=" + w, nil
	}},
	{"retry", func(o, _ string) (string, string, any) {
		return http.MethodPost, retryPath, map[string]any{"orgId": o, "deliveryId": "some-delivery"}
	}},
}

// TestRBACWebhookRights: on every route, the four checks of 2.5 come in
// their order. Each case but the last of a kind also fails a later check,
// which must not be the one answered.
func TestRBACWebhookRights(t *testing.T) {
	f := newWebhookFixture(t)
	for _, route := range webhookRouteList {
		t.Run(route.name, func(t *testing.T) {
			acme := map[string]any{"org_id": f.acme}
			strict := map[string]any{"org_id": f.strict}
			var cases []webhookCase
			add := func(name, key, orgID, webhookID string, status int, code, message string, info map[string]any) {
				method, path, body := route.request(orgID, webhookID)
				cases = append(cases, webhookCase{name, key, method, path, body, status, code, message, info})
			}
			const scopedMsg, strangerMsg, adminMsg = "App-scoped API keys cannot manage organization webhooks",
				"You can't access this organization", "You need admin access to manage webhooks"
			add("app-scoped org_admin", scopedKey, f.acme, f.acmeHook.ID, 400, "no_permission", scopedMsg, acme)
			add("app-scoped stranger", scopedKey, f.strict, f.strictHook.ID, 400, "no_permission", scopedMsg, strict)
			add("stranger to an organization requiring expiring keys", outsiderKey, f.strict, f.strictHook.ID, 400, "invalid_org_id", strangerMsg, strict)
			add("pending org_admin", pendingKey, f.acme, f.acmeHook.ID, 400, "invalid_org_id", strangerMsg, acme)
			add("unknown organization", AdminAPIKey, "missing", f.acmeHook.ID, 400, "invalid_org_id", strangerMsg, map[string]any{"org_id": "missing"})
			add("org_member without an expiring key", memberKey, f.strict, f.strictHook.ID, 401, "org_requires_expiring_key", "", map[string]any{})
			add("org_admin without an expiring key", DevAPIKey, f.strict, f.strictHook.ID, 401, "org_requires_expiring_key", "", map[string]any{})
			add("org_member", memberKey, f.acme, f.acmeHook.ID, 400, "no_permission", adminMsg, acme)
			add("org_billing_admin", OpsAPIKey, f.acme, f.acmeHook.ID, 400, "no_permission", adminMsg, acme)
			add("apikey_manager", managerKey, f.acme, f.acmeHook.ID, 400, "no_permission", adminMsg, acme)
			f.run(t, cases)
		})
	}
	// org_admin, org_super_admin, and a key with an expiry date where the
	// organization asks for one, pass.
	for _, caller := range []struct{ key, orgID, hookID string }{
		{DevAPIKey, f.acme, f.acmeHook.ID}, {AdminAPIKey, f.acme, f.acmeHook.ID}, {expKey, f.strict, f.strictHook.ID},
	} {
		newClient(t, f.ts, caller.key).webhook(caller.orgID, caller.hookID)
	}
}

// TestRBACWebhookAuthentication: the webhook routes take a console session
// as well as a key (2.4), so they read x-api-key and word a missing key so.
func TestRBACWebhookAuthentication(t *testing.T) {
	f := newWebhookFixture(t)
	for _, route := range webhookRouteList {
		method, path, body := route.request(f.acme, f.acmeHook.ID)
		sendWithHeaders(t, f.ts, method, path, body, nil).wantCode(t, 401, "no_jwt_apikey_or_subkey", map[string]any{})
		sendWithHeaders(t, f.ts, method, path, body, map[string]string{"x-api-key": "not-a-uuid"}).wantCode(t, 401, "invalid_jwt", map[string]any{})
		sendWithHeaders(t, f.ts, method, path, body, map[string]string{"x-api-key": scopedKey}).wantCode(t, 400, "no_permission", map[string]any{"org_id": f.acme})
	}
	sendWithHeaders(t, f.ts, http.MethodGet, webhooksPath+"?orgId="+f.acme, nil, map[string]string{"x-api-key": AdminAPIKey}).wantOK(t)
}

// TestRBACWebhookCreate: 201 with the object, its defaults, and the secret,
// which no other answer shows.
func TestRBACWebhookCreate(t *testing.T) {
	clock := newFakeClock()
	ts := NewTestServer(t, Options{Dialect: DialectRBAC, Clock: clock.Now})
	admin := newClient(t, ts, AdminAPIKey)
	orgID := admin.createOrg("Acme")
	adminUID := ts.State().Users[0].UID

	w := admin.createWebhook(map[string]any{"orgId": orgID, "name": " ", "url": "https://hooks.example.com:8443/a/b?c=d",
		"events": []string{"orgs", "apps", "orgs"}, "secret": "whsec_mine"})
	want := webhookObject{ID: w.ID, OrgID: orgID, Name: " ", URL: "https://hooks.example.com:8443/a/b?c=d", Enabled: true,
		Events: []string{"orgs", "apps", "orgs"}, DeliveryVersion: "legacy", CreatedAt: "2026-11-02T09:00:00.000000Z",
		UpdatedAt: "2026-11-02T09:00:00.000000Z", CreatedBy: adminUID, Secret: w.Secret}
	if !reflect.DeepEqual(w, want) {
		t.Fatalf("webhook\n%+v\nwant\n%+v", w, want)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(w.Secret, "whsec_"))
	if !strings.HasPrefix(w.Secret, "whsec_") || len(w.Secret) != 50 || err != nil || len(key) != 32 {
		t.Fatalf("secret %q: want whsec_ and the base64 of 32 bytes", w.Secret)
	}

	// Options of the body: enabled, either spelling of the version, the
	// camelCase one winning.
	for _, tc := range []struct {
		body    map[string]any
		enabled bool
		version string
	}{
		{map[string]any{"enabled": false}, false, "legacy"},
		{map[string]any{"delivery_version": "standard"}, true, "standard"},
		{map[string]any{"deliveryVersion": "standard", "delivery_version": "legacy"}, true, "standard"},
		{map[string]any{"deliveryVersion": "legacy", "delivery_version": "standard", "enabled": true}, true, "legacy"},
	} {
		body := map[string]any{"orgId": orgID, "name": "hook", "url": hookURL, "events": []string{"org_users"}}
		for k, v := range tc.body {
			body[k] = v
		}
		got := admin.createWebhook(body)
		if got.Enabled != tc.enabled || got.DeliveryVersion != tc.version || got.Secret == w.Secret {
			t.Fatalf("%v: webhook %+v", tc.body, got)
		}
	}

	// The secret is never shown again.
	read := admin.webhook(orgID, w.ID)
	if read.Secret != "" || read.Stats24h == nil || *read.Stats24h != (webhookStats{}) {
		t.Fatalf("read webhook %+v", read)
	}
	var list []map[string]json.RawMessage
	admin.do(http.MethodGet, webhooksPath+"?orgId="+orgID, nil).wantOK(t).decode(t, &list)
	for _, obj := range list {
		wantKeys(t, obj, webhookKeys)
	}
	var updated struct {
		Webhook map[string]json.RawMessage `json:"webhook"`
	}
	admin.do(http.MethodPut, webhooksPath, map[string]any{"orgId": orgID, "webhookId": w.ID, "name": "x"}).wantOK(t).decode(t, &updated)
	wantKeys(t, updated.Webhook, webhookKeys)
}

// TestRBACWebhookCreateRefusals: after the rights, invalid_body, then the
// delivery version, the events, the URL rules; each refusal with its
// moreInfo, and the URL never echoed.
func TestRBACWebhookCreateRefusals(t *testing.T) {
	f := newWebhookFixture(t)
	body := func(changes map[string]any) map[string]any {
		b := map[string]any{"orgId": f.acme, "name": "hook", "url": hookURL, "events": []string{"orgs"}}
		for k, v := range changes {
			if v == "-" {
				delete(b, k)
			} else {
				b[k] = v
			}
		}
		return b
	}
	none := map[string]any{}
	versions := map[string]any{"allowed": []any{"legacy", "standard"}}
	tables := []any{"apps", "app_versions", "channels", "org_users", "orgs"}
	post := func(name string, changes map[string]any, status int, code, message string, info map[string]any) webhookCase {
		return webhookCase{name, AdminAPIKey, http.MethodPost, webhooksPath, body(changes), status, code, message, info}
	}
	f.run(t, []webhookCase{
		{"no body", AdminAPIKey, http.MethodPost, webhooksPath, nil, 400, "invalid_json_parse_body", "", none},
		{"{}", AdminAPIKey, http.MethodPost, webhooksPath, map[string]any{}, 400, "invalid_json_parse_body", "", none},
		{"not JSON", AdminAPIKey, http.MethodPost, webhooksPath, rawBody("{"), 400, "invalid_json_parse_body", "", none},
		post("no orgId, before the rights", map[string]any{"orgId": "-", "name": ""}, 400, "invalid_body", "", none),
		post("rights before the body", map[string]any{"orgId": f.strict, "name": nil}, 400, "invalid_org_id", "", map[string]any{"org_id": f.strict}),
		post("no name", map[string]any{"name": "-"}, 400, "invalid_body", "", none),
		post("empty name", map[string]any{"name": ""}, 400, "invalid_body", "", none),
		post("null name", map[string]any{"name": nil}, 400, "invalid_body", "", none),
		post("name not a string", map[string]any{"name": 7}, 400, "invalid_body", "", none),
		post("no url", map[string]any{"url": "-"}, 400, "invalid_body", "", none),
		post("null url", map[string]any{"url": nil}, 400, "invalid_body", "", none),
		post("url that does not parse (rule 1)", map[string]any{"url": "hooks.example.com/x"}, 400, "invalid_body", "", none),
		post("url without host (rule 1)", map[string]any{"url": "https://"}, 400, "invalid_body", "", none),
		post("url with a space in its host (rule 1)", map[string]any{"url": "https://ho oks.example.com/"}, 400, "invalid_body", "", none),
		post("no events", map[string]any{"events": "-"}, 400, "invalid_body", "", none),
		post("empty events", map[string]any{"events": []string{}}, 400, "invalid_body", "", none),
		post("null events", map[string]any{"events": nil}, 400, "invalid_body", "", none),
		post("null among events", map[string]any{"events": []any{"orgs", nil}}, 400, "invalid_body", "", none),
		post("events not a list", map[string]any{"events": "orgs"}, 400, "invalid_body", "", none),
		post("null enabled", map[string]any{"enabled": nil}, 400, "invalid_body", "", none),
		post("enabled not a boolean", map[string]any{"enabled": "true"}, 400, "invalid_body", "", none),
		post("null deliveryVersion", map[string]any{"deliveryVersion": nil}, 400, "invalid_body", "", none),
		post("null delivery_version beside a good deliveryVersion", map[string]any{"deliveryVersion": "legacy", "delivery_version": nil}, 400, "invalid_body", "", none),
		post("body before the version", map[string]any{"name": "", "deliveryVersion": "v2"}, 400, "invalid_body", "", none),

		post("unknown version", map[string]any{"deliveryVersion": "v2"}, 400, "invalid_delivery_version", "", versions),
		post("version in capitals", map[string]any{"delivery_version": "Standard"}, 400, "invalid_delivery_version", "", versions),
		post("camelCase version wins, and is wrong", map[string]any{"deliveryVersion": "x", "delivery_version": "legacy"}, 400, "invalid_delivery_version", "", versions),
		post("version before events", map[string]any{"deliveryVersion": "x", "events": []string{"users"}}, 400, "invalid_delivery_version", "", versions),

		post("unknown events", map[string]any{"events": []string{"orgs", "users", "Apps", ""}}, 400, "invalid_events", "",
			map[string]any{"invalid": []any{"users", "Apps", ""}, "allowed": tables}),
		post("events before the URL", map[string]any{"events": []string{"users"}, "url": "http://localhost"}, 400, "invalid_events", "",
			map[string]any{"invalid": []any{"users"}, "allowed": tables}),

		post("localhost", map[string]any{"url": "https://localhost/hook"}, 400, "invalid_url", "Webhook URL must point to a public host", none),
		post("a .localhost name", map[string]any{"url": "https://api.Dev.LOCALHOST./hook"}, 400, "invalid_url", "Webhook URL must point to a public host", none),
		post("public IPv4", map[string]any{"url": "https://8.8.8.8/hook"}, 400, "invalid_url", "Webhook URL must use a hostname, not an IP address", none),
		post("IPv6", map[string]any{"url": "https://[2001:db8::1]:8443/hook"}, 400, "invalid_url", "Webhook URL must use a hostname, not an IP address", none),
		post("IPv4 as one number", map[string]any{"url": "https://2130706433/hook"}, 400, "invalid_url", "Webhook URL must use a hostname, not an IP address", none),
		post("http", map[string]any{"url": "http://hooks.example.com/hook"}, 400, "invalid_url", "Webhook URL must use HTTPS", none),
		post("another scheme", map[string]any{"url": "ftp://hooks.example.com/hook"}, 400, "invalid_url", "Webhook URL must use HTTPS", none),
		post("localhost before IP before scheme", map[string]any{"url": "http://localhost:8080"}, 400, "invalid_url", "Webhook URL must point to a public host", none),
		post("IP before scheme", map[string]any{"url": "http://127.0.0.1:8080"}, 400, "invalid_url", "Webhook URL must use a hostname, not an IP address", none),
	})
}

// TestRBACWebhookList: a bare array, newest first, 50 a page from page 0;
// another organization's webhooks are not in it.
func TestRBACWebhookList(t *testing.T) {
	ts := rbacServer(t)
	admin := newClient(t, ts, AdminAPIKey)
	orgID, other := admin.createOrg("Acme"), admin.createOrg("Other")
	admin.hook(other, "legacy", "orgs")
	for i := range 120 {
		admin.createWebhook(map[string]any{"orgId": orgID, "name": fmt.Sprintf("hook %03d", i), "url": hookURL, "events": []string{"orgs"}})
	}
	names := func(query string) []string {
		var list []webhookObject
		admin.do(http.MethodGet, webhooksPath+"?orgId="+orgID+query, nil).wantOK(t).decode(t, &list)
		out := []string{}
		for _, w := range list {
			if w.OrgID != orgID {
				t.Fatalf("webhook of another organization listed: %+v", w)
			}
			out = append(out, w.Name)
		}
		return out
	}
	if got := names(""); len(got) != 50 || got[0] != "hook 119" || got[49] != "hook 070" {
		t.Fatalf("page 0: %d webhooks, %v … %v", len(got), got[:1], got[len(got)-1:])
	}
	if got := names("&page=1"); len(got) != 50 || got[0] != "hook 069" {
		t.Fatalf("page 1: %v", got[:1])
	}
	if got := names("&page=2"); len(got) != 20 || got[19] != "hook 000" {
		t.Fatalf("page 2, the last: %d webhooks", len(got))
	}
	if got := names("&page=3"); len(got) != 0 {
		t.Fatalf("page 3: %v", got)
	}
	if r := admin.do(http.MethodGet, webhooksPath+"?orgId="+orgID+"&page=3", nil); string(r.body) != "[]\n" {
		t.Fatalf("an empty page is %q, want []", r.body)
	}
	for _, page := range []string{"-1", "x", "1.5"} {
		admin.do(http.MethodGet, webhooksPath+"?orgId="+orgID+"&page="+page, nil).wantCode(t, 400, "invalid_body", map[string]any{})
	}
	// An empty webhookId lists.
	if got := names("&webhookId="); len(got) != 50 {
		t.Fatalf("with an empty webhookId: %d webhooks", len(got))
	}
}

// TestRBACWebhookGetOne: stats_24h counts the deliveries of the last 24
// hours by status; an unknown webhook, or one of another organization, is
// webhook_not_found.
func TestRBACWebhookGetOne(t *testing.T) {
	rcv := newReceiver(t)
	ts, clock := hookServer(t, rcv, tinyScale)
	admin := newClient(t, ts, AdminAPIKey)
	orgID, other := admin.createOrg("Acme"), admin.createOrg("Other")
	w := admin.hook(orgID, "legacy", "orgs")
	rename := func(name string) {
		admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": orgID, "name": name}).wantOK(t)
	}
	rename("Old news")
	waitFor(t, "the first delivery", func() bool { return *admin.webhook(orgID, w.ID).Stats24h == webhookStats{Success: 1} })
	clock.Advance(25 * time.Hour)
	rcv.answerWith(status(http.StatusGone))
	rename("Recent")
	waitFor(t, "the second delivery", func() bool { return *admin.webhook(orgID, w.ID).Stats24h == webhookStats{Failed: 1} })

	otherHook := admin.hook(other, "legacy", "orgs")
	for _, id := range []string{"missing", otherHook.ID} {
		admin.do(http.MethodGet, webhooksPath+"?orgId="+orgID+"&webhookId="+id, nil).wantCode(t, 400, "webhook_not_found", map[string]any{"webhookId": id})
	}
}

// TestRBACWebhookUpdate: only the fields sent change, events as a whole;
// updated_at moves; null, nothing to change, an unknown webhook and one of
// another organization are refused.
func TestRBACWebhookUpdate(t *testing.T) {
	clock := newFakeClock()
	ts := NewTestServer(t, Options{Dialect: DialectRBAC, Clock: clock.Now})
	admin := newClient(t, ts, AdminAPIKey)
	orgID, other := admin.createOrg("Acme"), admin.createOrg("Other")
	w := admin.createWebhook(map[string]any{"orgId": orgID, "name": "hook", "url": hookURL, "events": []string{"orgs", "apps"}})
	otherHook := admin.hook(other, "legacy", "orgs")

	clock.Advance(time.Minute)
	var out struct {
		Status  string        `json:"status"`
		Webhook webhookObject `json:"webhook"`
	}
	admin.do(http.MethodPut, webhooksPath, map[string]any{"orgId": orgID, "webhookId": w.ID, "events": []string{"org_users", "org_users"},
		"enabled": false, "deliveryVersion": "standard"}).wantOK(t).decode(t, &out)
	want := w
	want.Secret, want.Events, want.Enabled, want.DeliveryVersion, want.UpdatedAt = "", []string{"org_users", "org_users"}, false, "standard", "2026-11-02T09:01:00.000000Z"
	if out.Status != "Webhook updated" || !reflect.DeepEqual(out.Webhook, want) {
		t.Fatalf("answer %+v, want %+v", out, want)
	}
	// The query string carries strings alone: a name, say.
	admin.do(http.MethodPut, webhooksPath+"?orgId="+orgID+"&webhookId="+w.ID+"&name=Renamed", nil).wantOK(t)
	if got := admin.webhook(orgID, w.ID); got.Name != "Renamed" || got.URL != hookURL || got.UpdatedAt <= want.UpdatedAt {
		t.Fatalf("after renaming through the query: %+v", got)
	}

	f := webhookFixture{ts: ts}
	put := func(name string, body map[string]any, code string, info map[string]any) webhookCase {
		full := map[string]any{"orgId": orgID, "webhookId": w.ID}
		for k, v := range body {
			full[k] = v
		}
		return webhookCase{name, AdminAPIKey, http.MethodPut, webhooksPath, full, 400, code, "", info}
	}
	none := map[string]any{}
	f.run(t, []webhookCase{
		put("nothing to change", nil, "no_updates", none),
		put("only a secret", map[string]any{"secret": "whsec_x"}, "no_updates", none),
		put("no webhookId", map[string]any{"webhookId": nil, "name": "x"}, "invalid_body", none),
		put("null name", map[string]any{"name": nil}, "invalid_body", none),
		put("null url", map[string]any{"url": nil}, "invalid_body", none),
		put("null events", map[string]any{"events": nil}, "invalid_body", none),
		put("null enabled", map[string]any{"enabled": nil}, "invalid_body", none),
		put("empty events", map[string]any{"events": []string{}}, "invalid_body", none),
		put("empty name", map[string]any{"name": ""}, "invalid_body", none),
		put("bad version", map[string]any{"delivery_version": "v9"}, "invalid_delivery_version", map[string]any{"allowed": []any{"legacy", "standard"}}),
		put("bad events", map[string]any{"events": []string{"bundles"}}, "invalid_events",
			map[string]any{"invalid": []any{"bundles"}, "allowed": []any{"apps", "app_versions", "channels", "org_users", "orgs"}}),
		put("bad url", map[string]any{"url": "https://10.0.0.1/"}, "invalid_url", none),
		put("unknown webhook, before nothing to change", map[string]any{"webhookId": "missing"}, "webhook_not_found", map[string]any{"webhookId": "missing"}),
		put("webhook of another organization", map[string]any{"webhookId": otherHook.ID, "name": "x"}, "no_permission", map[string]any{"webhookId": otherHook.ID}),
	})
}

// TestRBACWebhookDelete: the answer names the webhook; the deliveries go
// with it; a second delete is webhook_not_found.
func TestRBACWebhookDelete(t *testing.T) {
	rcv := newReceiver(t)
	ts, _ := hookServer(t, rcv, tinyScale)
	admin := newClient(t, ts, AdminAPIKey)
	orgID, other := admin.createOrg("Acme"), admin.createOrg("Other")
	w := admin.hook(orgID, "legacy", "org_users")
	kept := admin.hook(orgID, "legacy", "org_users")
	otherHook := admin.hook(other, "legacy", "orgs")
	admin.invite(orgID, DevEmail, "org_member")
	waitFor(t, "both deliveries", func() bool { return rcv.count() == 2 })

	admin.do(http.MethodDelete, webhooksPath, map[string]any{"orgId": orgID, "webhookId": otherHook.ID}).
		wantCode(t, 400, "no_permission", map[string]any{"webhookId": otherHook.ID})
	admin.do(http.MethodDelete, webhooksPath+"?orgId="+orgID+"&webhookId="+w.ID, nil).
		wantBody(t, fmt.Sprintf(`{"status": "Webhook deleted", "webhookId": %q}`, w.ID))
	admin.do(http.MethodDelete, webhooksPath, map[string]any{"orgId": orgID, "webhookId": w.ID}).
		wantCode(t, 400, "webhook_not_found", map[string]any{"webhookId": w.ID})
	admin.do(http.MethodGet, deliveriesPath+"?orgId="+orgID+"&webhookId="+w.ID, nil).
		wantCode(t, 400, "webhook_not_found", map[string]any{"webhookId": w.ID})
	ts.Server.mu.Lock()
	left := len(ts.Server.store.deliveries)
	ts.Server.mu.Unlock()
	if left != 1 || len(admin.deliveries(orgID, kept.ID, "").Deliveries) != 1 {
		t.Fatalf("%d deliveries left, want the other webhook's one", left)
	}
	var list []webhookObject
	admin.do(http.MethodGet, webhooksPath+"?orgId="+orgID, nil).wantOK(t).decode(t, &list)
	if len(list) != 1 || list[0].ID != kept.ID {
		t.Fatalf("webhooks left %+v", list)
	}
	// The organization's deletion takes its webhooks along.
	admin.do(http.MethodDelete, orgsPath+"?orgId="+orgID, nil).wantOK(t)
	ts.Server.mu.Lock()
	webhooks, deliveries := slices.Collect(maps.Keys(ts.Server.store.webhooks)), len(ts.Server.store.deliveries)
	ts.Server.mu.Unlock()
	if len(webhooks) != 1 || webhooks[0] != otherHook.ID || deliveries != 0 {
		t.Fatalf("after deleting the organization: webhooks %v, %d deliveries", webhooks, deliveries)
	}
}
