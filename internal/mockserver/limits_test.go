package mockserver

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLimitsDefaultPerDialect(t *testing.T) {
	for dialect, want := range map[string]string{
		DialectDocs: `{"requests_per_window": 0, "window_seconds": 0, "failed_auths": 0, "lockout_seconds": 0}`,
		DialectRBAC: `{"requests_per_window": 2000, "window_seconds": 60, "failed_auths": 20, "lockout_seconds": 900}`,
	} {
		t.Run(dialect, func(t *testing.T) {
			ts := NewTestServer(t, Options{Dialect: dialect})
			controlCall(t, ts, http.MethodGet, "/_mock/limits", nil).wantBody(t, want)
			if got := ts.Limits(); got != DefaultLimits(dialect) {
				t.Fatalf("limits %+v, want %+v", got, DefaultLimits(dialect))
			}
		})
	}
}

func TestControlSetLimitsTakesAnySubset(t *testing.T) {
	ts := rbacServer(t)
	controlCall(t, ts, http.MethodPut, "/_mock/limits", map[string]int{"requests_per_window": 5}).
		wantBody(t, `{"requests_per_window": 5, "window_seconds": 60, "failed_auths": 20, "lockout_seconds": 900}`)
	controlCall(t, ts, http.MethodPut, "/_mock/limits", map[string]int{"failed_auths": 0, "lockout_seconds": 30}).
		wantBody(t, `{"requests_per_window": 5, "window_seconds": 60, "failed_auths": 0, "lockout_seconds": 30}`)
	if got, want := ts.Limits(), (Limits{RequestsPerWindow: 5, WindowSeconds: 60, LockoutSeconds: 30}); got != want {
		t.Fatalf("limits %+v, want %+v", got, want)
	}

	for name, body := range map[string]any{
		"negative":      map[string]int{"window_seconds": -1},
		"unknown field": map[string]int{"requests_per_minute": 5},
		"not an object": rawBody("[]"),
		"not a number":  map[string]string{"failed_auths": "20"},
	} {
		t.Run(name, func(t *testing.T) {
			r := controlCall(t, ts, http.MethodPut, "/_mock/limits", body)
			if r.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400; body %s", r.status, r.body)
			}
		})
	}
	if got := ts.Limits(); got.RequestsPerWindow != 5 || got.WindowSeconds != 60 {
		t.Fatalf("refused bodies changed the limits: %+v", got)
	}
	r := controlCall(t, ts, http.MethodPost, "/_mock/limits", map[string]int{})
	if r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "GET, PUT" {
		t.Fatalf("POST: status %d, Allow %q", r.status, r.header.Get("Allow"))
	}
}

// limitedServer is a Server on a fake clock, called in process so that each
// request can come from a client IP of its own.
type limitedServer struct {
	t     *testing.T
	s     *Server
	clock *fakeClock
}

