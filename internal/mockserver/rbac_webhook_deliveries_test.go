package mockserver

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// verifyLegacy checks X-Capgo-Signature as a receiver would: v1=<ts>.<hex
// HMAC-SHA256 of "<ts>.<body>" keyed with the whole secret>.
func verifyLegacy(t *testing.T, secret string, got received) {
	t.Helper()
	ts := got.header.Get("X-Capgo-Timestamp")
	hexSig, ok := strings.CutPrefix(got.header.Get("X-Capgo-Signature"), "v1="+ts+".")
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "." + string(got.body)))
	sig, err := hex.DecodeString(hexSig)
	if !ok || err != nil || !hmac.Equal(sig, mac.Sum(nil)) || hexSig != strings.ToLower(hexSig) {
		t.Fatalf("X-Capgo-Signature %q does not sign the body at %s", got.header.Get("X-Capgo-Signature"), ts)
	}
}

// verifyStandard checks the Standard Webhooks headers: webhook-signature
// v1,<base64 HMAC-SHA256 of "<id>.<ts>.<body>" keyed with the bytes after
// whsec_>.
func verifyStandard(t *testing.T, secret string, got received) {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		t.Fatal(err)
	}
	id, ts := got.header.Get("webhook-id"), got.header.Get("webhook-timestamp")
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "." + string(got.body)))
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if id == "" || ts == "" || !hmac.Equal([]byte(got.header.Get("webhook-signature")), []byte(want)) {
		t.Fatalf("webhook-signature %q, want %q", got.header.Get("webhook-signature"), want)
	}
}

// eventBody is a delivery's body.
type eventBody struct {
	Type      string     `json:"type"`
	Event     string     `json:"event"`
	EventID   string     `json:"event_id"`
	Timestamp string     `json:"timestamp"`
	OrgID     string     `json:"org_id"`
	Data      changeData `json:"data"`
}

