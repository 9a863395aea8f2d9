package mockserver

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

const (
	webhooksPath   = "/webhooks/"
	webhookTest    = "/webhooks/test"
	deliveriesPath = "/webhooks/deliveries"
	retryPath      = "/webhooks/deliveries/retry"
	// hookURL passes the URL rules; deliveries go to a receiver set as the
	// mock's target.
	hookURL = "https://hooks.example.com/capgo?team=1"
	// tinyScale makes the whole retry ladder last a fraction of a second.
	tinyScale = 1e-6
)

// The JSON names of the webhook objects.
var (
	webhookKeys  = []string{"created_at", "created_by", "delivery_version", "enabled", "events", "id", "name", "org_id", "updated_at", "url"}
	deliveryKeys = []string{"attempt_count", "completed_at", "created_at", "delivery_version", "duration_ms", "event_type", "id", "max_attempts",
		"next_retry_at", "org_id", "request_payload", "response_body", "response_status", "status", "webhook_id"}
)

// received is one request a receiver got, as it came.
type received struct {
	header http.Header
	body   []byte
}

// receiver is a local webhook receiver: it records every request and
// answers as answer says, given the request and how many came before it
// for the same webhook (header X-Mock-Webhook-URL). It checks nothing
// itself, since a handler may not fail the test: the test checks what it
// recorded.
type receiver struct {
	url string

	mu     sync.Mutex
	got    []received
	answer answerFunc
}

type answerFunc func(r received, nth int, w http.ResponseWriter)

// newReceiver starts a receiver that answers 200 "ok" unless told
// otherwise. It is closed when the test ends, after the mock started later.
func newReceiver(t *testing.T) *receiver {
	t.Helper()
	rcv := &receiver{answer: func(received, int, http.ResponseWriter) {}}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got := received{header: r.Header.Clone(), body: body}
		rcv.mu.Lock()
		nth := 0
		for _, earlier := range rcv.got {
			if earlier.webhookURL() == got.webhookURL() {
				nth++
			}
		}
		rcv.got = append(rcv.got, got)
		answer := rcv.answer
		rcv.mu.Unlock()
		answer(got, nth, w)
	}))
	t.Cleanup(hs.Close)
	rcv.url = hs.URL
	return rcv
}

// webhookURL is the URL of the webhook a request was meant for.
func (r received) webhookURL() string {
	return r.header.Get("X-Mock-Webhook-URL")
}

// answerWith sets how the receiver answers from now on.
func (rcv *receiver) answerWith(answer answerFunc) {
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	rcv.answer = answer
}

// status answers every request with code.
func status(code int) answerFunc {
	return func(_ received, _ int, w http.ResponseWriter) { w.WriteHeader(code) }
}

func (rcv *receiver) requests() []received {
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	return append([]received(nil), rcv.got...)
}

func (rcv *receiver) count() int {
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	return len(rcv.got)
}

// waitFor waits until cond holds. The deadline is generous: it only
// bounds a test that would otherwise hang, and nothing is measured by it.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// hookServer starts an rbac mock whose deliveries go to rcv, with a clock
// that moves only when told and the given retry scale.
func hookServer(t *testing.T, rcv *receiver, scale float64) (*TestServer, *fakeClock) {
	t.Helper()
	clock := newFakeClock()
	ts := NewTestServer(t, Options{Dialect: DialectRBAC, Clock: clock.Now, WebhookTarget: rcv.url, WebhookRetryScale: scale})
	return ts, clock
}

// createWebhook creates a webhook, expecting 201 with the object and its
// secret.
func (c *apiClient) createWebhook(body map[string]any) webhookObject {
	c.t.Helper()
	r := c.do(http.MethodPost, webhooksPath, body)
	if r.status != http.StatusCreated {
		c.t.Fatalf("create webhook: %d %s", r.status, r.body)
	}
	var out struct {
		Status  string          `json:"status"`
		Webhook json.RawMessage `json:"webhook"`
	}
	r.decode(c.t, &out)
	if out.Status != "Webhook created" {
		c.t.Fatalf("create webhook: status %q", out.Status)
	}
	var w webhookObject
	decodeObject(c.t, out.Webhook, append([]string{"secret"}, webhookKeys...), &w)
	return w
}

// hook creates a webhook of orgID to hookURL for events, in version.
func (c *apiClient) hook(orgID, version string, events ...string) webhookObject {
	c.t.Helper()
	return c.createWebhook(map[string]any{"orgId": orgID, "name": "hook", "url": hookURL, "events": events, "deliveryVersion": version})
}

// webhook reads one webhook, with its stats.
func (c *apiClient) webhook(orgID, id string) webhookObject {
	c.t.Helper()
	r := c.do(http.MethodGet, webhooksPath+"?orgId="+orgID+"&webhookId="+id, nil).wantOK(c.t)
	var w webhookObject
	decodeObject(c.t, r.body, append([]string{"stats_24h"}, webhookKeys...), &w)
	return w
}

// deliveries reads a page of a webhook's deliveries.
func (c *apiClient) deliveries(orgID, webhookID, query string) deliveryPage {
	c.t.Helper()
	r := c.do(http.MethodGet, deliveriesPath+"?orgId="+orgID+"&webhookId="+webhookID+query, nil).wantOK(c.t)
	var raw struct {
		Deliveries []map[string]json.RawMessage `json:"deliveries"`
	}
	r.decode(c.t, &raw)
	for _, d := range raw.Deliveries {
		wantKeys(c.t, d, deliveryKeys)
	}
	var page deliveryPage
	r.decode(c.t, &page)
	return page
}

// settledDelivery waits until the webhook's one delivery is no longer pending
// and returns it.
func (c *apiClient) settledDelivery(t *testing.T, orgID, webhookID string) deliveryObject {
	t.Helper()
	var d deliveryObject
	waitFor(t, "the delivery to settle", func() bool {
		page := c.deliveries(orgID, webhookID, "")
		if len(page.Deliveries) != 1 {
			return false
		}
		d = page.Deliveries[0]
		return d.Status != deliveryPending
	})
	return d
}

// topKeys lists the names of a JSON object in the order they come.
func topKeys(t *testing.T, body []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("%s is no JSON object", body)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		key, _ := tok.(string)
		keys = append(keys, key)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// unix is the Unix seconds of a clock, as a delivery header spells them.
func unix(c *fakeClock) string {
	return strconv.FormatInt(c.Now().Unix(), 10)
}
