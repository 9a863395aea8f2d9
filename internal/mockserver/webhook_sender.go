package mockserver

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// The sending of deliveries (README.md 2.5 and 3.5). Each pending delivery
// has a goroutine of its own that makes its attempts and waits out the
// retry ladder between them. The store lock is held to prepare an attempt
// and to record its outcome, never during the HTTP call.

const (
	// deliveryTimeout bounds one attempt.
	deliveryTimeout = 20 * time.Second
	// deliveryBodyChars is how much of an answer a delivery keeps.
	deliveryBodyChars = 10000
	// deliveryReadLimit bounds what is read of an answer, in bytes.
	deliveryReadLimit = 4 * deliveryBodyChars
	// slowDownDelay is the shortest wait after 429, 502 or 504.
	slowDownDelay = 5 * time.Minute
)

// retryLadder is the wait after each failed attempt but the last.
var retryLadder = []time.Duration{
	5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour,
	10 * time.Hour, 14 * time.Hour, 20 * time.Hour, 24 * time.Hour,
}

// webhookSender holds what the goroutines of deliveries share. Fields
// marked so are guarded by the Server's mutex.
type webhookSender struct {
	transport *http.Transport
	client    *http.Client

	// settings are in force (guarded); initial are those given at start,
	// which a reset restores.
	settings, initial WebhookSettings
	// ctx ends the goroutines of one store (guarded): a reset cancels it
	// and starts another, Close cancels it for good.
	ctx    context.Context
	cancel context.CancelFunc
	closed bool // guarded
	wg     sync.WaitGroup
}

func newWebhookSender(settings WebhookSettings) *webhookSender {
	transport, _ := http.DefaultTransport.(*http.Transport)
	if transport == nil {
		transport = &http.Transport{}
	}
	transport = transport.Clone()
	ctx, cancel := context.WithCancel(context.Background())
	return &webhookSender{
		transport: transport,
		client: &http.Client{
			Transport: transport,
			// A redirect is an answer like any other: a 3xx is a failure.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		settings: settings,
		initial:  settings,
		ctx:      ctx,
		cancel:   cancel,
	}
}

// webhookAttempt is one attempt as prepared under the lock.
type webhookAttempt struct {
	dest   string // the webhook's URL, or the target of 3.5
	header http.Header
	body   []byte
	// problem is a URL rule the webhook's URL breaks: nothing is sent.
	problem string
}

// attemptResult is the outcome of an attempt.
type attemptResult struct {
	status     int    // 0 when no HTTP answer came
	body       string // the start of the answer, or "Error: …"
	duration   time.Duration
	retryAfter time.Duration
}

func (r attemptResult) ok() bool {
	return r.status >= 200 && r.status < 300
}

// startDelivery sends a pending delivery from a goroutine of its own. The
// store calls it, with s.mu held.
func (s *Server) startDelivery(d *delivery) {
	h := s.hooks
	if h.closed {
		return
	}
	h.wg.Add(1)
	go s.runDelivery(h.ctx, d)
}

// runDelivery makes the attempts of a delivery until one succeeds, the
// delivery fails for good, or ctx ends.
func (s *Server) runDelivery(ctx context.Context, d *delivery) {
	defer s.hooks.wg.Done()
	for {
		a, ok := s.prepareAttempt(ctx, d, false)
		if !ok {
			return
		}
		wait, again := s.settleAttempt(ctx, d, s.send(ctx, a))
		if !again {
			return
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
	}
}

// prepareAttempt builds the next attempt of d, to the webhook's URL as it is
// now. It reports false when there is none to make: the delivery is gone
// (its webhook deleted, the mock reset) or no longer pending. A webhook
// turned off while a delivery waited fails it without an attempt; a ping
// goes to a disabled webhook all the same.
func (s *Server) prepareAttempt(ctx context.Context, d *delivery, ping bool) (webhookAttempt, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ctx.Err() != nil || s.store.deliveries[d.id] != d || d.status != deliveryPending {
		return webhookAttempt{}, false
	}
	w := s.store.webhook(d.webhookID)
	if w == nil {
		return webhookAttempt{}, false
	}
	if !w.enabled && !ping {
		now := s.clock()
		msg := "Error: Webhook is disabled"
		d.status, d.completedAt, d.nextRetryAt, d.responseBody = deliveryFailed, &now, nil, &msg
		return webhookAttempt{}, false
	}
	a := webhookAttempt{dest: w.url, body: d.body, header: deliveryHeader(d, w.secret, s.clock().Unix())}
	if u, ok := parseWebhookURL(w.url); !ok {
		a.problem = "Webhook URL is invalid"
	} else {
		a.problem = webhookURLProblem(u)
	}
	if target := s.hooks.settings.Target; target != "" {
		a.dest = target
		a.header[webhookTargetHeader] = []string{w.url}
	}
	return a, true
}

// send makes the HTTP call of an attempt, without the lock.
func (s *Server) send(ctx context.Context, a webhookAttempt) attemptResult {
	if a.problem != "" {
		return attemptResult{body: "Error: " + a.problem}
	}
	ctx, cancel := context.WithTimeout(ctx, deliveryTimeout)
	defer cancel()
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.dest, bytes.NewReader(a.body))
	if err != nil {
		return attemptResult{body: "Error: Webhook delivery failed"}
	}
	req.Header = a.header
	resp, err := s.hooks.client.Do(req)
	if err != nil {
		r := attemptResult{body: "Error: Webhook delivery failed", duration: time.Since(start)}
		if errors.Is(err, context.DeadlineExceeded) {
			r.body = "Error: Webhook delivery timed out"
		}
		return r
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, deliveryReadLimit))
	return attemptResult{
		status:     resp.StatusCode,
		body:       firstChars(string(data), deliveryBodyChars),
		duration:   time.Since(start),
		retryAfter: parseRetryAfter(resp.Header.Get("Retry-After")),
	}
}