// TestRBACWebhookDeliveries: an audited change reaches every enabled webhook
// subscribed to its table, signed in both schemes, with one event id for
// every webhook and every retry; the receiver checks them from the raw
// bodies with the secrets of the creation answers.
func TestRBACWebhookDeliveries(t *testing.T) {
	rcv := newReceiver(t)
	// Each webhook's first attempt fails, so that each is retried once.
	rcv.answerWith(func(_ received, nth int, w http.ResponseWriter) {
		if nth == 0 {
			w.WriteHeader(http.StatusInternalServerError)
		}
	})
	ts, clock := hookServer(t, rcv, tinyScale)
	admin := newClient(t, ts, AdminAPIKey)
	orgID := admin.createOrg("Acme")
	legacy := admin.hook(orgID, "legacy", "orgs", "org_users")
	standard := admin.hook(orgID, "standard", "org_users")
	// One not subscribed to the table, one disabled.
	admin.hook(orgID, "standard", "orgs", "apps")
	admin.createWebhook(map[string]any{"orgId": orgID, "name": "off", "url": "https://off.example.com/", "events": []string{"org_users"}, "enabled": false})
	secrets := map[string]string{legacy.URL: legacy.Secret}
	standardURL := "https://standard.example.com/in"
	admin.do(http.MethodPut, webhooksPath, map[string]any{"orgId": orgID, "webhookId": standard.ID, "url": standardURL}).wantOK(t)
	secrets[standardURL] = standard.Secret

	clock.Advance(time.Hour)
	admin.invite(orgID, DevEmail, "org_admin")
	waitFor(t, "two attempts to each webhook", func() bool { return rcv.count() == 4 })
	waitFor(t, "both deliveries to succeed", func() bool {
		return admin.deliveries(orgID, legacy.ID, "&status=success").Pagination.Total == 1 &&
			admin.deliveries(orgID, standard.ID, "&status=success").Pagination.Total == 1
	})

	reqs := rcv.requests()
	var eventID string
	perURL := map[string][]received{}
	for _, got := range reqs {
		url := got.webhookURL()
		secret, ok := secrets[url]
		if !ok {
			t.Fatalf("a delivery for %q, which should get none", url)
		}
		perURL[url] = append(perURL[url], got)
		verifyLegacy(t, secret, got)
		var body eventBody
		if err := json.Unmarshal(got.body, &body); err != nil {
			t.Fatal(err)
		}
		wantOrder := []string{"event", "event_id", "timestamp", "org_id", "data"}
		if url == standardURL {
			verifyStandard(t, secret, got)
			wantOrder = append([]string{"type"}, wantOrder...)
			if got.header.Get("webhook-id") != body.EventID || got.header.Get("webhook-timestamp") != unix(clock) || body.Type != "org_users.INSERT" {
				t.Fatalf("standard headers %v, body %+v", got.header, body)
			}
		} else if got.header.Get("webhook-signature") != "" || body.Type != "" {
			t.Fatalf("a legacy delivery with standard parts: %v %s", got.header, got.body)
		}
		if keys := topKeys(t, got.body); !slices.Equal(keys, wantOrder) {
			t.Fatalf("body keys %v, want %v", keys, wantOrder)
		}
		for name, want := range map[string]string{
			"Content-Type": "application/json", "User-Agent": "Capgo-Webhook/1.0", "X-Capgo-Event": "org_users.INSERT",
			"X-Capgo-Event-Id": body.EventID, "X-Capgo-Timestamp": unix(clock),
		} {
			if got.header.Get(name) != want {
				t.Fatalf("header %s %q, want %q", name, got.header.Get(name), want)
			}
		}
		if eventID == "" {
			eventID = body.EventID
		}
		newMember, _ := body.Data.NewRecord["email"].(string)
		if body.EventID != eventID || body.Event != "org_users.INSERT" || body.OrgID != orgID || body.Timestamp != "2026-11-02T10:00:00.000000Z" ||
			body.Data.Table != "org_users" || body.Data.Operation != "INSERT" || body.Data.OldRecord != nil || newMember != DevEmail ||
			body.Data.ActorType != "apikey" || *body.Data.ActorUserEmail != AdminEmail || body.Data.ActorAPIKeyID == nil {
			t.Fatalf("body %s", got.body)
		}
	}
	// A retry sends the same bytes.
	for url, got := range perURL {
		if len(got) != 2 || string(got[0].body) != string(got[1].body) {
			t.Fatalf("%s: %d attempts, bodies differ: %v", url, len(got), got)
		}
	}
	// The two versions differ only by type.
	var a, b map[string]any
	_ = json.Unmarshal(perURL[legacy.URL][0].body, &a)
	_ = json.Unmarshal(perURL[standardURL][0].body, &b)
	delete(b, "type")
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("legacy %v and standard %v differ", a, b)
	}

	d := admin.deliveries(orgID, standard.ID, "").Deliveries[0]
	var payload map[string]any
	_ = json.Unmarshal(d.RequestPayload, &payload)
	if d.EventType != "org_users.INSERT" || d.AttemptCount != 2 || d.MaxAttempts != 10 || *d.ResponseStatus != 200 || d.NextRetryAt != nil ||
		*d.CompletedAt != "2026-11-02T10:00:00.000000Z" || d.DeliveryVersion != "standard" || d.DurationMS == nil || payload["event_id"] != eventID {
		t.Fatalf("delivery %+v", d)
	}
	if s := ts.Stats(); s.WebhookDeliveries != 4 || s.WebhookFailures != 2 {
		t.Fatalf("stats %+v, want 4 attempts and 2 failures", s)
	}
}

