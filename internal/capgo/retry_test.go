package capgo

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// countingTransport counts the attempts that reach the transport, including
// those that never reach a server.
type countingTransport struct {
	base  http.RoundTripper
	calls atomic.Int32
}

func (t *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.calls.Add(1)
	return t.base.RoundTrip(req)
}

// closedURL is the URL of a port nobody listens on: connections are refused.
func closedURL(t *testing.T) string {
	t.Helper()
	var lc net.ListenConfig
	l, err := lc.Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}

// hangUp closes the connection without answering, as a network failure after
// the server received the request looks to a client.
func hangUp(t *testing.T, w http.ResponseWriter) {
	hijacker, ok := w.(http.Hijacker)
	if !ok {
		t.Errorf("the test server cannot hang up: %T is no http.Hijacker", w)
		return
	}
	conn, _, err := hijacker.Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	_ = conn.Close()
}

// The tests of how long the client waits run in a synctest bubble, against a stub called in
// process (newStubInProcess): the bubble's clock moves only when every goroutine waits, so a wait
// is measured exactly, however busy the machine.

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := newStubInProcess(t, func(w http.ResponseWriter, _ *http.Request, n int) {
			if n == 1 {
				w.Header().Set("Retry-After", "1")
				reply(w, http.StatusTooManyRequests, `{"error":"Too many requests","status":"KO"}`)
				return
			}
			reply(w, http.StatusOK, `{"data":[]}`)
		})
		c := s.client(func(cfg *Config) { cfg.RetryWaitMax = 5 * time.Second })
		if _, err := c.ListOrganizations(t.Context()); err != nil {
			t.Fatalf("ListOrganizations: %v", err)
		}
		reqs := s.requests()
		if len(reqs) != 2 {
			t.Fatalf("attempts = %d, want 2", len(reqs))
		}
		if gap := reqs[1].at.Sub(reqs[0].at); gap != time.Second {
			t.Errorf("waited %v between attempts, want the 1s of Retry-After", gap)
		}
	})
}

func TestRetryAfterIsCappedAtRetryWaitMax(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := newStubInProcess(t, func(w http.ResponseWriter, _ *http.Request, n int) {
			if n == 1 {
				w.Header().Set("Retry-After", "3600")
				reply(w, http.StatusServiceUnavailable, `{"error":"Internal server error","status":"KO"}`)
				return
			}
			reply(w, http.StatusOK, `[]`)
		})
		const waitMax = 50 * time.Millisecond
		start := time.Now()
		c := s.client(func(cfg *Config) { cfg.RetryWaitMax = waitMax })
		if _, err := c.ListOrganizations(t.Context()); err != nil {
			t.Fatalf("ListOrganizations: %v", err)
		}
		if elapsed := time.Since(start); elapsed != waitMax {
			t.Errorf("took %v; Retry-After should be capped at RetryWaitMax, %v", elapsed, waitMax)
		}
		if s.count() != 2 {
			t.Errorf("attempts = %d, want 2", s.count())
		}
	})
}

func TestGetRetriedOnServerErrors(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n <= 3 {
			reply(w, http.StatusServiceUnavailable, `{"error":"Internal server error","status":"KO"}`)
			return
		}
		reply(w, http.StatusOK, `{"data":`+docsOrgJSON+`}`)
	})
	org, err := s.client().GetOrganization(t.Context(), "org-1")
	if err != nil {
		t.Fatalf("GetOrganization: %v", err)
	}
	if org.ID != "org-1" {
		t.Errorf("ID = %q", org.ID)
	}
	if s.count() != 4 {
		t.Errorf("attempts = %d, want 4", s.count())
	}
}

