package mockserver

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestControlWebhookSettings: GET and PUT /_mock/webhooks, the options of
// the server as their start, a PUT changing what it names, and refusals.
func TestControlWebhookSettings(t *testing.T) {
	ts := NewTestServer(t, Options{Dialect: DialectRBAC, WebhookTarget: "http://127.0.0.1:9/in", WebhookRetryScale: 0.5})
	controlCall(t, ts, http.MethodGet, "/_mock/webhooks", nil).wantBody(t, `{"target": "http://127.0.0.1:9/in", "retry_scale": 0.5}`)
	controlCall(t, ts, http.MethodPut, "/_mock/webhooks/", map[string]any{"retry_scale": 0.001}).
		wantBody(t, `{"target": "http://127.0.0.1:9/in", "retry_scale": 0.001}`)
	controlCall(t, ts, http.MethodPut, "/_mock/webhooks", map[string]any{"target": ""}).wantBody(t, `{"target": "", "retry_scale": 0.001}`)
	for _, body := range []any{
		map[string]any{"retry_scale": 0}, map[string]any{"retry_scale": -1}, map[string]any{"target": "127.0.0.1:9"},
		map[string]any{"target": "ftp://example.com/"}, map[string]any{"target": "http://"}, map[string]any{"scale": 2}, rawBody("{"),
	} {
		r := controlCall(t, ts, http.MethodPut, "/_mock/webhooks", body)
		var e controlError
		if r.decode(t, &e); r.status != http.StatusBadRequest || e.Error == "" {
			t.Fatalf("PUT %v: %d %s", body, r.status, r.body)
		}
	}
	if got := ts.WebhookSettings(); got != (WebhookSettings{RetryScale: 0.001}) {
		t.Fatalf("settings after refusals %+v", got)
	}
	if r := controlCall(t, ts, http.MethodPost, "/_mock/webhooks", nil); r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "GET, PUT" {
		t.Fatalf("POST: %d, Allow %q", r.status, r.header.Get("Allow"))
	}

	// The defaults: no target, Capgo's delays.
	if got := NewTestServer(t, Options{Dialect: DialectRBAC}).WebhookSettings(); got != (WebhookSettings{RetryScale: 1}) {
		t.Fatalf("default settings %+v", got)
	}
}

func TestWebhookOptionsAreChecked(t *testing.T) {
	for _, opts := range []Options{
		{WebhookTarget: "localhost:8080"}, {WebhookTarget: "mailto:x@example.com"}, {WebhookRetryScale: -0.5},
	} {
		if _, err := New(opts); err == nil {
			t.Fatalf("New(%+v) succeeded", opts)
		}
	}
}

// TestControlStatsCountDeliveries: the attempts and the failures, under
// their JSON names, zero again after a reset.
func TestControlStatsCountDeliveries(t *testing.T) {
	rcv := newReceiver(t)
	rcv.answerWith(func(_ received, nth int, w http.ResponseWriter) {
		if nth < 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	})
	ts, _ := hookServer(t, rcv, tinyScale)
	admin := newClient(t, ts, AdminAPIKey)
	orgID := admin.createOrg("Acme")
	w := admin.hook(orgID, "legacy", "orgs")
	admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": orgID, "name": "Renamed"}).wantOK(t)
	admin.settledDelivery(t, orgID, w.ID)
	var raw map[string]any
	controlCall(t, ts, http.MethodGet, "/_mock/stats", nil).wantOK(t).decode(t, &raw)
	if raw["webhook_deliveries"] != 3.0 || raw["webhook_failures"] != 2.0 {
		t.Fatalf("stats %v, want 3 attempts and 2 failures", raw)
	}
	ts.Reset()
	if s := ts.Stats(); s.WebhookDeliveries != 0 || s.WebhookFailures != 0 {
		t.Fatalf("stats after reset %+v", s)
	}
}

