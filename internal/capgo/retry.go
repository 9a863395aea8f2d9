package capgo

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// checkRetry decides whether an attempt is tried again.
//
// Reads (GET) and DELETE are retried on 429, on 5xx other than 501, and on
// connection errors: doing them twice does no harm (a DELETE already done
// answers "not found", which the caller treats as done).
//
// Other writes (POST, PUT) are retried only when the server surely did not
// carry them out: a 429, which the server sends before doing anything, and a
// failure before any connection to the server was made (refused connection,
// DNS failure, TLS handshake). A 5xx, a timeout or a connection closed after
// the request went out leaves the outcome unknown: the server may have
// created the organization or invited the member, and sending the request
// again could create a second organization. Those errors are returned at once
// and IsAmbiguous reports them, so that the caller can read back first.
//
// A failure that says no server is there at all (see findsNoServer) is
// retried maxNoServerAttempts-1 times at most, whatever the retry limit: it
// rarely mends within seconds, and the whole budget would keep a Terraform run
// waiting for nothing. Resets, 5xx and the timeouts of a server that has
// answered before keep the whole budget.
//
// A write made within WriteConfirmed is not retried once the operation's sends
// are used up, whatever the reason.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	// A cancelled or expired context ends the call at once.
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	state := callStateFrom(ctx)
	idempotent := state == nil || state.method == http.MethodGet || state.method == http.MethodDelete

	retry := false
	switch {
	case err != nil:
		if idempotent || !state.connected.Load() {
			// The default policy refuses what a retry cannot fix (bad
			// certificate, invalid scheme or header, redirect loop).
			retry, _ = retryablehttp.DefaultRetryPolicy(ctx, resp, err)
		}
		if retry && state != nil && state.findsNoServer(err) && state.noServer.Add(1) >= maxNoServerAttempts {
			tflog.SubsystemDebug(ctx, logSubsystem, "no server there; not retried further", map[string]any{
				"method": state.method, "path": state.route, "attempt": state.attempt.Load(),
			})
			retry = false
		}
	case resp.StatusCode == http.StatusTooManyRequests:
		// A lockout lasts far longer than any wait worth making within a Terraform run.
		retry = !isLockout(resp.Header)
	case idempotent:
		retry, _ = retryablehttp.DefaultRetryPolicy(ctx, resp, nil)
	}

	if retry && state != nil && isWrite(state.method) {
		if b := sendBudgetFrom(ctx); b != nil && b.spent() {
			tflog.SubsystemDebug(ctx, logSubsystem, "not retried: the write has been sent as many times as retries allow", map[string]any{
				"method": state.method, "path": state.route, "attempt": state.attempt.Load(),
			})
			retry = false
		}
	}

	if retry {
		fields := map[string]any{}
		if state != nil {
			fields["method"] = state.method
			fields["path"] = state.route
			fields["attempt"] = state.attempt.Load()
		}
		if resp != nil {
			fields["status"] = resp.StatusCode
		}
		tflog.SubsystemDebug(ctx, logSubsystem, "attempt failed in a way that is safe to retry", fields)
	}
	return retry, nil
}

// lockoutWait is the Retry-After beyond which a 429 is a lockout rather than a rate limit: Capgo's
// rate limit counts requests per minute, so it never asks for a longer wait, while the lockout
// after failed authentications lasts 15 minutes.
const lockoutWait = time.Minute

// isLockout reports a 429 whose Retry-After asks for more than lockoutWait.
func isLockout(h http.Header) bool {
	wait, ok := retryAfter(h)
	return ok && wait > lockoutWait
}

// maxNoServerAttempts is how many attempts of one call may find no server
// there before the call gives up.
const maxNoServerAttempts = 3

// findsNoServer reports an attempt that found no server there: it could not connect (noServer),
// or it connected to a server that has never answered this client and did not answer now either,
// as a listener that accepts connections and hangs. A server that has answered before and stalls
// now may be slow for a moment, and keeps the whole retry budget.
func (s *callState) findsNoServer(err error) bool {
	if !s.connected.Load() && noServer(err) {
		return true
	}
	// A timeout before the connection was even reported (a loaded machine) counts the same.
	var timeout interface{ Timeout() bool }
	return !s.answered.Load() && s.serverAnswered != nil && !s.serverAnswered.Load() &&
		errors.As(err, &timeout) && timeout.Timeout()
}

// noServerErrnos are the connection errors that mean nothing is there to
// answer: nothing listens at the address, or no route leads to it. Windows
// reports them by their Winsock numbers, which package syscall does not name
// (WSAECONNREFUSED, WSAEHOSTUNREACH, WSAENETUNREACH); no other system uses
// those numbers.
var noServerErrnos = []syscall.Errno{
	syscall.ECONNREFUSED, syscall.EHOSTUNREACH, syscall.ENETUNREACH,
	10061, 10065, 10051,
}

// noServer reports a failure to connect that means the server is not there at
// all: the host name does not resolve (or cannot be resolved), or the address
// refuses connections or cannot be reached. A timeout or a connection reset
// is not one of them.
func noServer(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	for _, errno := range noServerErrnos {
		if errors.Is(err, errno) {
			return true
		}
	}
	return false
}

// backoff returns the wait before the next attempt (attempt is 0 for the
// wait after the first). A Retry-After on 429 or 503 is honoured, capped at
// max so that a server asking for an hour cannot stall a Terraform run.
// Otherwise the wait doubles from min up to max, with "equal jitter" (half
// fixed, half random) so that parallel Terraform operations hitting the
// same rate limit do not come back in lockstep.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp == nil {
		return waitBefore(minWait, maxWait, attempt, 0, nil)
	}
	return waitBefore(minWait, maxWait, attempt, resp.StatusCode, resp.Header)
}

// waitBefore is backoff on the parts of an answer it looks at; status is 0
// when there was no answer.
func waitBefore(minWait, maxWait time.Duration, attempt, status int, h http.Header) time.Duration {
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		if wait, ok := retryAfter(h); ok && wait > 0 {
			return min(wait, maxWait)
		}
	}

	wait := maxWait
	if attempt < 32 { // beyond that the shift overflows; max applies anyway
		if grown := minWait << attempt; grown > 0 && grown < maxWait {
			wait = grown
		}
	}
	half := wait / 2
	//nolint:gosec // jitter needs no cryptographic randomness
	return half + rand.N(wait-half+1)
}

// retryAfter parses a Retry-After header: a number of seconds or an HTTP
// date. A date in the past means "now".
func retryAfter(h http.Header) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		// Guard against overflow on absurd values.
		if secs > int64((24 * time.Hour).Seconds()) {
			secs = int64((24 * time.Hour).Seconds())
		}
		return time.Duration(secs) * time.Second, true
	}
	if when, err := http.ParseTime(v); err == nil {
		return max(time.Until(when), 0), true
	}
	return 0, false
}