func TestRetryDecisions(t *testing.T) {
	tests := []struct {
		name         string
		status       int
		call         apiCall
		wantAttempts int
		wantAmbig    bool
	}{
		{"POST 500 not retried", 500, callCreate, 1, true},
		{"POST 502 not retried", 502, callAddMember, 1, true},
		{"PUT 503 not retried", 503, callUpdate, 1, true},
		{"POST 429 retried", 429, callCreate, 3, false},
		{"PUT 429 retried", 429, callUpdate, 3, false},
		{"DELETE 502 retried", 502, callRemoveMember, 3, true},
		{"DELETE 429 retried", 429, callDelete, 3, false},
		{"GET 500 retried", 500, callListMembers, 3, false},
		{"GET 501 not retried", 501, callList, 1, false},
		{"GET 404 not retried", 404, callGet, 1, false},
		{"POST 409 not retried", 409, callAddMember, 1, false},
		{"GET 401 not retried", 401, callList, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStub(t, answer(tt.status, `{"error":"x","status":"KO"}`))
			err := tt.call.run(t.Context(), s.client(func(cfg *Config) { cfg.MaxRetries = ptr(2) }))
			if got := s.count(); got != tt.wantAttempts {
				t.Errorf("attempts = %d, want %d", got, tt.wantAttempts)
			}
			apiErr, ok := AsAPIError(err)
			if !ok || apiErr.StatusCode != tt.status {
				t.Fatalf("error = %v, want an APIError %d", err, tt.status)
			}
			if got := IsAmbiguous(err); got != tt.wantAmbig {
				t.Errorf("IsAmbiguous = %v, want %v", got, tt.wantAmbig)
			}
		})
	}
}

func TestPostRetriedAfter429ThenSucceeds(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			w.Header().Set("Retry-After", "0")
			reply(w, http.StatusTooManyRequests, `{"error":"too_many_requests","message":"Too many requests","moreInfo":{}}`)
			return
		}
		reply(w, http.StatusOK, `{"id":"org-7"}`)
	})
	id, err := s.client().CreateOrganization(t.Context(), CreateOrganizationRequest{Name: "Acme"})
	if err != nil {
		t.Fatalf("CreateOrganization: %v", err)
	}
	if id != "org-7" {
		t.Errorf("id = %q", id)
	}
	reqs := s.requests()
	if len(reqs) != 2 {
		t.Fatalf("attempts = %d, want 2", len(reqs))
	}
	// The body is sent again in full on the retry.
	if string(reqs[0].body) != string(reqs[1].body) || len(reqs[1].body) == 0 {
		t.Errorf("bodies differ: %q then %q", reqs[0].body, reqs[1].body)
	}
}

func TestMaxRetriesExhaustedReturnsLastAPIError(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		reply(w, http.StatusServiceUnavailable, `{"error":"attempt `+strconv.Itoa(n)+`","status":"KO"}`)
	})
	err := callList.run(t.Context(), s.client(func(cfg *Config) { cfg.MaxRetries = ptr(2) }))
	apiErr, ok := AsAPIError(err)
	if !ok {
		t.Fatalf("error = %v (%T), want an *APIError", err, err)
	}
	if apiErr.StatusCode != http.StatusServiceUnavailable || apiErr.Message != "attempt 3" {
		t.Errorf("got %d %q, want 503 \"attempt 3\"", apiErr.StatusCode, apiErr.Message)
	}
	if s.count() != 3 {
		t.Errorf("attempts = %d, want 3", s.count())
	}
}

func TestDefaultAndDisabledRetries(t *testing.T) {
	for name, tt := range map[string]struct {
		maxRetries   *int
		wantAttempts int
	}{
		"default":  {nil, 1 + DefaultMaxRetries},
		"disabled": {ptr(0), 1},
		"one":      {ptr(1), 2},
	} {
		t.Run(name, func(t *testing.T) {
			s := newStub(t, answer(http.StatusBadGateway, `{"error":"Internal server error","status":"KO"}`))
			err := callList.run(t.Context(), s.client(func(cfg *Config) { cfg.MaxRetries = tt.maxRetries }))
			if !errors.As(err, new(*APIError)) {
				t.Fatalf("error = %v, want an *APIError", err)
			}
			if s.count() != tt.wantAttempts {
				t.Errorf("attempts = %d, want %d", s.count(), tt.wantAttempts)
			}
		})
	}
}

