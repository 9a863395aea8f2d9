package mockserver

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Faults is the fault profile of the mock (README.md, 3.3), as sent to and
// read from PUT /_mock/faults. The zero value turns every fault off.
type Faults struct {
	// ErrorRate is the share of public API requests answered at once with one
	// of ErrorStatuses, without being carried out.
	ErrorRate float64 `json:"error_rate,omitempty"`
	// ErrorStatuses are the statuses injected errors pick from, uniformly.
	// When empty, injected errors are 500.
	ErrorStatuses []int `json:"error_statuses,omitempty"`
	// RetryAfterSeconds is the Retry-After header of an injected 429.
	RetryAfterSeconds int `json:"retry_after_seconds,omitempty"`
	// LatencyMS is added to every public API request.
	LatencyMS int `json:"latency_ms,omitempty"`
	// LostResponseRate is the share of requests that are carried out and then
	// left without an answer: the connection is closed.
	LostResponseRate float64 `json:"lost_response_rate,omitempty"`
	// Seed seeds the random source that decides which requests fail. Every
	// profile is seeded (absent means 0), so the same profile always gives the
	// same sequence of faults for the same sequence of requests.
	Seed int64 `json:"seed,omitempty"`
}

// validate rejects a profile the mock could not honour.
func (f Faults) validate() error {
	if f.ErrorRate < 0 || f.ErrorRate > 1 {
		return fmt.Errorf("error_rate must be between 0 and 1, got %v", f.ErrorRate)
	}
	if f.LostResponseRate < 0 || f.LostResponseRate > 1 {
		return fmt.Errorf("lost_response_rate must be between 0 and 1, got %v", f.LostResponseRate)
	}
	for _, status := range f.ErrorStatuses {
		if status < 400 || status > 599 {
			return fmt.Errorf("error_statuses must be HTTP error statuses (400-599), got %d", status)
		}
	}
	if f.RetryAfterSeconds < 0 {
		return fmt.Errorf("retry_after_seconds must not be negative, got %d", f.RetryAfterSeconds)
	}
	if f.LatencyMS < 0 {
		return fmt.Errorf("latency_ms must not be negative, got %d", f.LatencyMS)
	}
	return nil
}

// faultInjector decides, request by request, which faults to inject. It is
// not safe for concurrent use: the Server calls it under its mutex, which also
// makes the sequence of decisions follow the order requests arrive in.
type faultInjector struct {
	profile Faults
	rng     *rand.Rand
}

// faultPlan is what happens to one request.
type faultPlan struct {
	latency    time.Duration
	status     int // an injected error status; 0 for none
	retryAfter int // seconds, sent with an injected 429
	lose       bool
}

// set installs a profile and restarts its random sequence.
func (f *faultInjector) set(p Faults) {
	f.profile = p
	seed := uint64(p.Seed)
	f.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// plan draws the faults of the next request. A request is never both failed
// and lost: an injected error is not carried out, so there is nothing to lose.
func (f *faultInjector) plan() faultPlan {
	p := faultPlan{latency: time.Duration(f.profile.LatencyMS) * time.Millisecond}
	if f.profile.ErrorRate > 0 && f.rng.Float64() < f.profile.ErrorRate {
		p.status = 500
		if n := len(f.profile.ErrorStatuses); n > 0 {
			p.status = f.profile.ErrorStatuses[f.rng.IntN(n)]
		}
		p.retryAfter = f.profile.RetryAfterSeconds
		return p
	}
	if f.profile.LostResponseRate > 0 && f.rng.Float64() < f.profile.LostResponseRate {
		p.lose = true
	}
	return p
}