// TestControlResetClearsWebhooks: a reset forgets webhooks and deliveries,
// ends the deliveries under way and restores the settings of Options.
func TestControlResetClearsWebhooks(t *testing.T) {
	rcv := newReceiver(t)
	rcv.answerWith(status(http.StatusInternalServerError))
	ts, _ := hookServer(t, rcv, 1000) // the first retry waits 5000 seconds
	admin := newClient(t, ts, AdminAPIKey)
	orgID := admin.createOrg("Acme")
	admin.hook(orgID, "legacy", "orgs")
	admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": orgID, "name": "Renamed"}).wantOK(t)
	waitFor(t, "the first attempt", func() bool { return rcv.count() == 1 })
	ts.SetWebhookTarget("")
	ts.SetWebhookRetryScale(3)

	ts.Reset()
	ts.Server.mu.Lock()
	webhooks, deliveries := len(ts.Server.store.webhooks), len(ts.Server.store.deliveries)
	ts.Server.mu.Unlock()
	if webhooks != 0 || deliveries != 0 {
		t.Fatalf("after reset: %d webhooks, %d deliveries", webhooks, deliveries)
	}
	if got := ts.WebhookSettings(); got != (WebhookSettings{Target: rcv.url, RetryScale: 1000}) {
		t.Fatalf("settings after reset %+v", got)
	}
	// The waiting retry ended with the reset: Close, which waits for every
	// delivery's goroutine, returns rather than after 5000 seconds.
	closeWithin(t, ts)
	if n := rcv.count(); n != 1 {
		t.Fatalf("%d attempts, want the one before the reset", n)
	}
}

// closeWithin closes the server's deliveries, failing the test if that
// hangs: the deadline is far beyond what a Close takes.
func closeWithin(t *testing.T, ts *TestServer) {
	t.Helper()
	done := make(chan struct{})
	go func() { ts.Server.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Close did not return")
	}
}

// TestCloseCutsOffDeliveries: Close ends an attempt under way, and no
// delivery starts after it; the API still answers.
func TestCloseCutsOffDeliveries(t *testing.T) {
	arrived, cut := make(chan struct{}, 1), make(chan struct{}, 1)
	stall := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// With the body read, the server notices the client hanging up.
		_, _ = io.ReadAll(r.Body)
		arrived <- struct{}{}
		<-r.Context().Done()
		cut <- struct{}{}
	}))
	t.Cleanup(stall.Close)
	ts := NewTestServer(t, Options{Dialect: DialectRBAC, WebhookTarget: stall.URL})
	admin := newClient(t, ts, AdminAPIKey)
	orgID := admin.createOrg("Acme")
	w := admin.hook(orgID, "legacy", "orgs")
	admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": orgID, "name": "Renamed"}).wantOK(t)
	<-arrived
	// Close waits for the stalled attempt, which only its cut ends.
	closeWithin(t, ts)
	<-cut
	admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": orgID, "name": "Again"}).wantOK(t)
	page := admin.deliveries(orgID, w.ID, "")
	if page.Pagination.Total != 2 {
		t.Fatalf("%d deliveries, want 2", page.Pagination.Total)
	}
	for _, d := range page.Deliveries {
		if d.Status != "pending" || d.AttemptCount != 0 {
			t.Fatalf("delivery after Close %+v: want pending, with the cut attempt unrecorded", d)
		}
	}
	closeWithin(t, ts) // again: nothing more to do
}

// TestControlClientWebhookSettings: the client's calls, and the mock's
// refusal as a *ControlError.
func TestControlClientWebhookSettings(t *testing.T) {
	ctx := context.Background()
	_, c := newControlClient(t, Options{Dialect: DialectRBAC})
	if err := c.SetWebhookTarget(ctx, "https://receiver.example.com/in"); err != nil {
		t.Fatal(err)
	}
	if err := c.SetWebhookRetryScale(ctx, 0.25); err != nil {
		t.Fatal(err)
	}
	got, err := c.WebhookSettings(ctx)
	if err != nil || got != (WebhookSettings{Target: "https://receiver.example.com/in", RetryScale: 0.25}) {
		t.Fatalf("settings %+v, %v", got, err)
	}
	scale := 2.0
	if got, err := c.SetWebhookSettings(ctx, WebhookSettingsUpdate{RetryScale: &scale}); err != nil || got.RetryScale != 2 || got.Target == "" {
		t.Fatalf("settings %+v, %v", got, err)
	}
	var ce *ControlError
	if err := c.SetWebhookRetryScale(ctx, 0); !errors.As(err, &ce) || ce.StatusCode != http.StatusBadRequest {
		t.Fatalf("scale 0: %v", err)
	}
	var body map[string]string
	if err := json.Unmarshal([]byte(ce.Body), &body); err != nil || body["error"] == "" {
		t.Fatalf("refusal body %q", ce.Body)
	}
}
