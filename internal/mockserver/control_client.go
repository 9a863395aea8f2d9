package mockserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// ControlClient calls the control API of a running mock (README.md, 3.2):
// the one client of it that tests, scripts and the benchmark share. Each
// method is one control call and takes the caller's context.
type ControlClient struct {
	baseURL string
	http    *http.Client
}

// NewControlClient returns a client of the mock at baseURL, as the mock
// prints it on start ("http://127.0.0.1:8787"). httpClient may be nil for
// http.DefaultClient; deadlines come from the contexts of the calls.
func NewControlClient(baseURL string, httpClient *http.Client) *ControlClient {
	if httpClient == nil {
		httpClient = http.DefaultClient
	}
	return &ControlClient{baseURL: strings.TrimRight(baseURL, "/"), http: httpClient}
}

// ControlError is a control call the mock answered with another status than
// 200. Body is the mock's answer as sent, {"error": "<message>"} for the
// mock's own refusals.
type ControlError struct {
	Method, Path string
	StatusCode   int
	Body         string
}

func (e *ControlError) Error() string {
	return fmt.Sprintf("mock control API %s %s: %d %s: %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode), e.Body)
}

// Health checks that the mock answers.
func (c *ControlClient) Health(ctx context.Context) error {
	return c.call(ctx, http.MethodGet, controlHealthPath, nil, nil)
}

// CreateUser creates an account with a fresh API key.
func (c *ControlClient) CreateUser(ctx context.Context, email string) (User, error) {
	var u User
	err := c.call(ctx, http.MethodPost, controlUsersPath, createUserRequest{Email: email}, &u)
	return u, err
}

// AcceptInvitation makes email accept its pending invitation to orgID, as the
// invitee would in the Capgo console. With no such invitation the mock
// answers 404.
func (c *ControlClient) AcceptInvitation(ctx context.Context, orgID, email string) error {
	return c.call(ctx, http.MethodPost, controlAcceptInvitationPath, acceptInvitationRequest{OrgID: orgID, Email: email}, nil)
}

// SetFaults installs a fault profile; the zero Faults turns every fault off.
func (c *ControlClient) SetFaults(ctx context.Context, f Faults) error {
	return c.call(ctx, http.MethodPut, controlFaultsPath, f, nil)
}

// Limits returns the rate limits in force.
func (c *ControlClient) Limits(ctx context.Context) (Limits, error) {
	var l Limits
	err := c.call(ctx, http.MethodGet, controlLimitsPath, nil, &l)
	return l, err
}

// SetLimits sets all four rate limits; the zero Limits turns both limits
// off. The counts so far are kept.
func (c *ControlClient) SetLimits(ctx context.Context, l Limits) error {
	return c.call(ctx, http.MethodPut, controlLimitsPath, l, nil)
}

// WebhookSettings returns how the mock delivers webhooks (README.md, 3.5).
func (c *ControlClient) WebhookSettings(ctx context.Context) (WebhookSettings, error) {
	var s WebhookSettings
	err := c.call(ctx, http.MethodGet, controlWebhooksPath, nil, &s)
	return s, err
}

// SetWebhookSettings changes the settings u names and returns those now in
// force.
func (c *ControlClient) SetWebhookSettings(ctx context.Context, u WebhookSettingsUpdate) (WebhookSettings, error) {
	var s WebhookSettings
	err := c.call(ctx, http.MethodPut, controlWebhooksPath, u, &s)
	return s, err
}

// SetWebhookTarget sends every delivery to target, "" to the webhooks' own
// URLs again.
func (c *ControlClient) SetWebhookTarget(ctx context.Context, target string) error {
	_, err := c.SetWebhookSettings(ctx, WebhookSettingsUpdate{Target: &target})
	return err
}

// SetWebhookRetryScale multiplies every retry delay by scale, which must be
// greater than 0.
func (c *ControlClient) SetWebhookRetryScale(ctx context.Context, scale float64) error {
	_, err := c.SetWebhookSettings(ctx, WebhookSettingsUpdate{RetryScale: &scale})
	return err
}

// Stats returns the counters of public API requests since start or reset.
func (c *ControlClient) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	err := c.call(ctx, http.MethodGet, controlStatsPath, nil, &s)
	return s, err
}

// State returns the whole state of the mock. An organization has the fields
// of both dialects; those of the other dialect stay empty.
func (c *ControlClient) State(ctx context.Context) (State, error) {
	var s State
	err := c.call(ctx, http.MethodGet, controlStatePath, nil, &s)
	return s, err
}

// StateJSON returns the state as the mock sends it, for showing it to a
// person: decoding it into State, and encoding that again, would add the
// fields of the other dialect.
func (c *ControlClient) StateJSON(ctx context.Context) (json.RawMessage, error) {
	var raw json.RawMessage
	err := c.call(ctx, http.MethodGet, controlStatePath, nil, &raw)
	return raw, err
}

// Reset returns the mock to its seed, without webhooks or deliveries, zeroes
// the counters, turns faults off and restores the dialect's rate limits and
// the webhook settings given at start.
func (c *ControlClient) Reset(ctx context.Context) error {
	return c.call(ctx, http.MethodPost, controlResetPath, nil, nil)
}

// call sends one control request, in as its JSON body when not nil, and
// decodes a 200 answer into out when not nil. Any other status is a
// *ControlError.
func (c *ControlClient) call(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("mock control API %s %s: encoding the request: %w", method, path, err)
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.baseURL+path, body)
	if err != nil {
		return fmt.Errorf("mock control API %s %s: %w", method, path, err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("mock control API %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("mock control API %s %s: reading the answer: %w", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return &ControlError{Method: method, Path: path, StatusCode: resp.StatusCode, Body: string(bytes.TrimSpace(data))}
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("mock control API %s %s: decoding the answer: %w", method, path, err)
		}
	}
	return nil
}
