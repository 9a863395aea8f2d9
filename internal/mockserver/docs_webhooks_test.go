package mockserver

import (
	"net/http"
	"testing"
)

// TestDocsHasNoWebhooks: the documented API has no webhooks (2.5), so
// every webhook route, with a key or without, is 404 not_found; another
// unknown route keeps its own message.
func TestDocsHasNoWebhooks(t *testing.T) {
	ts := NewTestServer(t, Options{})
	admin := newClient(t, ts, AdminAPIKey)
	orgID := admin.createOrg("Acme")
	for _, key := range []string{AdminAPIKey, ""} {
		c := newClient(t, ts, key)
		for _, route := range webhookRouteList {
			method, path, body := route.request(orgID, "some-webhook")
			c.do(method, path, body).wantError(t, http.StatusNotFound, "not_found")
		}
		c.do(http.MethodPatch, "/webhooks", nil).wantError(t, http.StatusNotFound, "not_found")
		c.do(http.MethodGet, "/webhooks/nope/", nil).wantError(t, http.StatusNotFound, "not_found")
		c.do(http.MethodGet, "/webhooksx", nil).wantError(t, http.StatusNotFound, "Not found")
	}
	// The rbac webhook fields of a seed are refused.
	seed := DefaultSeed()
	seed.Users[0].AppScoped = true
	if _, err := New(Options{Seed: seed}); err == nil {
		t.Fatal("a docs server took an app_scoped key")
	}
}