func TestContextCancelledDuringBackoffStopsAtOnce(t *testing.T) {
	t.Parallel()
	for _, call := range []apiCall{callList, callCreate} {
		t.Run(call.method, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := newStubInProcess(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
					w.Header().Set("Retry-After", "10")
					reply(w, http.StatusTooManyRequests, `{"error":"Too many requests","status":"KO"}`)
				})
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				// The caller gives up once the 429 has reached the client, so during the 10s wait
				// that the answer asks for.
				c := s.client(func(cfg *Config) {
					cfg.RetryWaitMax = time.Minute
					cfg.HTTPClient = &http.Client{Transport: cancelAfterAnswer{base: s.transport, cancel: cancel}}
				})

				start := time.Now()
				err := call.run(ctx, c)
				elapsed := time.Since(start)
				if !errors.Is(err, context.Canceled) {
					t.Errorf("error = %v, want context.Canceled", err)
				}
				if elapsed != 0 {
					t.Errorf("returned after %v, want at once on cancellation, not after the Retry-After of 10s", elapsed)
				}
				if s.count() != 1 {
					t.Errorf("attempts = %d, want 1", s.count())
				}
				// The only attempt was answered 429: nothing was done.
				if IsAmbiguous(err) {
					t.Errorf("IsAmbiguous(%v) = true after a 429", err)
				}
			})
		})
	}
}

// cancelAfterAnswer cancels the caller's context once a whole answer has arrived from base: the
// client gets the answer in full, and the cancellation during what follows.
type cancelAfterAnswer struct {
	base   http.RoundTripper
	cancel context.CancelFunc
}

func (c cancelAfterAnswer) RoundTrip(req *http.Request) (*http.Response, error) {
	defer c.cancel()
	resp, err := c.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

func TestContextCancelledDuringWriteIsAmbiguous(t *testing.T) {
	t.Parallel()
	s := newStub(t, func(_ http.ResponseWriter, r *http.Request, _ int) {
		<-r.Context().Done() // never answers
	})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	err := callCreate.run(ctx, s.client())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want context.DeadlineExceeded", err)
	}
	if !IsAmbiguous(err) {
		t.Errorf("IsAmbiguous(%v) = false for a POST cut off after it was sent", err)
	}
	if s.count() != 1 {
		t.Errorf("attempts = %d, want 1", s.count())
	}
}

func TestAlreadyCancelledContextSendsNothing(t *testing.T) {
	s := newStub(t, answer(http.StatusOK, `[]`))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.client().ListOrganizations(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
	if s.count() != 0 {
		t.Errorf("attempts = %d, want 0", s.count())
	}
}

func TestConnectionRefusedWriteIsRetried(t *testing.T) {
	transport := &countingTransport{base: http.DefaultTransport}
	c := newTestClient(t, closedURL(t), func(cfg *Config) {
		cfg.HTTPClient = &http.Client{Transport: transport}
		cfg.MaxRetries = ptr(2)
	})
	_, err := c.CreateOrganization(t.Context(), CreateOrganizationRequest{Name: "Acme"})
	if err == nil {
		t.Fatal("want an error from a closed port")
	}
	if _, ok := AsAPIError(err); ok {
		t.Errorf("error %v is an APIError, but no server answered", err)
	}
	// Nothing reached a server, so retrying could not create anything twice.
	if got := transport.calls.Load(); got != 3 {
		t.Errorf("attempts = %d, want 3", got)
	}
	if IsAmbiguous(err) {
		t.Errorf("IsAmbiguous(%v) = true for a refused connection", err)
	}
}

func TestConnectionClosedWithoutAnswer(t *testing.T) {
	tests := []struct {
		name         string
		call         apiCall
		wantAttempts int
		wantAmbig    bool
	}{
		{"POST not retried", callCreate, 1, true},
		{"PUT not retried", callUpdate, 1, true},
		{"GET retried", callList, 3, false},
		{"DELETE retried", callRemoveMember, 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, _ *http.Request, _ int) { hangUp(t, w) })
			err := tt.call.run(t.Context(), s.client(func(cfg *Config) { cfg.MaxRetries = ptr(2) }))
			if err == nil {
				t.Fatal("want an error")
			}
			if _, ok := AsAPIError(err); ok {
				t.Errorf("error %v is an APIError, but no answer came", err)
			}
			if got := s.count(); got != tt.wantAttempts {
				t.Errorf("attempts = %d, want %d", got, tt.wantAttempts)
			}
			if got := IsAmbiguous(err); got != tt.wantAmbig {
				t.Errorf("IsAmbiguous(%v) = %v, want %v", err, got, tt.wantAmbig)
			}
		})
	}
}

