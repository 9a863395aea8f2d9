package mockserver

import (
	"crypto/rand"
	"encoding/base64"
	"slices"
	"time"
)

// Organization webhooks as the store keeps them (README.md, 2.5): each
// organization's webhooks, each webhook's deliveries. The routes are in
// rbac_webhooks.go, the sending in webhook_sender.go.

// The delivery versions, each a signature scheme.
const (
	webhookVersionLegacy   = "legacy"
	webhookVersionStandard = "standard"
)

// webhookVersions are the delivery versions, as a refusal lists them.
var webhookVersions = []string{webhookVersionLegacy, webhookVersionStandard}

// webhookTables are the tables a webhook may subscribe to, as a refusal
// lists them.
var webhookTables = []string{"apps", "app_versions", "channels", auditTableMembers, auditTableOrganizations}

// The states of a delivery.
const (
	deliveryPending = "pending"
	deliverySuccess = "success"
	deliveryFailed  = "failed"
)

const (
	// deliveryMaxAttempts is how many times a delivery is tried before it
	// fails for good and turns its webhook off.
	deliveryMaxAttempts = 10
	// webhookSecretPrefix starts every secret; the rest is the base64 of
	// webhookSecretBytes random bytes.
	webhookSecretPrefix = "whsec_"
	webhookSecretBytes  = 32
)

type webhook struct {
	id              string
	orgID           string
	name            string
	url             string
	enabled         bool
	events          []string // as sent: order and duplicates kept
	deliveryVersion string
	createdAt       time.Time
	updatedAt       time.Time
	createdBy       string
	// secret is shown once, in the answer to the creation.
	secret string
	// deliveries are oldest first; they go with the webhook.
	deliveries []*delivery
}

type delivery struct {
	id              string
	webhookID       string
	orgID           string
	eventType       string
	deliveryVersion string
	// body is the request payload: exactly the bytes every attempt sends
	// and signs, built once so that retries carry the same event.
	body           []byte
	eventID        string
	status         string
	responseStatus *int
	responseBody   *string
	attemptCount   int
	durationMS     *int64
	createdAt      time.Time
	nextRetryAt    *time.Time
	completedAt    *time.Time
}

// newWebhookSecret returns a fresh secret: whsec_ and the base64 of 32
// random bytes, 50 characters in all.
func newWebhookSecret() string {
	var b [webhookSecretBytes]byte
	// crypto/rand.Read never returns an error on supported platforms.
	_, _ = rand.Read(b[:])
	return webhookSecretPrefix + base64.StdEncoding.EncodeToString(b[:])
}

// addWebhook gives o a new webhook, the caller having checked its fields.
func (s *store) addWebhook(o *organization, w *webhook) {
	now := s.now()
	w.id, w.orgID, w.createdAt, w.updatedAt, w.secret = newID(), o.id, now, now, newWebhookSecret()
	o.webhooks = append(o.webhooks, w)
	s.webhooks[w.id] = w
}

// webhook returns the webhook with this id, in any organization, or nil.
func (s *store) webhook(id string) *webhook {
	return s.webhooks[id]
}

// removeWebhook deletes a webhook with its deliveries.
func (s *store) removeWebhook(w *webhook) {
	if o := s.organization(w.orgID); o != nil {
		o.webhooks = slices.DeleteFunc(o.webhooks, func(x *webhook) bool { return x == w })
	}
	for _, d := range w.deliveries {
		delete(s.deliveries, d.id)
	}
	delete(s.webhooks, w.id)
}

// touchWebhook moves updated_at forward, strictly, as touch does for
// organizations.
func (s *store) touchWebhook(w *webhook) {
	now := s.now()
	if !now.After(w.updatedAt) {
		now = w.updatedAt.Add(time.Microsecond)
	}
	w.updatedAt = now
}

// addDelivery records a pending delivery of ev to w.
func (s *store) addDelivery(w *webhook, ev webhookEvent) *delivery {
	d := &delivery{
		id:              newID(),
		webhookID:       w.id,
		orgID:           w.orgID,
		eventType:       ev.name,
		eventID:         ev.id,
		deliveryVersion: w.deliveryVersion,
		body:            ev.payload(w.deliveryVersion),
		status:          deliveryPending,
		createdAt:       s.now(),
	}
	w.deliveries = append(w.deliveries, d)
	s.deliveries[d.id] = d
	return d
}

// emit turns an audited change into an event for every enabled webhook of
// o that subscribes to its table, and hands each delivery to the sender.
// A deleted organization is never announced.
func (s *store) emit(o *organization, e auditEntry) {
	if len(o.webhooks) == 0 || (e.TableName == auditTableOrganizations && e.Operation == auditDelete) {
		return
	}
	ev := changeEvent(e)
	for _, w := range o.webhooks {
		if !w.enabled || !slices.Contains(w.events, e.TableName) {
			continue
		}
		d := s.addDelivery(w, ev)
		if s.deliver != nil {
			s.deliver(d)
		}
	}
}

// turnOff disables a webhook, as Capgo does after a delivery failed for
// good; updated_at moves with it.
func (s *store) turnOff(w *webhook) {
	if w.enabled {
		w.enabled = false
		s.touchWebhook(w)
	}
}
