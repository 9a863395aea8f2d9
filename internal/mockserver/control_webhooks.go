package mockserver

import (
	"errors"
	"net/http"
)

// WebhookSettings are how the mock delivers webhooks (README.md, 3.5), as
// GET and PUT /_mock/webhooks answer them.
type WebhookSettings struct {
	// Target, when set, receives every delivery in place of the webhook's
	// own URL, which comes along in the header X-Mock-Webhook-URL.
	Target string `json:"target"`
	// RetryScale multiplies every retry delay: 0.001 turns 5 minutes into
	// 0.3 seconds.
	RetryScale float64 `json:"retry_scale"`
}

// WebhookSettingsUpdate is the body of PUT /_mock/webhooks: the settings
// it names change, the others stay. A Target of "" sends deliveries to the
// webhooks' own URLs again.
type WebhookSettingsUpdate struct {
	Target     *string  `json:"target,omitempty"`
	RetryScale *float64 `json:"retry_scale,omitempty"`
}

// defaultRetryScale leaves the retry delays as Capgo's.
const defaultRetryScale = 1

// webhookSettingsOf reads the settings of Options: a zero scale is the
// default one.
func webhookSettingsOf(opts Options) (WebhookSettings, error) {
	s := WebhookSettings{Target: opts.WebhookTarget, RetryScale: opts.WebhookRetryScale}
	if s.RetryScale == 0 {
		s.RetryScale = defaultRetryScale
	}
	return s, s.validate()
}

// validate refuses a target that is not an absolute http(s) URL and a
// scale that is not positive.
func (s WebhookSettings) validate() error {
	if !validWebhookTarget(s.Target) {
		return errors.New("webhook target must be an absolute http or https URL")
	}
	if !(s.RetryScale > 0) {
		return errors.New("webhook retry scale must be greater than 0")
	}
	return nil
}

// apply returns s with the settings u names.
func (u WebhookSettingsUpdate) apply(s WebhookSettings) WebhookSettings {
	if u.Target != nil {
		s.Target = *u.Target
	}
	if u.RetryScale != nil {
		s.RetryScale = *u.RetryScale
	}
	return s
}

// controlWebhooks answers the settings in force.
func (s *Server) controlWebhooks(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	settings := s.hooks.settings
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, settings)
}

// controlSetWebhooks changes the settings a body names and answers those
// now in force. Deliveries waiting for a retry keep the wait they were
// given; the next ones take the new scale, and every attempt from now on
// goes to the new target.
func (s *Server) controlSetWebhooks(w http.ResponseWriter, r *http.Request) {
	var in WebhookSettingsUpdate
	if !decodeControlBody(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	settings := in.apply(s.hooks.settings)
	if err := settings.validate(); err != nil {
		writeJSON(w, http.StatusBadRequest, controlError{err.Error()})
		return
	}
	s.hooks.settings = settings
	writeJSON(w, http.StatusOK, settings)
}