func TestPerAttemptTimeout(t *testing.T) {
	t.Parallel()
	const timeout = 100 * time.Millisecond
	slowFirst := func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			select {
			case <-r.Context().Done():
			case <-time.After(time.Minute):
			}
			return
		}
		reply(w, http.StatusOK, `{"id":"org-1","data":[]}`)
	}
	t.Run("GET retried after a timeout", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			s := newStubInProcess(t, slowFirst)
			const waitMax = 20 * time.Millisecond
			c := s.client(func(cfg *Config) { cfg.RequestTimeout, cfg.RetryWaitMax = timeout, waitMax })
			start := time.Now()
			if _, err := c.ListOrganizations(t.Context()); err != nil {
				t.Fatalf("ListOrganizations: %v", err)
			}
			if s.count() != 2 {
				t.Errorf("attempts = %d, want 2", s.count())
			}
			// The first attempt's timeout, then a backoff; not the minute the first answer takes.
			if elapsed := time.Since(start); elapsed < timeout || elapsed > timeout+waitMax {
				t.Errorf("took %v; the first attempt should have timed out after %v, and the second followed within %v", elapsed, timeout, waitMax)
			}
		})
	})
	t.Run("POST timeout is ambiguous", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			s := newStubInProcess(t, slowFirst)
			c := s.client(func(cfg *Config) { cfg.RequestTimeout = timeout })
			_, err := c.CreateOrganization(t.Context(), CreateOrganizationRequest{Name: "Acme"})
			if !IsAmbiguous(err) {
				t.Errorf("IsAmbiguous(%v) = false, want true", err)
			}
			if s.count() != 1 {
				t.Errorf("attempts = %d, want 1", s.count())
			}
		})
	})
}

func TestBackoff(t *testing.T) {
	const minWait, maxWait = 10 * time.Millisecond, 500 * time.Millisecond
	for attempt := range 40 {
		want := maxWait
		if attempt < 6 {
			want = minWait << attempt
		}
		for range 20 {
			got := waitBefore(minWait, maxWait, attempt, 0, nil)
			if got < want/2 || got > want {
				t.Fatalf("attempt %d: wait %v outside [%v, %v]", attempt, got, want/2, want)
			}
		}
	}

	retryAfter := func(value string) http.Header { return http.Header{"Retry-After": {value}} }
	if got := waitBefore(minWait, time.Minute, 0, http.StatusTooManyRequests, retryAfter("2")); got != 2*time.Second {
		t.Errorf("429 Retry-After 2: wait %v, want 2s", got)
	}
	// In a bubble, whose clock stands still unless every goroutine waits, a date 3s ahead is
	// exactly 3s away when it is read.
	synctest.Test(t, func(t *testing.T) {
		date := time.Now().Add(3 * time.Second).UTC().Format(http.TimeFormat)
		if got := waitBefore(minWait, time.Minute, 0, http.StatusServiceUnavailable, retryAfter(date)); got != 3*time.Second {
			t.Errorf("503 Retry-After date: wait %v, want 3s", got)
		}
	})
	if got := waitBefore(minWait, time.Second, 0, http.StatusTooManyRequests, retryAfter("60")); got != time.Second {
		t.Errorf("Retry-After above max: wait %v, want the 1s max", got)
	}
	// Retry-After is only trusted on 429 and 503, and garbage is ignored.
	for _, tt := range []struct {
		status int
		value  string
	}{{http.StatusInternalServerError, "30"}, {http.StatusTooManyRequests, "soon"}, {http.StatusTooManyRequests, "-5"}} {
		if got := waitBefore(minWait, time.Minute, 0, tt.status, retryAfter(tt.value)); got > minWait {
			t.Errorf("%d Retry-After %q: wait %v, want the normal backoff", tt.status, tt.value, got)
		}
	}
}

// noSuchHostTransport resolves every name to "no such host", as a DNS server does for a name
// under .invalid, with a DNS server of its own in the test process (so that the test needs no
// network, and cannot be slowed by a real resolver).
func noSuchHostTransport() *http.Transport {
	resolver := &net.Resolver{
		PreferGo: true,
		Dial: func(context.Context, string, string) (net.Conn, error) {
			client, server := net.Pipe()
			go answerNameError(server)
			return client, nil
		},
	}
	return &http.Transport{DialContext: (&net.Dialer{Resolver: resolver}).DialContext}
}

