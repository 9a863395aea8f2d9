package capgo

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// hangingListener accepts connections and never answers, as a server that is up but stuck does;
// it reports how many connections it accepted.
func hangingListener(t *testing.T) (url string, accepted *atomic.Int32) {
	t.Helper()
	l, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted = &atomic.Int32{}
	var held sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	held.Add(1)
	go func() {
		defer held.Done()
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		held.Wait()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return "http://" + l.Addr().String(), accepted
}

// A server that accepts connections and never answers is tried as few times as one that refuses
// them, whatever max_retries says: it has never answered, and waiting a request timeout for each of
// nine attempts would keep a run waiting for many minutes.
func TestHangingServerIsTriedThreeTimes(t *testing.T) {
	t.Parallel()
	url, accepted := hangingListener(t)
	c := newTestClient(t, url, func(cfg *Config) {
		cfg.RequestTimeout = 300 * time.Millisecond
		cfg.MaxRetries = ptr(8)
	})
	err := callList.run(t.Context(), c)
	if err == nil {
		t.Fatal("want an error")
	}
	if got := accepted.Load(); got != 3 {
		t.Errorf("the server got %d connections, want 3", got)
	}
	if m := gaveUpRe.FindStringSubmatch(err.Error()); m == nil || m[1] != "3" {
		t.Errorf("error = %q, want it to say it gave up after 3 attempts over some time", err)
	}
	// The words depend on where the time ran out (dialling, awaiting headers): the kind does not.
	var timeout net.Error
	if !errors.As(err, &timeout) || !timeout.Timeout() {
		t.Errorf("error = %q, want a timeout", err)
	}
}

// answersOnceThenStalls answers the first request, and no other.
func answersOnceThenStalls(w http.ResponseWriter, r *http.Request, n int) {
	if n == 1 {
		reply(w, http.StatusOK, `[]`)
		return
	}
	<-r.Context().Done()
}

// A server that has answered before and stalls now may be busy for a moment: it keeps the whole
// retry budget.
func TestStallingServerKeepsTheRetryBudget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newStubInProcess(t, answersOnceThenStalls)
		c := s.client(func(cfg *Config) {
			cfg.RequestTimeout = 100 * time.Millisecond
			cfg.MaxRetries = ptr(5)
		})
		if err := callList.run(t.Context(), c); err != nil {
			t.Fatalf("first call: %v", err)
		}
		err := callList.run(t.Context(), c)
		if got := s.count() - 1; got != 6 {
			t.Errorf("the stalled call made %d attempts, want 6", got)
		}
		if m := gaveUpRe.FindStringSubmatch(errString(err)); m == nil || m[1] != "6" {
			t.Errorf("error = %v, want it to say it gave up after 6 attempts", err)
		}
	})
}

// The operation timeout bounds a call with all its attempts and waits, and the error says how long
// it waited and for what.
func TestOperationTimeoutBoundsTheWholeCall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newStubInProcess(t, answersOnceThenStalls)
		c := s.client(func(cfg *Config) {
			cfg.RequestTimeout = 100 * time.Millisecond
			cfg.RetryWaitMin, cfg.RetryWaitMax = 10*time.Millisecond, 10*time.Millisecond
			cfg.OperationTimeout = 350 * time.Millisecond
			cfg.MaxRetries = ptr(8)
		})
		if err := callList.run(t.Context(), c); err != nil {
			t.Fatalf("first call: %v", err)
		}
		start := time.Now()
		err := callList.run(t.Context(), c)
		if elapsed := time.Since(start); elapsed != 350*time.Millisecond {
			t.Errorf("the call took %v, want the operation timeout of 350ms", elapsed)
		}
		// Attempts start at 0, 110, 220 and 330 ms; the fourth is cut short.
		if got := s.count() - 1; got != 4 {
			t.Errorf("attempts = %d, want 4", got)
		}
		want := "GET /organization/: no answer within the operation_timeout of 350ms: gave up after 4 attempts over 350ms"
		if !strings.Contains(errString(err), want) {
			t.Errorf("error = %v, want it to say %q", err, want)
		}
		if KindOf(err) != KindUnreachable {
			t.Errorf("KindOf = %v, want unreachable", KindOf(err))
		}
	})
}

// A confirmed write is one operation: its attempts and read-backs share one operation timeout.
func TestOperationTimeoutBoundsAConfirmedWrite(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newStubInProcess(t, answersOnceThenStalls)
		c := s.client(func(cfg *Config) {
			cfg.RequestTimeout = 100 * time.Millisecond
			cfg.OperationTimeout = time.Second
			cfg.MaxRetries = ptr(30)
		})
		if err := callList.run(t.Context(), c); err != nil {
			t.Fatalf("first call: %v", err)
		}
		start := time.Now()
		err := c.WriteConfirmed(t.Context(),
			func(ctx context.Context) error {
				_, err := c.AddMember(ctx, AddMemberRequest{OrganizationID: "o1", Email: "dev@example.com", Role: "read"})
				return err
			},
			func(ctx context.Context) (bool, error) {
				_, err := c.ListMembers(ctx, "o1")
				return false, err
			})
		if err == nil {
			t.Fatal("want an error")
		}
		if elapsed := time.Since(start); elapsed > time.Second {
			t.Errorf("the write took %v, more than its operation timeout of 1s", elapsed)
		}
		if !strings.Contains(err.Error(), "operation_timeout of 1s") {
			t.Errorf("error = %v, want it to name the operation timeout", err)
		}
	})
}
