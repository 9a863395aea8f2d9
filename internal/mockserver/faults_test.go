package mockserver

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

func TestInjectedErrors(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		message    string // docs
		code       string // rbac
		retryAfter string
	}{
		{"rate limited", 429, "Too many requests", "too_many_requests", "7"},
		{"internal error", 500, "Internal server error", "unknown_error", ""},
		{"bad gateway", 502, "Bad Gateway", "unknown_error", ""},
		{"unavailable", 503, "Service Unavailable", "unknown_error", ""},
		{"forbidden", 403, "Forbidden", "forbidden", ""},
	}
	for _, tt := range tests {
		inEachDialect(t, tt.name, func(t *testing.T, ts *TestServer, admin *apiClient, id string) {
			ts.SetFaults(Faults{ErrorRate: 1, ErrorStatuses: []int{tt.status}, RetryAfterSeconds: 7})
			want := func(r response) {
				t.Helper()
				if admin.rbac {
					r.wantCode(t, tt.status, tt.code, map[string]any{})
				} else {
					r.wantError(t, tt.status, tt.message)
				}
			}

			// Nothing is carried out: neither the creation nor the invitation.
			r := admin.do(http.MethodPost, "/organization/", map[string]string{"name": "Lost"})
			want(r)
			if got := r.header.Get("Retry-After"); got != tt.retryAfter {
				t.Fatalf("Retry-After %q, want %q", got, tt.retryAfter)
			}
			// A body both dialects would carry out: each ignores the other's
			// field.
			want(admin.do(http.MethodPost, "/organization/members/", map[string]string{"orgId": id, "email": DevEmail, "role": "read", "invite_type": "read"}))
			// Faults come before authentication, as a rate limiter in front would.
			want(newClient(t, ts, "").do(http.MethodGet, "/organization/", nil))

			// The control API is not subject to faults: these helpers would fail.
			if orgs := madeOrganizations(ts.State()); len(orgs) != 1 || len(orgs[0].Members) != 1 {
				t.Fatalf("state changed by failed requests: %+v", orgs)
			}
			if s := ts.Stats(); s.RequestsTotal != 4 || s.FaultsInjected != 3 {
				t.Fatalf("stats %+v, want 4 requests and 3 faults", s)
			}
			ts.ClearFaults()
			admin.do(http.MethodGet, "/organization/?orgId="+id, nil).wantOK(t)
		})
	}
}

func TestEmptyErrorStatusesMeans500(t *testing.T) {
	ts := NewTestServer(t, Options{})
	ts.SetFaults(Faults{ErrorRate: 1})
	newClient(t, ts, AdminAPIKey).do(http.MethodGet, "/organization", nil).wantError(t, 500, "Internal server error")
}

func TestLostResponseIsCarriedOut(t *testing.T) {
	inEachDialect(t, "lost", func(t *testing.T, ts *TestServer, admin *apiClient, id string) {
		ts.SetFaults(Faults{LostResponseRate: 1})
		for _, req := range []struct {
			method, path string
			body         any
		}{
			{http.MethodPost, "/organization/", map[string]string{"name": "Committed"}},
			{http.MethodPost, "/organization/members/", map[string]string{"orgId": id, "email": DevEmail, "role": "write", "invite_type": "write"}},
		} {
			if r, err := admin.try(req.method, req.path, req.body); err == nil {
				t.Fatalf("%s %s: got an answer (%d %s), want a transport error", req.method, req.path, r.status, r.body)
			}
		}

		orgs := madeOrganizations(ts.State())
		if len(orgs) != 2 || orgs[1].Name != "Committed" {
			t.Fatalf("organizations %+v, want the lost creation committed", orgs)
		}
		wantRole := "write"
		if admin.rbac {
			wantRole = "org_member"
		}
		if m := orgs[0].Members; len(m) != 2 || m[1].Email != DevEmail || m[1].Role != wantRole || !m[1].Pending {
			t.Fatalf("members %+v, want the lost invitation committed", m)
		}
		if s := ts.Stats(); s.FaultsInjected != 2 {
			t.Fatalf("stats %+v, want 2 faults", s)
		}
		ts.ClearFaults()
		if n := len(admin.members(id)); n != 2 {
			t.Fatalf("%d members, want 2", n)
		}
	})
}