// answerNameError answers the DNS queries read from conn (in TCP framing: a 2-byte length, then
// the message) with a name error (NXDOMAIN).
func answerNameError(conn net.Conn) {
	defer func() { _ = conn.Close() }()
	for {
		var size [2]byte
		if _, err := io.ReadFull(conn, size[:]); err != nil {
			return
		}
		query := make([]byte, binary.BigEndian.Uint16(size[:]))
		if _, err := io.ReadFull(conn, query); err != nil || len(query) < 12 {
			return
		}
		// The question: a name in labels up to an empty one, then its type and class.
		end := 12
		for end < len(query) && query[end] != 0 {
			end += int(query[end]) + 1
		}
		end += 1 + 4
		if end > len(query) {
			return
		}
		// The length; the query's id; flags: a response, recursion desired and available, name
		// error; one question and no records; the question as asked.
		answer := make([]byte, 0, 2+end)
		answer = binary.BigEndian.AppendUint16(answer, uint16(end)) //nolint:gosec // a DNS query is short
		answer = append(answer, query[0], query[1], 0x81, 0x83, 0, 1, 0, 0, 0, 0, 0, 0)
		answer = append(answer, query[12:end]...)
		if _, err := conn.Write(answer); err != nil {
			return
		}
	}
}

// gaveUpRe matches the summary of the attempts in the error of a call that got no answer.
var gaveUpRe = regexp.MustCompile(`gave up after (\d+) attempts? over \d+(\.\d+)?(ns|µs|ms|s)\b`)

// A server that is not there at all (nothing listens, the name does not resolve) is tried three
// times whatever max_retries says, and the error says how many attempts were made over how long.
func TestNoServerIsNotWorthTheWholeRetryBudget(t *testing.T) {
	for name, tt := range map[string]struct {
		baseURL   func(t *testing.T) string
		transport http.RoundTripper
	}{
		"connection refused": {closedURL, http.DefaultTransport},
		"no such host": {
			func(*testing.T) string { return "https://api.capgo.invalid" },
			noSuchHostTransport(),
		},
	} {
		t.Run(name, func(t *testing.T) {
			for _, call := range []apiCall{callList, callCreate} {
				transport := &countingTransport{base: tt.transport}
				c := newTestClient(t, tt.baseURL(t), func(cfg *Config) {
					cfg.HTTPClient = &http.Client{Transport: transport}
					cfg.MaxRetries = ptr(8)
				})
				err := call.run(t.Context(), c)
				if err == nil {
					t.Fatalf("%s: want an error", call.method)
				}
				if got := transport.calls.Load(); got != 3 {
					t.Errorf("%s: attempts = %d, want 3", call.method, got)
				}
				m := gaveUpRe.FindStringSubmatch(err.Error())
				if m == nil || m[1] != "3" {
					t.Errorf("%s: error = %q, want it to say it gave up after 3 attempts over some time", call.method, err)
				}
				if IsAmbiguous(err) {
					t.Errorf("%s: IsAmbiguous(%v) = true, but nothing was sent", call.method, err)
				}
				if dnsErr := (*net.DNSError)(nil); name == "no such host" && (!errors.As(err, &dnsErr) || !dnsErr.IsNotFound) {
					t.Errorf("%s: error = %v, want a DNS \"no such host\"", call.method, err)
				}
			}
		})
	}
}

// A connection closed without an answer, unlike one never made, keeps the whole retry budget.
func TestConnectionClosedKeepsTheWholeRetryBudget(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, _ *http.Request, _ int) { hangUp(t, w) })
	err := callList.run(t.Context(), s.client(func(cfg *Config) { cfg.MaxRetries = ptr(5) }))
	if got := s.count(); got != 6 {
		t.Errorf("attempts = %d, want 6", got)
	}
	if m := gaveUpRe.FindStringSubmatch(errString(err)); m == nil || m[1] != "6" {
		t.Errorf("error = %v, want it to say it gave up after 6 attempts over some time", err)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
