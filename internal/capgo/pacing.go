package capgo

import (
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Capgo's production API refuses a key's requests beyond 2000 in a minute. A Terraform run far
// larger than that would spend its time in 429s and waits; pacing the requests instead spreads
// them evenly, so that a run at or below the server's limit meets no 429 at all.
const (
	// DefaultRequestsPerMinute stays below the production API's 2000, leaving room for the
	// console and other tools using the same key.
	DefaultRequestsPerMinute = 1800
	// MaxRequestsPerMinute bounds the setting: beyond it pacing means nothing.
	MaxRequestsPerMinute = 1_000_000
	// pacingMargin keeps the pace a little under the rate asked for: a server that counts
	// requests in fixed windows may start its window with the first request, and refuses the
	// one that reaches its limit.
	pacingMargin = 0.99
)

// CheckRequestsPerMinute accepts 0 (no pacing) to MaxRequestsPerMinute.
func CheckRequestsPerMinute(n int) error {
	if n < 0 || n > MaxRequestsPerMinute {
		return fmt.Errorf("%d is not a whole number from 0 (no pacing) to %d", n, MaxRequestsPerMinute)
	}
	return nil
}

var pacers sync.Map // string (server, key digest, rate) → *rate.Limiter

// pacerFor returns the process's pacer for requests with apiKey to baseURL at perMinute, or nil
// for none. The server counts per key, so every client of the process with the same key, server
// and setting shares one pacer.
func pacerFor(baseURL, apiKey string, perMinute int) *rate.Limiter {
	if perMinute == 0 {
		return nil
	}
	id := fmt.Sprintf("%s\x00%d", keyID(baseURL, apiKey), perMinute)
	every := time.Duration(float64(time.Minute) / (float64(perMinute) * pacingMargin))
	limiter, _ := pacers.LoadOrStore(id, rate.NewLimiter(rate.Every(every), 1))
	return limiter.(*rate.Limiter) //nolint:forcetypeassert // the map holds nothing else
}
