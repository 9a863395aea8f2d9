package mockserver

import (
	"encoding/json"
	"slices"
	"time"
)

// The objects of the webhook routes (README.md, 2.5), in snake_case, their
// members in the order Capgo sends them.

// webhookObject is a webhook; the secret only in the answer to its
// creation, stats_24h only in the answer that reads one webhook.
type webhookObject struct {
	ID              string        `json:"id"`
	OrgID           string        `json:"org_id"`
	Name            string        `json:"name"`
	URL             string        `json:"url"`
	Enabled         bool          `json:"enabled"`
	Events          []string      `json:"events"`
	DeliveryVersion string        `json:"delivery_version"`
	CreatedAt       string        `json:"created_at"`
	UpdatedAt       string        `json:"updated_at"`
	CreatedBy       string        `json:"created_by"`
	Secret          string        `json:"secret,omitempty"`
	Stats24h        *webhookStats `json:"stats_24h,omitempty"`
}

// webhookStats counts a webhook's deliveries of the last 24 hours.
type webhookStats struct {
	Success int `json:"success"`
	Failed  int `json:"failed"`
	Pending int `json:"pending"`
}

// deliveryObject is a delivery as GET /webhooks/deliveries lists it.
type deliveryObject struct {
	ID              string          `json:"id"`
	WebhookID       string          `json:"webhook_id"`
	OrgID           string          `json:"org_id"`
	EventType       string          `json:"event_type"`
	Status          string          `json:"status"`
	RequestPayload  json.RawMessage `json:"request_payload"`
	ResponseStatus  *int            `json:"response_status"`
	ResponseBody    *string         `json:"response_body"`
	AttemptCount    int             `json:"attempt_count"`
	MaxAttempts     int             `json:"max_attempts"`
	NextRetryAt     *string         `json:"next_retry_at"`
	CreatedAt       string          `json:"created_at"`
	CompletedAt     *string         `json:"completed_at"`
	DurationMS      *int64          `json:"duration_ms"`
	DeliveryVersion string          `json:"delivery_version"`
}

// deliveryPage is the answer of GET /webhooks/deliveries.
type deliveryPage struct {
	Deliveries []deliveryObject `json:"deliveries"`
	Pagination pagination       `json:"pagination"`
}

type pagination struct {
	Page    int  `json:"page"`
	PerPage int  `json:"per_page"`
	Total   int  `json:"total"`
	HasMore bool `json:"has_more"`
}

// webhookTestAnswer is the answer of POST /webhooks/test. Status is left
// out when no HTTP answer came.
type webhookTestAnswer struct {
	Success         bool   `json:"success"`
	Status          *int   `json:"status,omitempty"`
	DurationMS      int64  `json:"duration_ms"`
	ResponsePreview string `json:"response_preview"`
	DeliveryID      string `json:"delivery_id"`
	Message         string `json:"message"`
}

// webhookTestPreviewChars is how much of the answer the test shows.
const webhookTestPreviewChars = 500

func webhookObjectOf(w *webhook) webhookObject {
	return webhookObject{
		ID:              w.id,
		OrgID:           w.orgID,
		Name:            w.name,
		URL:             w.url,
		Enabled:         w.enabled,
		Events:          slices.Clone(w.events),
		DeliveryVersion: w.deliveryVersion,
		CreatedAt:       timestamp(w.createdAt),
		UpdatedAt:       timestamp(w.updatedAt),
		CreatedBy:       w.createdBy,
	}
}

// statsOf counts the deliveries of w created since since.
func statsOf(w *webhook, since time.Time) *webhookStats {
	var s webhookStats
	for _, d := range w.deliveries {
		if d.createdAt.Before(since) {
			continue
		}
		switch d.status {
		case deliverySuccess:
			s.Success++
		case deliveryFailed:
			s.Failed++
		case deliveryPending:
			s.Pending++
		}
	}
	return &s
}

func deliveryObjectOf(d *delivery) deliveryObject {
	return deliveryObject{
		ID:              d.id,
		WebhookID:       d.webhookID,
		OrgID:           d.orgID,
		EventType:       d.eventType,
		Status:          d.status,
		RequestPayload:  json.RawMessage(d.body),
		ResponseStatus:  d.responseStatus,
		ResponseBody:    d.responseBody,
		AttemptCount:    d.attemptCount,
		MaxAttempts:     deliveryMaxAttempts,
		NextRetryAt:     optionalTimestamp(d.nextRetryAt),
		CreatedAt:       timestamp(d.createdAt),
		CompletedAt:     optionalTimestamp(d.completedAt),
		DurationMS:      d.durationMS,
		DeliveryVersion: d.deliveryVersion,
	}
}

func optionalTimestamp(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := timestamp(*t)
	return &s
}

// webhookTestAnswerOf tells the outcome of the test delivery id.
func webhookTestAnswerOf(id string, r attemptResult) webhookTestAnswer {
	a := webhookTestAnswer{
		Success:         r.ok(),
		DurationMS:      r.duration.Milliseconds(),
		ResponsePreview: firstChars(r.body, webhookTestPreviewChars),
		DeliveryID:      id,
		Message:         "Test webhook delivery failed",
	}
	if r.status != 0 {
		status := r.status
		a.Status = &status
	}
	if a.Success {
		a.Message = "Test webhook delivered successfully"
	}
	return a
}