// TestRBACWebhookEventsOfEachChange: each audited change is one event; an
// update that changes nothing is not audited, so not announced either.
func TestRBACWebhookEventsOfEachChange(t *testing.T) {
	rcv := newReceiver(t)
	ts, _ := hookServer(t, rcv, tinyScale)
	admin := newClient(t, ts, AdminAPIKey)
	orgID := admin.createOrg("Acme")
	admin.hook(orgID, "legacy", "orgs", "org_users")
	admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": orgID, "name": "Renamed"}).wantOK(t)
	admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": orgID, "name": "Renamed"}).wantOK(t)
	admin.invite(orgID, DevEmail, "org_member")
	if err := ts.AcceptInvitation(orgID, DevEmail); err != nil {
		t.Fatal(err)
	}
	admin.do(http.MethodDelete, membersPath, map[string]any{"orgId": orgID, "email": DevEmail}).wantOK(t)
	want := []string{"orgs.UPDATE", "org_users.INSERT", "org_users.UPDATE", "org_users.DELETE"}
	waitFor(t, "four events", func() bool { return rcv.count() == len(want) })
	var got []string
	ids := map[string]bool{}
	for _, r := range rcv.requests() {
		got = append(got, r.header.Get("X-Capgo-Event"))
		ids[r.header.Get("X-Capgo-Event-ID")] = true
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) || len(ids) != 4 {
		t.Fatalf("events %v with %d ids, want %v with one id each", got, len(ids), want)
	}
}

// TestRBACWebhookRetryLadder: a delivery is tried 10 times, then fails and
// turns its webhook off; so does a 410, at once. updated_at moves with it.
func TestRBACWebhookRetryLadder(t *testing.T) {
	for _, tc := range []struct {
		name     string
		status   int
		attempts int
	}{
		{"500 each time", http.StatusInternalServerError, 10},
		{"redirects are not followed", http.StatusFound, 10},
		{"410", http.StatusGone, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rcv := newReceiver(t)
			rcv.answerWith(func(_ received, _ int, w http.ResponseWriter) {
				if tc.status == http.StatusFound {
					w.Header().Set("Location", "/elsewhere")
				}
				w.WriteHeader(tc.status)
			})
			ts, _ := hookServer(t, rcv, tinyScale)
			admin := newClient(t, ts, AdminAPIKey)
			orgID := admin.createOrg("Acme")
			w := admin.hook(orgID, "legacy", "orgs")
			admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": orgID, "name": "Renamed"}).wantOK(t)

			d := admin.settledDelivery(t, orgID, w.ID)
			if d.Status != "failed" || d.AttemptCount != tc.attempts || *d.ResponseStatus != tc.status || d.NextRetryAt != nil || d.CompletedAt == nil {
				t.Fatalf("delivery %+v", d)
			}
			if n := rcv.count(); n != tc.attempts {
				t.Fatalf("%d attempts reached the receiver, want %d", n, tc.attempts)
			}
			after := admin.webhook(orgID, w.ID)
			if after.Enabled || after.UpdatedAt <= w.UpdatedAt || *after.Stats24h != (webhookStats{Failed: 1}) {
				t.Fatalf("webhook after the failure %+v (before: updated_at %s)", after, w.UpdatedAt)
			}
			if s := ts.Stats(); s.WebhookDeliveries != int64(tc.attempts) || s.WebhookFailures != int64(tc.attempts) {
				t.Fatalf("stats %+v", s)
			}
			// Turned off, it gets no more events.
			admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": orgID, "name": "Again"}).wantOK(t)
			if page := admin.deliveries(orgID, w.ID, ""); page.Pagination.Total != 1 {
				t.Fatalf("%d deliveries to a disabled webhook", page.Pagination.Total)
			}
		})
	}
}