func TestFaultSequenceFollowsSeed(t *testing.T) {
	ts := NewTestServer(t, Options{})
	admin := newClient(t, ts, AdminAPIKey)
	sequence := func(seed int64) string {
		t.Helper()
		ts.SetFaults(Faults{ErrorRate: 0.5, ErrorStatuses: []int{500, 502, 503, 429}, Seed: seed})
		var b strings.Builder
		for range 40 {
			r := admin.do(http.MethodGet, "/organization/", nil)
			b.WriteString(strconv.Itoa(r.status) + " ")
		}
		return b.String()
	}

	first := sequence(1)
	for _, s := range []string{"200", "500", "502", "503", "429"} {
		if !strings.Contains(first, s) {
			t.Fatalf("sequence %s never picked %q", first, s)
		}
	}
	if again := sequence(1); again != first {
		t.Fatalf("same seed, other sequence:\n%s\n%s", first, again)
	}
	if other := sequence(2); other == first {
		t.Fatalf("seeds 1 and 2 gave the same sequence %s", first)
	}
}

// The latency tests run in a synctest bubble, on its fake clock: time there
// moves only when every goroutine of the bubble waits, and then straight to
// the next timer, so a delay is measured exactly rather than against a budget
// a busy machine could miss. The server is called in process, because a
// bubble cannot wait on a network.

func TestLatency(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const latency = 300 * time.Millisecond
		s := serverWithFaults(t, Faults{LatencyMS: int(latency / time.Millisecond)})

		start := time.Now()
		if rec := serveInProcess(t.Context(), s, http.MethodGet, "/organization/", ""); rec.Code != http.StatusOK {
			t.Fatalf("status %d %s, want 200", rec.Code, rec.Body)
		}
		if elapsed := time.Since(start); elapsed != latency {
			t.Fatalf("request took %v, want the latency of %v", elapsed, latency)
		}

		start = time.Now()
		stateOf(t, s)
		if elapsed := time.Since(start); elapsed != 0 {
			t.Fatalf("control call took %v: the control API must not be delayed", elapsed)
		}
	})
}

func TestLatencyHonoursCancellation(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const latency, patience = 300 * time.Millisecond, 30 * time.Millisecond
		s := serverWithFaults(t, Faults{LatencyMS: int(latency / time.Millisecond)})

		ctx, cancel := context.WithTimeout(t.Context(), patience)
		defer cancel()
		start := time.Now()
		rec := serveInProcess(ctx, s, http.MethodPost, "/organization/", `{"name":"Abandoned"}`)

		// The server stops as soon as the client gives up: it neither answers
		// nor, having returned, carries the request out once the latency is
		// over.
		if elapsed := time.Since(start); elapsed != patience {
			t.Fatalf("the server gave up after %v, want %v, when the client did", elapsed, patience)
		}
		if rec.Body.Len() != 0 {
			t.Fatalf("the abandoned request was answered: %d %s", rec.Code, rec.Body)
		}
		if orgs := stateOf(t, s).Organizations; len(orgs) != 0 {
			t.Fatalf("abandoned request was carried out: %+v", orgs)
		}
	})
}

// serverWithFaults is a Server, to be called in process, with the fault
// profile f installed through the control API.
func serverWithFaults(t *testing.T, f Faults) *Server {
	t.Helper()
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	profile, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if rec := serveInProcess(t.Context(), s, http.MethodPut, "/_mock/faults", string(profile)); rec.Code != http.StatusOK {
		t.Fatalf("setting faults: %d %s", rec.Code, rec.Body)
	}
	return s
}

// serveInProcess has s answer one request as the admin, on the calling
// goroutine.
func serveInProcess(ctx context.Context, s *Server, method, path, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequestWithContext(ctx, method, path, strings.NewReader(body))
	req.Header.Set("authorization", AdminAPIKey)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

// stateOf reads the whole state of s through the control API.
func stateOf(t *testing.T, s *Server) State {
	t.Helper()
	rec := serveInProcess(t.Context(), s, http.MethodGet, "/_mock/state", "")
	var state State
	if err := json.Unmarshal(rec.Body.Bytes(), &state); rec.Code != http.StatusOK || err != nil {
		t.Fatalf("reading state: %d %s (%v)", rec.Code, rec.Body, err)
	}
	return state
}
