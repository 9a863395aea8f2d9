package capgo

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// webhookJSON is a webhook as Capgo answers it.
func webhookJSON(id string) string {
	return fmt.Sprintf(`{"id": %q, "org_id": "o1", "name": "Events", "url": "https://hooks.example.com/capgo",
		"enabled": true, "events": ["org_users", "apps"], "delivery_version": "standard",
		"created_at": "2026-12-01T00:00:00Z", "updated_at": "2026-12-01T00:00:00Z", "created_by": "u1"}`, id)
}

// The list is read page by page until a page holds fewer than 50.
func TestListWebhooksReadsEveryPage(t *testing.T) {
	s := newStubInProcess(t, func(w http.ResponseWriter, r *http.Request, n int) {
		count := map[int]int{1: 50, 2: 3}[n]
		items := make([]string, count)
		for i := range items {
			items[i] = webhookJSON(fmt.Sprintf("w%d-%d", n, i))
		}
		reply(w, http.StatusOK, "["+strings.Join(items, ",")+"]")
	})
	hooks, err := s.client().ListWebhooks(t.Context(), "o1")
	if err != nil {
		t.Fatal(err)
	}
	if len(hooks) != 53 || s.count() != 2 {
		t.Fatalf("%d webhooks in %d requests, want 53 in 2", len(hooks), s.count())
	}
	for i, want := range []string{"0", "1"} {
		if got := s.requests()[i].query["page"]; !slices.Equal(got, []string{want}) || s.requests()[i].query["orgId"][0] != "o1" {
			t.Errorf("request %d asked page %v of %v", i, got, s.requests()[i].query["orgId"])
		}
	}
	if h := hooks[0]; h.Name != "Events" || !h.Enabled || !slices.Equal(h.Events, []string{"org_users", "apps"}) || h.DeliveryVersion != "standard" {
		t.Errorf("decoded %+v", h)
	}
}

// A creation sends camelCase fields, leaves Capgo's defaults when none are given, and returns the
// secret Capgo shows only then; an update sends only what it changes.
func TestWebhookWrites(t *testing.T) {
	s := newStubInProcess(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		hook := strings.TrimSuffix(webhookJSON("w1"), "}") + `, "secret": "whsec_c2VjcmV0"}`
		switch r.Method {
		case http.MethodPost:
			reply(w, http.StatusCreated, `{"status": "Webhook created", "webhook": `+hook+`}`)
		case http.MethodPut:
			reply(w, http.StatusOK, `{"status": "Webhook updated", "webhook": `+webhookJSON("w1")+`}`)
		case http.MethodDelete:
			reply(w, http.StatusOK, `{"status": "Webhook deleted", "webhookId": "w1"}`)
		}
	})
	c := s.client()
	created, err := c.CreateWebhook(t.Context(), CreateWebhookRequest{OrganizationID: "o1", Name: "Events",
		URL: "https://hooks.example.com/capgo", Events: []string{"apps", "org_users"}})
	if err != nil {
		t.Fatal(err)
	}
	if created.Secret != "whsec_c2VjcmV0" || created.ID != "w1" {
		t.Errorf("created %+v", created)
	}
	name := "Renamed"
	if _, err := c.UpdateWebhook(t.Context(), UpdateWebhookRequest{OrganizationID: "o1", WebhookID: "w1", Name: &name}); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteWebhook(t.Context(), "o1", "w1"); err != nil {
		t.Fatal(err)
	}
	for i, want := range []map[string]any{
		{"orgId": "o1", "name": "Events", "url": "https://hooks.example.com/capgo", "events": []any{"apps", "org_users"}},
		{"orgId": "o1", "webhookId": "w1", "name": "Renamed"},
		{"orgId": "o1", "webhookId": "w1"},
	} {
		var got map[string]any
		if err := json.Unmarshal(s.requests()[i].body, &got); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("request %d sent %v, want %v", i, got, want)
		}
	}
}

// A test delivery reports what the receiver answered, failure included, as a successful call.
func TestTestWebhook(t *testing.T) {
	s := newStubInProcess(t, answer(http.StatusOK, `{"success": false, "status": 500, "duration_ms": 12,
		"response_preview": "boom", "delivery_id": "d1", "message": "Test webhook delivery failed"}`))
	result, err := s.client().TestWebhook(t.Context(), "o1", "w1")
	if err != nil {
		t.Fatal(err)
	}
	if result.Success || result.Status == nil || *result.Status != 500 || result.DeliveryID != "d1" || result.ResponsePreview != "boom" {
		t.Errorf("result %+v", result)
	}
}

// A server known to have no webhooks is sent nothing; the webhook refusals have their kinds.
func TestWebhookRefusals(t *testing.T) {
	s := newStubInProcess(t, answer(http.StatusOK, `[{"uid": "u1", "email": "a@example.com", "role": "read"}]`))
	c := s.client()
	if _, err := c.ListMembers(t.Context(), "o1"); err != nil { // tells the documented API
		t.Fatal(err)
	}
	if _, err := c.ListWebhooks(t.Context(), "o1"); !errors.Is(err, ErrNoWebhooks) {
		t.Errorf("got %v, want ErrNoWebhooks", err)
	}
	if s.count() != 1 {
		t.Errorf("%d requests, want only the member list", s.count())
	}
	for code, want := range map[string]ErrorKind{"webhook_not_found": KindNotFound, "no_permission": KindNotAllowed,
		"invalid_url": KindInvalidInput, "invalid_events": KindInvalidInput} {
		s := newStubInProcess(t, answer(http.StatusBadRequest, fmt.Sprintf(`{"error": %q, "message": "m", "moreInfo": {}}`, code)))
		_, err := s.client(noRetries).GetWebhook(t.Context(), "o1", "w1")
		if got := KindOf(err); got != want {
			t.Errorf("%s: kind %v, want %v", code, got, want)
		}
	}
}