// TestRBACWebhookNextRetry: the wait after a failure is the ladder's, at
// least 5 minutes after 429, 502 and 504, longer when Retry-After asks.
// With the clock stopped and a scale of 1, next_retry_at shows the wait.
func TestRBACWebhookNextRetry(t *testing.T) {
	rcv := newReceiver(t)
	ts, clock := hookServer(t, rcv, 1)
	admin := newClient(t, ts, AdminAPIKey)
	orgID := admin.createOrg("Acme")
	answers := map[string]func(w http.ResponseWriter){
		"https://a.example.com/": func(w http.ResponseWriter) { w.WriteHeader(http.StatusInternalServerError) },
		"https://b.example.com/": func(w http.ResponseWriter) { w.WriteHeader(http.StatusTooManyRequests) },
		"https://c.example.com/": func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusServiceUnavailable)
		},
		"https://d.example.com/": func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusGatewayTimeout)
		},
	}
	rcv.answerWith(func(r received, _ int, w http.ResponseWriter) {
		answers[r.webhookURL()](w)
	})
	want := map[string]time.Duration{"https://a.example.com/": 5 * time.Second, "https://b.example.com/": 5 * time.Minute,
		"https://c.example.com/": time.Hour, "https://d.example.com/": 5 * time.Minute}
	hooks := map[string]string{}
	for url := range want {
		hooks[url] = admin.createWebhook(map[string]any{"orgId": orgID, "name": url, "url": url, "events": []string{"orgs"}}).ID
	}
	admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": orgID, "name": "Renamed"}).wantOK(t)
	for url, wait := range want {
		var d deliveryObject
		waitFor(t, "the first attempt to "+url, func() bool {
			d = admin.deliveries(orgID, hooks[url], "").Deliveries[0]
			return d.AttemptCount == 1 && d.NextRetryAt != nil
		})
		if next := timestamp(clock.Now().Add(wait)); d.Status != "pending" || *d.NextRetryAt != next {
			t.Fatalf("%s: delivery %+v, want next_retry_at %s", url, d, next)
		}
	}
}

func TestRetryDelay(t *testing.T) {
	ladder := []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour,
		10 * time.Hour, 14 * time.Hour, 20 * time.Hour, 24 * time.Hour}
	for i, want := range ladder {
		if got := retryDelay(i+1, 500, 0); got != want {
			t.Fatalf("after attempt %d: %v, want %v", i+1, got, want)
		}
	}
	for _, tc := range []struct {
		attempt, status int
		retryAfter      time.Duration
		want            time.Duration
	}{
		{1, 429, 0, 5 * time.Minute},
		{1, 502, 0, 5 * time.Minute},
		{1, 504, 0, 5 * time.Minute},
		{1, 503, 0, 5 * time.Second},
		{1, 0, 0, 5 * time.Second},
		{3, 429, 0, 30 * time.Minute},
		{1, 500, 10 * time.Second, 10 * time.Second},
		{4, 500, time.Second, 2 * time.Hour},
		{1, 429, 48 * time.Hour, 24 * time.Hour},
	} {
		if got := retryDelay(tc.attempt, tc.status, tc.retryAfter); got != tc.want {
			t.Fatalf("%+v: %v", tc, got)
		}
	}
	if got := scaleDelay(5*time.Minute, 0.001); got != 300*time.Millisecond {
		t.Fatalf("5 minutes scaled by 0.001: %v", got)
	}
}