// settleAttempt records the outcome of an attempt and tells how long to
// wait before the next one, if any. A 410, or the last attempt failing,
// fails the delivery and turns its webhook off.
func (s *Server) settleAttempt(ctx context.Context, d *delivery, r attemptResult) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ctx.Err() != nil || s.store.deliveries[d.id] != d {
		return 0, false
	}
	now := s.recordAttempt(d, r)
	if r.ok() {
		return 0, false
	}
	if r.status == http.StatusGone || d.attemptCount >= deliveryMaxAttempts {
		d.status, d.completedAt = deliveryFailed, &now
		s.store.turnOff(s.store.webhook(d.webhookID))
		return 0, false
	}
	wait := scaleDelay(retryDelay(d.attemptCount, r.status, r.retryAfter), s.hooks.settings.RetryScale)
	next := now.Add(wait)
	d.nextRetryAt = &next
	return wait, true
}

// recordAttempt counts an attempt and keeps what it answered; a success
// completes the delivery. It returns the time of the record.
func (s *Server) recordAttempt(d *delivery, r attemptResult) time.Time {
	now := s.clock()
	d.attemptCount++
	d.responseStatus, d.responseBody, d.nextRetryAt = nil, &r.body, nil
	if r.status != 0 {
		status := r.status
		d.responseStatus = &status
	}
	ms := r.duration.Milliseconds()
	d.durationMS = &ms
	s.stats.WebhookDeliveries++
	if r.ok() {
		d.status, d.completedAt = deliverySuccess, &now
	} else {
		s.stats.WebhookFailures++
	}
	return now
}

// ping makes the one attempt of a test delivery, which the route has
// recorded as pending, and answers POST /webhooks/test with its outcome.
// It runs without the lock, which it takes only around the attempt.
func (s *Server) ping(d *delivery) *apiResponse {
	s.mu.Lock()
	ctx := s.hooks.ctx
	s.mu.Unlock()
	a, ok := s.prepareAttempt(ctx, d, true)
	if !ok {
		// The mock was reset, or the webhook deleted, in the meantime.
		return rbacWebhookNotFound(d.webhookID)
	}
	r := s.send(ctx, a)
	s.mu.Lock()
	if ctx.Err() == nil && s.store.deliveries[d.id] == d {
		now := s.recordAttempt(d, r)
		if !r.ok() {
			d.status, d.completedAt = deliveryFailed, &now
		}
	}
	s.mu.Unlock()
	return okResponse(webhookTestAnswerOf(d.id, r))
}

// resetWebhooks ends the deliveries under way and restores the settings
// given at start. The caller holds s.mu.
func (s *Server) resetWebhooks() {
	h := s.hooks
	h.cancel()
	h.ctx, h.cancel = context.WithCancel(context.Background())
	h.settings = h.initial
}

// Close stops the deliveries of webhooks: attempts under way are cut off,
// retries are dropped, and no delivery starts afterwards. It returns once
// every goroutine of the mock has ended. The Server still answers requests;
// calling Close again does nothing more.
func (s *Server) Close() {
	s.mu.Lock()
	s.hooks.closed = true
	s.hooks.cancel()
	s.mu.Unlock()
	s.hooks.wg.Wait()
	s.hooks.transport.CloseIdleConnections()
}

// retryDelay is the wait after failed attempt n (from 1) that answered
// status (0 for none) with Retry-After retryAfter (0 for none): the step of
// the ladder, at least 5 minutes after 429, 502 and 504, and longer when
// Retry-After asks, up to the ladder's longest step.
func retryDelay(n, status int, retryAfter time.Duration) time.Duration {
	wait := retryLadder[min(max(n, 1), len(retryLadder))-1]
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusGatewayTimeout:
		wait = max(wait, slowDownDelay)
	}
	return max(wait, min(retryAfter, retryLadder[len(retryLadder)-1]))
}

// scaleDelay multiplies a delay by the retry scale of 3.5.
func scaleDelay(d time.Duration, scale float64) time.Duration {
	return time.Duration(float64(d) * scale)
}

// parseRetryAfter reads a Retry-After header, in seconds or as an HTTP
// date; 0 when absent or unreadable.
func parseRetryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil && secs > 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

// firstChars is s cut to n characters.
func firstChars(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// validWebhookTarget checks the target of 3.5: "" for none, else an
// absolute http or https URL. The rules of 2.5 do not apply to it, since
// it stands in for a receiver on this machine.
func validWebhookTarget(target string) bool {
	if target == "" {
		return true
	}
	u, err := url.Parse(target)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