func newLimitedServer(t *testing.T, dialect string, limits *Limits) *limitedServer {
	t.Helper()
	clock := newFakeClock()
	s, err := New(Options{Dialect: dialect, Limits: limits, Clock: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &limitedServer{t: t, s: s, clock: clock}
}

// send answers one request from ip with key ("" for none).
func (l *limitedServer) send(ip, key, method, path string) *httptest.ResponseRecorder {
	req := httptest.NewRequestWithContext(context.Background(), method, path, nil)
	req.RemoteAddr = ip + ":50000"
	if key != "" {
		req.Header.Set("authorization", key)
	}
	rec := httptest.NewRecorder()
	l.s.ServeHTTP(rec, req)
	return rec
}

// want fails the test unless rec has this status and, for a 429, this
// Retry-After and the dialect's error.
func (l *limitedServer) want(rec *httptest.ResponseRecorder, status int, retryAfter string) {
	l.t.Helper()
	if rec.Code != status {
		l.t.Fatalf("status %d, want %d; body %s", rec.Code, status, rec.Body)
	}
	if got := rec.Header().Get("Retry-After"); got != retryAfter {
		l.t.Fatalf("Retry-After %q, want %q", got, retryAfter)
	}
	if status != http.StatusTooManyRequests {
		return
	}
	r := response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
	if _, rbac := l.s.dialect.(rbacDialect); rbac {
		r.wantCode(l.t, 429, "too_many_requests", map[string]any{})
	} else {
		r.wantError(l.t, 429, "Too many requests")
	}
}

const (
	ipA = "192.0.2.1"
	ipB = "192.0.2.2"
)

// TestRateLimitPerKey: the request that brings a key's count in its window
// to the limit is refused, with the seconds until the window ends; other
// keys are counted apart, and a new window starts afresh.
func TestRateLimitPerKey(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(dialect, func(t *testing.T) {
			l := newLimitedServer(t, dialect, &Limits{RequestsPerWindow: 3, WindowSeconds: 10})
			l.want(l.send(ipA, AdminAPIKey, http.MethodGet, orgsPath), 200, "")
			l.clock.Advance(time.Second)
			l.want(l.send(ipB, AdminAPIKey, http.MethodGet, orgsPath), 200, "")
			l.clock.Advance(time.Second)
			// The third of the window, from whichever IP, on whichever route.
			l.want(l.send(ipA, AdminAPIKey, http.MethodGet, membersPath+"?orgId=x"), 429, "8")
			l.clock.Advance(2500 * time.Millisecond)
			l.want(l.send(ipA, AdminAPIKey, http.MethodGet, orgsPath), 429, "6") // 5.5 s, rounded up
			l.want(l.send(ipA, DevAPIKey, http.MethodGet, orgsPath), 200, "")

			l.clock.Advance(5500 * time.Millisecond)
			l.want(l.send(ipA, AdminAPIKey, http.MethodGet, orgsPath), 200, "")
		})
	}
}

// TestRateLimitOfProduction: in rbac by default the 2000th request of a
// minute is refused, as Capgo's backend refuses it.
func TestRateLimitOfProduction(t *testing.T) {
	l := newLimitedServer(t, DialectRBAC, nil)
	for i := 1; i < 2000; i++ {
		if rec := l.send(ipA, AdminAPIKey, http.MethodGet, orgsPath); rec.Code != 200 {
			t.Fatalf("request %d: status %d %s", i, rec.Code, rec.Body)
		}
	}
	l.clock.Advance(59 * time.Second)
	l.want(l.send(ipA, AdminAPIKey, http.MethodGet, orgsPath), 429, "1")
	l.clock.Advance(time.Second)
	l.want(l.send(ipA, AdminAPIKey, http.MethodGet, orgsPath), 200, "")
}

// TestFailedAuthLockout: after 20 failed authentications an IP gets 429 on
// every route for 15 minutes, even with a valid key; other IPs do not.
func TestFailedAuthLockout(t *testing.T) {
	l := newLimitedServer(t, DialectRBAC, nil)
	// Requests without a key try nothing, and are not counted.
	for range 30 {
		l.want(l.send(ipA, "", http.MethodGet, orgsPath), 401, "")
	}
	for i := range 20 {
		// A wrong key, and a value taken for a session token, both count.
		key := "00000000-0000-4000-8000-00000000000" + strconv.Itoa(i%10)
		if i%2 == 1 {
			key = "not-a-key"
		}
		l.want(l.send(ipA, key, http.MethodPut, orgsPath), 401, "")
		l.clock.Advance(time.Second)
	}
	// The lockout started with the 20th failure, a second ago.
	l.want(l.send(ipA, AdminAPIKey, http.MethodGet, orgsPath), 429, "899")
	l.want(l.send(ipA, AdminAPIKey, http.MethodDelete, membersPath), 429, "899")
	l.want(l.send(ipA, "", http.MethodGet, orgsPath), 429, "899")
	// An unknown route is routed before the lockout applies.
	l.want(l.send(ipA, AdminAPIKey, http.MethodGet, "/nope"), 404, "")
	l.want(l.send(ipB, AdminAPIKey, http.MethodGet, orgsPath), 200, "")
	// The control API is not subject to it.
	if rec := l.send(ipA, "", http.MethodGet, "/_mock/health"); rec.Code != 200 {
		t.Fatalf("control API during a lockout: %d", rec.Code)
	}

	l.clock.Advance(898*time.Second + 500*time.Millisecond)
	l.want(l.send(ipA, AdminAPIKey, http.MethodGet, orgsPath), 429, "1")
	l.clock.Advance(500 * time.Millisecond)
	l.want(l.send(ipA, AdminAPIKey, http.MethodGet, orgsPath), 200, "")
	// Afterwards the count starts again from zero.
	l.want(l.send(ipA, "not-a-key", http.MethodGet, orgsPath), 401, "")
	l.want(l.send(ipA, AdminAPIKey, http.MethodGet, orgsPath), 200, "")
}

// TestFailedAuthsCountedInAWindow: failures further apart than the lockout's
// length do not add up.
func TestFailedAuthsCountedInAWindow(t *testing.T) {
	l := newLimitedServer(t, DialectDocs, &Limits{FailedAuths: 3, LockoutSeconds: 60})
	l.want(l.send(ipA, "wrong", http.MethodGet, orgsPath), 401, "")
	l.want(l.send(ipA, "wrong", http.MethodGet, orgsPath), 401, "")
	l.clock.Advance(time.Minute)
	l.want(l.send(ipA, "wrong", http.MethodGet, orgsPath), 401, "")
	l.want(l.send(ipA, AdminAPIKey, http.MethodGet, orgsPath), 200, "")
	l.want(l.send(ipA, "wrong", http.MethodGet, orgsPath), 401, "")
	l.want(l.send(ipA, "wrong", http.MethodGet, orgsPath), 401, "")
	l.want(l.send(ipA, AdminAPIKey, http.MethodGet, orgsPath), 429, "60")
}

// TestLimitsTurnedOff: 0 turns a limit off at once, a lockout under way
// included, and the docs dialect starts with both off.
func TestLimitsTurnedOff(t *testing.T) {
	l := newLimitedServer(t, DialectRBAC, &Limits{RequestsPerWindow: 2, WindowSeconds: 60, FailedAuths: 1, LockoutSeconds: 60})
	l.want(l.send(ipA, "wrong", http.MethodGet, orgsPath), 401, "")
	l.want(l.send(ipA, AdminAPIKey, http.MethodGet, orgsPath), 429, "60")
	l.want(l.send(ipB, AdminAPIKey, http.MethodGet, orgsPath), 200, "")
	l.want(l.send(ipB, AdminAPIKey, http.MethodGet, orgsPath), 429, "60")

	rec := l.send(ipA, "", http.MethodPut, "/_mock/limits")
	if rec.Code != 400 { // no body
		t.Fatalf("PUT without body: %d", rec.Code)
	}
	setLimits(t, l.s, `{"requests_per_window": 0, "failed_auths": 0}`)
	for range 5 {
		l.want(l.send(ipA, AdminAPIKey, http.MethodGet, orgsPath), 200, "")
		l.want(l.send(ipA, "wrong", http.MethodGet, orgsPath), 401, "")
	}

	docs := newLimitedServer(t, DialectDocs, nil)
	for range 50 {
		docs.want(docs.send(ipA, "wrong", http.MethodGet, orgsPath), 401, "")
	}
	docs.want(docs.send(ipA, AdminAPIKey, http.MethodGet, orgsPath), 200, "")
}

// setLimits sends PUT /_mock/limits to s in process.
func setLimits(t *testing.T, s *Server, body string) {
	t.Helper()
	rec := serveInProcess(t.Context(), s, http.MethodPut, "/_mock/limits", body)
	if rec.Code != http.StatusOK {
		t.Fatalf("PUT /_mock/limits %s: %d %s", body, rec.Code, rec.Body)
	}
}

// TestResetRestoresDialectLimits: a reset returns to the dialect's limits,
// whatever the server started with, and forgets every count and lockout.
func TestResetRestoresDialectLimits(t *testing.T) {
	l := newLimitedServer(t, DialectRBAC, &Limits{RequestsPerWindow: 1, WindowSeconds: 60, FailedAuths: 1, LockoutSeconds: 60})
	l.want(l.send(ipA, "wrong", http.MethodGet, orgsPath), 401, "")
	l.want(l.send(ipA, AdminAPIKey, http.MethodGet, orgsPath), 429, "60")

	if rec := serveInProcess(t.Context(), l.s, http.MethodPost, "/_mock/reset", ""); rec.Code != 200 {
		t.Fatalf("reset: %d %s", rec.Code, rec.Body)
	}
	l.want(l.send(ipA, AdminAPIKey, http.MethodGet, orgsPath), 200, "")
	rec := serveInProcess(t.Context(), l.s, http.MethodGet, "/_mock/limits", "")
	var got Limits
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got != productionLimits {
		t.Fatalf("limits after reset %s (%v), want the production ones", rec.Body, err)
	}
}

func TestNewRejectsNegativeLimits(t *testing.T) {
	_, err := New(Options{Limits: &Limits{LockoutSeconds: -5}})
	if err == nil || !strings.Contains(err.Error(), "lockout_seconds must not be negative") {
		t.Fatalf("error %v", err)
	}
}