// TestRBACWebhookTest: a test.ping goes out at once, once, even to a
// disabled webhook, and is recorded; the answer tells how it went.
func TestRBACWebhookTest(t *testing.T) {
	rcv := newReceiver(t)
	ts, clock := hookServer(t, rcv, tinyScale)
	admin := newClient(t, ts, AdminAPIKey)
	orgID := admin.createOrg("Acme")
	w := admin.createWebhook(map[string]any{"orgId": orgID, "name": "hook", "url": hookURL, "events": []string{"apps"},
		"enabled": false, "deliveryVersion": "standard"})
	test := func() (webhookTestAnswer, map[string]json.RawMessage) {
		t.Helper()
		r := admin.do(http.MethodPost, webhookTest, map[string]any{"orgId": orgID, "webhookId": w.ID}).wantOK(t)
		var answer webhookTestAnswer
		var names map[string]json.RawMessage
		r.decode(t, &answer)
		r.decode(t, &names)
		return answer, names
	}

	rcv.answerWith(func(_ received, _ int, w http.ResponseWriter) { _, _ = w.Write([]byte("pong")) })
	answer, names := test()
	wantKeys(t, names, []string{"delivery_id", "duration_ms", "message", "response_preview", "status", "success"})
	if !answer.Success || *answer.Status != 200 || answer.ResponsePreview != "pong" || answer.Message != "Test webhook delivered successfully" {
		t.Fatalf("answer %+v", answer)
	}
	got := rcv.requests()[0]
	verifyLegacy(t, w.Secret, got)
	verifyStandard(t, w.Secret, got)
	var body struct {
		eventBody
		Data testData `json:"data"`
	}
	if err := json.Unmarshal(got.body, &body); err != nil {
		t.Fatal(err)
	}
	now := timestamp(clock.Now())
	wantData := testData{Table: "test", Operation: "TEST", RecordID: "test-record-id", NewRecord: testRecord{Message: "This is a test webhook from Capgo", Timestamp: now}}
	if body.Event != "test.ping" || body.Type != "test.ping" || body.OrgID != orgID || body.Timestamp != now || !reflect.DeepEqual(body.Data, wantData) ||
		got.header.Get("X-Capgo-Event") != "test.ping" {
		t.Fatalf("test body %s", got.body)
	}
	var data map[string]json.RawMessage
	var raw struct {
		Data json.RawMessage `json:"data"`
	}
	_ = json.Unmarshal(got.body, &raw)
	decodeObject(t, raw.Data, []string{"changed_fields", "new_record", "old_record", "operation", "record_id", "table"}, &data)

	// A failure: no retry, the webhook left as it is.
	rcv.answerWith(func(_ received, _ int, w http.ResponseWriter) {
		w.WriteHeader(http.StatusGone)
		_, _ = w.Write([]byte(strings.Repeat("é", 600)))
	})
	failed, _ := test()
	if failed.Success || *failed.Status != 410 || failed.ResponsePreview != strings.Repeat("é", 500) || failed.Message != "Test webhook delivery failed" ||
		failed.DeliveryID == answer.DeliveryID {
		t.Fatalf("answer %+v", failed)
	}
	page := admin.deliveries(orgID, w.ID, "")
	d := page.Deliveries[0]
	if page.Pagination.Total != 2 || d.ID != failed.DeliveryID || d.Status != "failed" || d.AttemptCount != 1 || d.NextRetryAt != nil ||
		d.EventType != "test.ping" || *d.ResponseBody != strings.Repeat("é", 600) || page.Deliveries[1].Status != "success" {
		t.Fatalf("deliveries %+v", page)
	}

	// No HTTP answer: no status.
	ts.SetWebhookTarget("http://127.0.0.1:1/")
	unreachable, names := test()
	if _, has := names["status"]; has || unreachable.Success || !strings.HasPrefix(unreachable.ResponsePreview, "Error: ") {
		t.Fatalf("answer %+v", unreachable)
	}
	if n, hook := rcv.count(), admin.webhook(orgID, w.ID); n != 2 || hook.Enabled || *hook.Stats24h != (webhookStats{Success: 1, Failed: 2}) {
		t.Fatalf("%d requests, webhook %+v", n, hook)
	}
	if s := ts.Stats(); s.WebhookDeliveries != 3 || s.WebhookFailures != 2 {
		t.Fatalf("stats %+v", s)
	}
}

