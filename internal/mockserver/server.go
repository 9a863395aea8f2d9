package mockserver

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxBodyBytes bounds the body of a public API request; a larger body is
// answered as an invalid body. The API's bodies are a few hundred bytes.
const maxBodyBytes = 1 << 20

// Options configure a Server.
type Options struct {
	// Dialect is DialectDocs (the default when empty) or DialectRBAC.
	Dialect string
	// Seed is the starting state; nil means DefaultSeedFor(Dialect).
	Seed *Seed
	// Limits are the rate limits at start; nil means DefaultLimits(Dialect).
	// A reset returns to DefaultLimits(Dialect) whatever they were.
	Limits *Limits
	// Clock tells the time of timestamps, rate-limit windows and lockouts;
	// nil means the system clock. Tests pass a clock of their own to move
	// through windows without waiting for them. Webhook retries wait real
	// time (see WebhookRetryScale); their next_retry_at comes from Clock.
	Clock func() time.Time
	// WebhookTarget, when set, receives every webhook delivery in place of
	// the webhook's own URL, which comes along in the header
	// X-Mock-Webhook-URL (README.md, 3.5). It is an absolute http or https
	// URL, such as an httptest.Server's.
	WebhookTarget string
	// WebhookRetryScale multiplies every retry delay of webhook deliveries;
	// 0 means 1, Capgo's delays. A reset returns to these two settings.
	WebhookRetryScale float64
}

// Server is the mock Capgo API. It is an http.Handler, safe for concurrent
// requests.
type Server struct {
	dialect dialect
	routes  map[string]handlerFunc // the dialect's, built once
	seed    *Seed
	clock   func() time.Time

	// mu guards everything below. One lock is enough: every request does a
	// handful of map operations while holding it and never waits on I/O.
	mu      sync.Mutex
	store   *store
	faults  faultInjector
	limiter *rateLimiter
	stats   Stats
	// hooks sends webhook deliveries; its fields say which mu guards.
	hooks *webhookSender
}

// New returns a Server in the state of opts.Seed.
func New(opts Options) (*Server, error) {
	d, err := newDialect(opts.Dialect)
	if err != nil {
		return nil, err
	}
	seed := opts.Seed
	if seed == nil {
		seed = DefaultSeedFor(opts.Dialect)
	}
	seed = seed.clone()
	clock := opts.Clock
	if clock == nil {
		clock = systemClock
	}
	st, err := seed.build(d, clock)
	if err != nil {
		return nil, err
	}
	limits := d.defaultLimits()
	if opts.Limits != nil {
		if err := opts.Limits.validate(); err != nil {
			return nil, err
		}
		limits = *opts.Limits
	}
	hooks, err := webhookSettingsOf(opts)
	if err != nil {
		return nil, err
	}
	s := &Server{dialect: d, routes: routesOf(d), seed: seed, clock: clock, limiter: newRateLimiter(limits), hooks: newWebhookSender(hooks)}
	s.useStore(st)
	s.resetCountersAndFaults()
	return s, nil
}

// useStore makes st the state, its new deliveries sent by s. The caller
// holds s.mu or has the Server to itself.
func (s *Server) useStore(st *store) {
	st.deliver = s.startDelivery
	s.store = st
}

// systemClock is the time of a Server given no clock, in UTC as the API
// answers it.
func systemClock() time.Time {
	return time.Now().UTC()
}

// ServeHTTP answers the control API under /_mock/ and the public API
// everywhere else.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_mock" || strings.HasPrefix(r.URL.Path, "/_mock/") {
		s.serveControl(w, r)
		return
	}
	s.serveAPI(w, r)
}

// serveAPI answers a public API request: it counts it, applies the fault
// profile and lets the dialect carry it out.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	route := strings.TrimSuffix(r.URL.Path, "/")
	req := &apiRequest{
		method:   r.Method,
		route:    route,
		query:    r.URL.Query(),
		header:   r.Header,
		clientIP: clientIP(r),
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		req.bodyUnreadable = true
	}
	req.body = body

	s.mu.Lock()
	s.stats.RequestsTotal++
	s.stats.ByRoute[r.Method+" "+route+"/"]++
	plan := s.faults.plan()
	if plan.status != 0 || plan.lose {
		s.stats.FaultsInjected++
	}
	s.mu.Unlock()

	if plan.latency > 0 {
		timer := time.NewTimer(plan.latency)
		select {
		case <-timer.C:
		case <-r.Context().Done():
			// The client gave up: like a server that notices, do nothing.
			timer.Stop()
			return
		}
	}

	if plan.status != 0 {
		resp := s.dialect.errorResponse(plan.status)
		if plan.status == http.StatusTooManyRequests {
			resp.header = http.Header{"Retry-After": {strconv.Itoa(plan.retryAfter)}}
		}
		writeResponse(w, resp)
		return
	}

	resp := s.execute(req)
	if plan.lose {
		dropConnection(w)
		return
	}
	writeResponse(w, resp)
}

// execute runs a request through the dialect, then makes the test delivery
// the route asks for, if any, with the store unlocked.
func (s *Server) execute(req *apiRequest) *apiResponse {
	resp := s.executeLocked(req)
	if resp.ping != nil {
		return s.ping(resp.ping)
	}
	return resp
}

// executeLocked runs a request through the dialect with the store locked.
// Should a dialect fail unexpectedly, the client gets the dialect's 500
// rather than a dropped connection, and the lock is released all the same.
func (s *Server) executeLocked(req *apiRequest) (resp *apiResponse) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() {
		if v := recover(); v != nil {
			log.Printf("capgo-mock: internal error on %s %s: %v", req.method, req.route, v)
			resp = s.dialect.errorResponse(http.StatusInternalServerError)
		}
	}()
	return s.dispatch(req)
}

// dropConnection closes the connection without an answer, as a network
// failure after the server committed a change looks to a client.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// HTTP/2 connections cannot be hijacked; aborting the handler resets
		// the stream instead, which a client sees the same way.
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// resetCountersAndFaults zeroes the statistics and turns faults off. The
// caller holds s.mu or has the Server to itself.
func (s *Server) resetCountersAndFaults() {
	s.stats = Stats{ByRoute: make(map[string]int64)}
	s.faults.set(Faults{})
}

func writeResponse(w http.ResponseWriter, resp *apiResponse) {
	for k, v := range resp.header {
		w.Header()[k] = v
	}
	writeJSON(w, resp.status, resp.body)
}

// writeJSON writes body as JSON. Encoding the mock's own types cannot fail;
// should it ever, the client gets a bare 500.
func writeJSON(w http.ResponseWriter, status int, body any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(body); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
