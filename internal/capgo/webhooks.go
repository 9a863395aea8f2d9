package capgo

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
)

// Organization webhooks: Capgo posts a signed event to each of an organization's webhooks when a
// row of a table the webhook subscribes to changes. Only the production API has them; requests
// name fields in camelCase and answers in snake_case.

const (
	webhooksRoute          = "/webhooks"
	webhookTestRoute       = "/webhooks/test"
	webhookDeliveriesRoute = "/webhooks/deliveries"
	// webhooksPerPage is how many webhooks a page of the list holds; a shorter page is the last.
	webhooksPerPage = 50
)

// WebhookEvents are the tables a webhook may subscribe to.
var WebhookEvents = []string{"app_versions", "apps", "channels", "org_users", "orgs"}

// Webhook delivery versions: the signature scheme of the deliveries.
const (
	WebhookDeliveryLegacy   = "legacy"
	WebhookDeliveryStandard = "standard"
)

// ErrNoWebhooks is the error of a webhook call to a server without webhooks.
var ErrNoWebhooks = errors.New("this Capgo server has no organization webhooks (Capgo's documented API)")

// Webhook is an organization's webhook. Secret is set only in the answer to its creation: Capgo
// never shows it again.
type Webhook struct {
	ID              string        `json:"id"`
	OrganizationID  string        `json:"org_id"`
	Name            string        `json:"name"`
	URL             string        `json:"url"`
	Enabled         bool          `json:"enabled"`
	Events          []string      `json:"events"`
	DeliveryVersion string        `json:"delivery_version"`
	CreatedAt       string        `json:"created_at"`
	UpdatedAt       string        `json:"updated_at"`
	CreatedBy       string        `json:"created_by"`
	Secret          string        `json:"secret"`
	Stats24h        *WebhookStats `json:"stats_24h"`
}

// WebhookStats counts a webhook's deliveries of the last 24 hours.
type WebhookStats struct {
	Success int `json:"success"`
	Failed  int `json:"failed"`
	Pending int `json:"pending"`
}

// CreateWebhookRequest is the input of CreateWebhook. Enabled nil and DeliveryVersion "" leave
// Capgo's defaults (enabled, legacy).
type CreateWebhookRequest struct {
	OrganizationID  string   `json:"orgId"`
	Name            string   `json:"name"`
	URL             string   `json:"url"`
	Events          []string `json:"events"`
	Enabled         *bool    `json:"enabled,omitempty"`
	DeliveryVersion string   `json:"deliveryVersion,omitempty"`
}

// UpdateWebhookRequest is the input of UpdateWebhook: only the fields set are sent, and Events
// replaces the whole list.
type UpdateWebhookRequest struct {
	OrganizationID  string   `json:"orgId"`
	WebhookID       string   `json:"webhookId"`
	Name            *string  `json:"name,omitempty"`
	URL             *string  `json:"url,omitempty"`
	Events          []string `json:"events,omitempty"`
	Enabled         *bool    `json:"enabled,omitempty"`
	DeliveryVersion *string  `json:"deliveryVersion,omitempty"`
}

// WebhookTestResult is what a test delivery met. Status is nil when no HTTP answer came.
type WebhookTestResult struct {
	Success         bool   `json:"success"`
	Status          *int   `json:"status"`
	DurationMS      int    `json:"duration_ms"`
	ResponsePreview string `json:"response_preview"`
	DeliveryID      string `json:"delivery_id"`
	Message         string `json:"message"`
}

// WebhookDelivery is one delivery of an event to a webhook.
type WebhookDelivery struct {
	ID             string `json:"id"`
	EventType      string `json:"event_type"`
	Status         string `json:"status"` // pending, success or failed
	ResponseStatus *int   `json:"response_status"`
	ResponseBody   string `json:"response_body"`
	AttemptCount   int    `json:"attempt_count"`
	CreatedAt      string `json:"created_at"`
	CompletedAt    string `json:"completed_at"`
}

// webhooks refuses a call to a server known to have no webhooks, before anything is sent.
func (c *Client) webhooks() error {
	if can := c.Capabilities(); can.Known && !can.Webhooks {
		return ErrNoWebhooks
	}
	return nil
}