// TestRBACWebhookTestRefusals: an unknown webhook, one of another
// organization, and a missing webhookId; none records a delivery.
func TestRBACWebhookTestRefusals(t *testing.T) {
	f := newWebhookFixture(t)
	none := map[string]any{}
	f.run(t, []webhookCase{
		{"no webhookId", AdminAPIKey, http.MethodPost, webhookTest, map[string]any{"orgId": f.acme}, 400, "invalid_body", "", none},
		{"unknown webhook", AdminAPIKey, http.MethodPost, webhookTest, map[string]any{"orgId": f.acme, "webhookId": "missing"}, 400, "webhook_not_found", "",
			map[string]any{"webhookId": "missing"}},
		{"webhook of another organization", DevAPIKey, http.MethodPost, webhookTest, map[string]any{"orgId": f.acme, "webhookId": f.strictHook.ID}, 400, "no_permission",
			"Webhook does not belong to this organization", map[string]any{"webhookId": f.strictHook.ID}},
		{"deliveries without webhookId", AdminAPIKey, http.MethodGet, deliveriesPath + "?orgId=" + f.acme, nil, 400, "invalid_body", "", none},
		{"deliveries of an unknown webhook", AdminAPIKey, http.MethodGet, deliveriesPath + "?orgId=" + f.acme + "&webhookId=x", nil, 400, "webhook_not_found", "",
			map[string]any{"webhookId": "x"}},
		{"deliveries with a bad page", AdminAPIKey, http.MethodGet, deliveriesPath + "?orgId=" + f.acme + "&webhookId=" + f.acmeHook.ID + "&page=-1", nil, 400, "invalid_body", "", none},
		{"retry without deliveryId", AdminAPIKey, http.MethodPost, retryPath, map[string]any{"orgId": f.acme}, 400, "invalid_body", "", none},
		{"retry of an unknown delivery", AdminAPIKey, http.MethodPost, retryPath, map[string]any{"orgId": f.acme, "deliveryId": "x"}, 400, "delivery_not_found", "",
			map[string]any{"deliveryId": "x"}},
	})
}

// TestRBACWebhookDeliveryList: newest first, 50 a page, filtered by
// status, with the pagination's counts.
func TestRBACWebhookDeliveryList(t *testing.T) {
	rcv := newReceiver(t)
	ts, _ := hookServer(t, rcv, tinyScale)
	admin := newClient(t, ts, AdminAPIKey)
	orgID := admin.createOrg("Acme")
	w := admin.hook(orgID, "legacy", "orgs")
	for i := range 60 {
		admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": orgID, "name": fmt.Sprintf("Name %02d", i)}).wantOK(t)
	}
	waitFor(t, "60 deliveries", func() bool { return admin.deliveries(orgID, w.ID, "&status=success").Pagination.Total == 60 })
	name := func(d deliveryObject) string {
		var body eventBody
		_ = json.Unmarshal(d.RequestPayload, &body)
		n, _ := body.Data.NewRecord["name"].(string)
		return n
	}
	first := admin.deliveries(orgID, w.ID, "")
	if first.Pagination != (pagination{Page: 0, PerPage: 50, Total: 60, HasMore: true}) || len(first.Deliveries) != 50 || name(first.Deliveries[0]) != "Name 59" {
		t.Fatalf("page 0: %+v, newest %s", first.Pagination, name(first.Deliveries[0]))
	}
	last := admin.deliveries(orgID, w.ID, "&page=1")
	if last.Pagination != (pagination{Page: 1, PerPage: 50, Total: 60}) || len(last.Deliveries) != 10 || name(last.Deliveries[9]) != "Name 00" {
		t.Fatalf("page 1: %+v", last.Pagination)
	}
	if p := admin.deliveries(orgID, w.ID, "&status=failed"); p.Pagination.Total != 0 || p.Deliveries == nil {
		t.Fatalf("failed deliveries %+v", p)
	}
}

