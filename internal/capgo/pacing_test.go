package capgo

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

// Paced requests go out no faster than the rate asked for, whatever the parallelism, and every
// client of the process with the same key and server shares the pace.
func TestRequestsArePaced(t *testing.T) {
	t.Parallel()
	const perMinute, calls = 3000, 30 // one request per 20ms
	s := newStub(t, answer(http.StatusOK, `{"data":[]}`))
	paced := func(cfg *Config) { cfg.RequestsPerMinute = ptr(perMinute) }
	clients := []*Client{s.client(paced), s.client(paced)}

	start := time.Now()
	var wg sync.WaitGroup
	for i := range calls {
		wg.Go(func() {
			if err := callList.run(t.Context(), clients[i%2]); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	// A lower bound only: a loaded machine makes the calls slower, never faster.
	floor := time.Duration(calls-1) * time.Minute / perMinute
	if elapsed < floor {
		t.Errorf("%d calls took %s, want at least %s at %d per minute", calls, elapsed, floor, perMinute)
	}
	if s.count() != calls {
		t.Errorf("the server got %d requests, want %d", s.count(), calls)
	}
}

func TestRequestsPerMinuteSetting(t *testing.T) {
	for _, n := range []int{-1, MaxRequestsPerMinute + 1} {
		if _, err := NewClient(Config{BaseURL: "https://api.capgo.app", APIKey: testKey, RequestsPerMinute: ptr(n)}); err == nil {
			t.Errorf("RequestsPerMinute %d accepted", n)
		}
	}
	if pacerFor("https://api.capgo.app", testKey, 0) != nil {
		t.Error("0 must mean no pacing")
	}
}