// ListWebhooks returns every webhook of the organization, newest first, reading the pages of 50.
func (c *Client) ListWebhooks(ctx context.Context, organizationID string) ([]Webhook, error) {
	if err := c.webhooks(); err != nil {
		return nil, err
	}
	var all []Webhook
	for page := 0; ; page++ {
		body, err := c.do(ctx, call{method: http.MethodGet, route: webhooksRoute,
			query: url.Values{"orgId": {organizationID}, "page": {strconv.Itoa(page)}}})
		if err != nil {
			return nil, err
		}
		hooks, err := decodeList[Webhook](body)
		if err != nil {
			return nil, decodeError(http.MethodGet, webhooksRoute, err)
		}
		all = append(all, hooks...)
		if len(hooks) < webhooksPerPage {
			return all, nil
		}
	}
}

// GetWebhook returns one webhook with its deliveries of the last 24 hours.
func (c *Client) GetWebhook(ctx context.Context, organizationID, webhookID string) (*Webhook, error) {
	if err := c.webhooks(); err != nil {
		return nil, err
	}
	body, err := c.do(ctx, call{method: http.MethodGet, route: webhooksRoute,
		query: url.Values{"orgId": {organizationID}, "webhookId": {webhookID}}})
	if err != nil {
		return nil, err
	}
	var hook Webhook
	if err := json.Unmarshal(body, &hook); err != nil || hook.ID == "" {
		return nil, decodeError(http.MethodGet, webhooksRoute, errors.Join(err, errors.New("no webhook in the answer")))
	}
	return &hook, nil
}

// webhookAnswer is the answer to a creation or an update.
type webhookAnswer struct {
	Webhook *Webhook `json:"webhook"`
}

// CreateWebhook creates a webhook and returns it with its secret, which Capgo shows only now. A
// lost answer loses the secret with it: the caller cannot confirm such a creation by reading back.
func (c *Client) CreateWebhook(ctx context.Context, req CreateWebhookRequest) (*Webhook, error) {
	if err := c.webhooks(); err != nil {
		return nil, err
	}
	return c.writeWebhook(ctx, http.MethodPost, req)
}

// UpdateWebhook changes the fields req sets, and returns the webhook as Capgo then holds it.
func (c *Client) UpdateWebhook(ctx context.Context, req UpdateWebhookRequest) (*Webhook, error) {
	if err := c.webhooks(); err != nil {
		return nil, err
	}
	return c.writeWebhook(ctx, http.MethodPut, req)
}

func (c *Client) writeWebhook(ctx context.Context, method string, req any) (*Webhook, error) {
	body, err := c.do(ctx, call{method: method, route: webhooksRoute, body: req})
	if err != nil {
		return nil, err
	}
	var answer webhookAnswer
	if err := json.Unmarshal(body, &answer); err != nil || answer.Webhook == nil || answer.Webhook.ID == "" {
		return nil, decodeError(method, webhooksRoute, errors.Join(err, errors.New("no webhook in the answer")))
	}
	return answer.Webhook, nil
}

// DeleteWebhook deletes a webhook and its deliveries. One already gone is KindNotFound.
func (c *Client) DeleteWebhook(ctx context.Context, organizationID, webhookID string) error {
	if err := c.webhooks(); err != nil {
		return err
	}
	_, err := c.do(ctx, call{method: http.MethodDelete, route: webhooksRoute,
		body: map[string]string{"orgId": organizationID, "webhookId": webhookID}})
	return err
}

// TestWebhook has Capgo deliver a test.ping event to the webhook now, once, and reports what the
// receiver answered. The call succeeds whenever Capgo made the attempt, whatever the receiver said.
func (c *Client) TestWebhook(ctx context.Context, organizationID, webhookID string) (*WebhookTestResult, error) {
	if err := c.webhooks(); err != nil {
		return nil, err
	}
	body, err := c.do(ctx, call{method: http.MethodPost, route: webhookTestRoute,
		body: map[string]string{"orgId": organizationID, "webhookId": webhookID}})
	if err != nil {
		return nil, err
	}
	var result WebhookTestResult
	if err := json.Unmarshal(body, &result); err != nil {
		return nil, decodeError(http.MethodPost, webhookTestRoute, err)
	}
	return &result, nil
}

// RecentWebhookDeliveries returns the first page of a webhook's deliveries, newest first.
func (c *Client) RecentWebhookDeliveries(ctx context.Context, organizationID, webhookID string) ([]WebhookDelivery, error) {
	if err := c.webhooks(); err != nil {
		return nil, err
	}
	body, err := c.do(ctx, call{method: http.MethodGet, route: webhookDeliveriesRoute,
		query: url.Values{"orgId": {organizationID}, "webhookId": {webhookID}}})
	if err != nil {
		return nil, err
	}
	var answer struct {
		Deliveries []WebhookDelivery `json:"deliveries"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return nil, decodeError(http.MethodGet, webhookDeliveriesRoute, err)
	}
	return answer.Deliveries, nil
}