// TestRBACWebhookRetryDelivery: only a failed delivery is retried, and
// only to an enabled webhook; it starts again with the same event.
func TestRBACWebhookRetryDelivery(t *testing.T) {
	rcv := newReceiver(t)
	rcv.answerWith(status(http.StatusGone))
	ts, _ := hookServer(t, rcv, tinyScale)
	admin := newClient(t, ts, AdminAPIKey)
	orgID, other := admin.createOrg("Acme"), admin.createOrg("Other")
	w := admin.hook(orgID, "legacy", "orgs")
	admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": orgID, "name": "Renamed"}).wantOK(t)
	d := admin.settledDelivery(t, orgID, w.ID)
	retry := func(orgID string) response {
		return admin.do(http.MethodPost, retryPath, map[string]any{"orgId": orgID, "deliveryId": d.ID})
	}

	retry(orgID).wantCode(t, 400, "webhook_disabled", map[string]any{"webhookId": w.ID})
	retry(other).wantCode(t, 400, "delivery_not_found", map[string]any{"deliveryId": d.ID})
	admin.do(http.MethodPut, webhooksPath, map[string]any{"orgId": orgID, "webhookId": w.ID, "enabled": true, "url": "https://moved.example.com/"}).wantOK(t)
	rcv.answerWith(status(http.StatusNoContent))
	retry(orgID).wantBody(t, fmt.Sprintf(`{"status": "Delivery queued for retry", "deliveryId": %q}`, d.ID))
	again := admin.settledDelivery(t, orgID, w.ID)
	if again.ID != d.ID || again.Status != "success" || again.AttemptCount != 1 || *again.ResponseStatus != 204 {
		t.Fatalf("retried delivery %+v", again)
	}
	reqs := rcv.requests()
	if len(reqs) != 2 || reqs[1].header.Get("X-Capgo-Event-ID") != reqs[0].header.Get("X-Capgo-Event-ID") ||
		reqs[1].webhookURL() != "https://moved.example.com/" {
		t.Fatalf("requests %v", reqs)
	}
	retry(orgID).wantCode(t, 400, "delivery_not_failed", map[string]any{"deliveryId": d.ID, "status": "success"})
}

// TestRBACWebhookOffWhileWaiting: a delivery whose webhook is turned off
// while it waits for a retry is not sent again: it fails.
func TestRBACWebhookOffWhileWaiting(t *testing.T) {
	rcv := newReceiver(t)
	rcv.answerWith(status(http.StatusInternalServerError))
	ts, _ := hookServer(t, rcv, 1) // the retry waits 5 seconds
	admin := newClient(t, ts, AdminAPIKey)
	orgID := admin.createOrg("Acme")
	w := admin.hook(orgID, "legacy", "orgs")
	admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": orgID, "name": "Renamed"}).wantOK(t)
	waitFor(t, "the first attempt", func() bool { return admin.deliveries(orgID, w.ID, "").Deliveries[0].AttemptCount == 1 })
	admin.do(http.MethodPut, webhooksPath, map[string]any{"orgId": orgID, "webhookId": w.ID, "enabled": false}).wantOK(t)
	// The delivery waits 5 seconds for its retry; rather than wait as
	// long, prepare the attempt now, as the end of the wait does.
	d := admin.deliveries(orgID, w.ID, "").Deliveries[0]
	ts.Server.mu.Lock()
	dl, ctx := ts.Server.store.deliveries[d.ID], ts.Server.hooks.ctx
	ts.Server.mu.Unlock()
	if _, ok := ts.Server.prepareAttempt(ctx, dl, false); ok {
		t.Fatal("an attempt was prepared for a disabled webhook")
	}
	d = admin.deliveries(orgID, w.ID, "").Deliveries[0]
	if d.Status != "failed" || d.AttemptCount != 1 || *d.ResponseBody != "Error: Webhook is disabled" || rcv.count() != 1 {
		t.Fatalf("delivery %+v", d)
	}
}

// TestEmitNeverAnnouncesOrganizationDeletion: orgs.DELETE is never
// delivered, though the mock records no such entry today.
func TestEmitNeverAnnouncesOrganizationDeletion(t *testing.T) {
	st := newStore(newFakeClock().Now)
	u, err := st.addUser(AdminEmail, AdminAPIKey)
	if err != nil {
		t.Fatal(err)
	}
	o := st.createOrganization("Acme", u, rbacRoleSuperAdmin)
	st.addWebhook(o, &webhook{name: "hook", url: hookURL, enabled: true, events: []string{"orgs"}, deliveryVersion: "legacy"})
	var sent []string
	st.deliver = func(d *delivery) { sent = append(sent, d.eventType) }
	st.emit(o, auditEntry{TableName: "orgs", Operation: "DELETE", OrgID: o.id})
	st.emit(o, auditEntry{TableName: "orgs", Operation: "UPDATE", OrgID: o.id})
	if !slices.Equal(sent, []string{"orgs.UPDATE"}) {
		t.Fatalf("sent %v", sent)
	}
}
