package capgo

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

// A wrong key costs one request per process, however many calls want to go out at once: each
// refused request counts towards Capgo's lockout of the whole IP address.
func TestWrongKeyIsSentOnce(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"documented": `{"error":"Invalid API key","status":"KO"}`,
		"production": `{"error":"invalid_apikey","message":"Invalid apikey","moreInfo":{}}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newStub(t, answer(http.StatusUnauthorized, body))
			c := s.client(func(cfg *Config) { cfg.MaxRetries = ptr(8) })
			var wg sync.WaitGroup
			errs := make([]error, 20)
			for i := range errs {
				wg.Go(func() { errs[i] = callListMembers.run(t.Context(), c) })
			}
			wg.Wait()
			if s.count() != 1 {
				t.Errorf("the server got %d requests with the wrong key, want 1", s.count())
			}
			for _, err := range errs {
				if KindOf(err) != KindKeyRefused {
					t.Fatalf("error %v is of kind %v, want %v", err, KindOf(err), KindKeyRefused)
				}
			}
			// Another client of the same process with the same key sends nothing either.
			if err := callList.run(t.Context(), s.client()); KindOf(err) != KindKeyRefused || s.count() != 1 {
				t.Errorf("a second client: %v, %d requests in all; want the refusal and no request", err, s.count())
			}
		})
	}
}

// Once the key has been accepted, calls go out together.
func TestAcceptedKeyLetsCallsGoTogether(t *testing.T) {
	t.Parallel()
	const parallel = 5
	arrived := make(chan struct{}, parallel)
	release := make(chan struct{})
	s := newStub(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n > 1 {
			arrived <- struct{}{}
			<-release
		}
		reply(w, http.StatusOK, `{"data":[]}`)
	})
	c := s.client()
	if err := callList.run(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range parallel {
		wg.Go(func() { _ = callList.run(t.Context(), c) })
	}
	for range parallel {
		select {
		case <-arrived:
		case <-time.After(10 * time.Second):
			t.Fatal("the calls after the key was accepted did not go out together")
		}
	}
	close(release)
	wg.Wait()
}

// An answer that says nothing of the key leaves it untried: the next call tries it.
func TestKeyStaysUntriedAfterAServerError(t *testing.T) {
	t.Parallel()
	s := newStub(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			reply(w, http.StatusBadGateway, `<html>bad gateway</html>`)
			return
		}
		reply(w, http.StatusUnauthorized, `{"error":"invalid_apikey","message":"Invalid apikey","moreInfo":{}}`)
	})
	c := s.client(noRetries)
	if err := callList.run(t.Context(), c); KindOf(err) != KindNotCapgo {
		t.Fatalf("first call: %v, want the proxy's page", err)
	}
	if err := callList.run(t.Context(), c); KindOf(err) != KindKeyRefused || s.count() != 2 {
		t.Fatalf("second call: %v after %d requests, want the key refused by the second request", err, s.count())
	}
	if err := callList.run(t.Context(), c); KindOf(err) != KindKeyRefused || s.count() != 2 {
		t.Errorf("third call: %v after %d requests, want the refusal without a request", err, s.count())
	}
}

// Capgo's lockout after failed authentications lasts 15 minutes: it is reported at once, with
// its length, instead of being retried for minutes.
func TestLockoutIsNotRetried(t *testing.T) {
	t.Parallel()
	s := newStub(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Retry-After", "900")
		reply(w, http.StatusTooManyRequests, `{"error":"too_many_requests","message":"Too many requests","moreInfo":{}}`)
	})
	err := callList.run(t.Context(), s.client(func(cfg *Config) { cfg.MaxRetries = ptr(8) }))
	if KindOf(err) != KindLockedOut || s.count() != 1 {
		t.Fatalf("%v (%v) after %d requests, want a lockout after one", err, KindOf(err), s.count())
	}
	if wait, ok := LockedOutFor(err); !ok || wait != 15*time.Minute {
		t.Errorf("LockedOutFor = %v, %v; want 15m", wait, ok)
	}
}
