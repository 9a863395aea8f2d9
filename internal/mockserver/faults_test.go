package mockserver

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
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
			state := ts.State()
			if len(state.Organizations) != 1 || len(state.Organizations[0].Members) != 1 {
				t.Fatalf("state changed by failed requests: %+v", state)
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

		state := ts.State()
		if len(state.Organizations) != 2 || state.Organizations[1].Name != "Committed" {
			t.Fatalf("organizations %+v, want the lost creation committed", state.Organizations)
		}
		wantRole := "write"
		if admin.rbac {
			wantRole = "org_member"
		}
		if m := state.Organizations[0].Members; len(m) != 2 || m[1].Email != DevEmail || m[1].Role != wantRole || !m[1].Pending {
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

func TestLatency(t *testing.T) {
	t.Parallel()
	const latency = 300 * time.Millisecond
	ts := NewTestServer(t, Options{})
	admin := newClient(t, ts, AdminAPIKey)
	ts.SetFaults(Faults{LatencyMS: int(latency / time.Millisecond)})

	start := time.Now()
	admin.do(http.MethodGet, "/organization/", nil).wantOK(t)
	if elapsed := time.Since(start); elapsed < latency {
		t.Fatalf("request took %v, want at least %v", elapsed, latency)
	}
	start = time.Now()
	ts.State()
	if elapsed := time.Since(start); elapsed >= latency {
		t.Fatalf("control call took %v: the control API must not be delayed", elapsed)
	}
}

func TestLatencyHonoursCancellation(t *testing.T) {
	t.Parallel()
	const latency = 300 * time.Millisecond
	ts := NewTestServer(t, Options{})
	ts.SetFaults(Faults{LatencyMS: int(latency / time.Millisecond)})

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/organization/", strings.NewReader(`{"name":"Abandoned"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("authorization", AdminAPIKey)
	if resp, err := ts.client.Do(req); err == nil {
		_ = resp.Body.Close()
		t.Fatalf("got status %d, want the client to give up", resp.StatusCode)
	}

	// Past the latency, an abandoned request must still not have run.
	time.Sleep(latency + 100*time.Millisecond)
	if orgs := ts.State().Organizations; len(orgs) != 0 {
		t.Fatalf("abandoned request was carried out: %+v", orgs)
	}
}
