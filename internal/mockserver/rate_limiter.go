package mockserver

import (
	"math"
	"time"
)

// rateLimiter enforces Limits: requests per API key in fixed windows, and a
// lockout of a client IP after repeated failed authentications. It is not
// safe for concurrent use: the Server calls it under its mutex, with the time
// of its clock, so that tests move through windows without sleeping.
type rateLimiter struct {
	limits   Limits
	keys     map[string]*keyWindow
	failures map[string]*failedAuths
}

// keyWindow counts the requests of one key in the window that started with
// the first of them.
type keyWindow struct {
	start time.Time
	count int
}

// failedAuths counts the failed authentications of one client IP in the
// window that started with the first of them, and the lockout they led to.
type failedAuths struct {
	start       time.Time
	count       int
	lockedUntil time.Time
}

func newRateLimiter(l Limits) *rateLimiter {
	r := &rateLimiter{limits: l}
	r.clear()
	return r
}

// clear forgets every count and lockout.
func (r *rateLimiter) clear() {
	r.keys = make(map[string]*keyWindow)
	r.failures = make(map[string]*failedAuths)
}

// lockedOut returns how long ip stays locked out, 0 when it is not. Turning
// the lockout off ends the lockouts under way.
func (r *rateLimiter) lockedOut(ip string, now time.Time) time.Duration {
	f := r.failures[ip]
	if f == nil || f.lockedUntil.IsZero() || !r.limits.lockoutOn() {
		return 0
	}
	if !now.Before(f.lockedUntil) {
		// Over: the IP starts afresh.
		delete(r.failures, ip)
		return 0
	}
	return f.lockedUntil.Sub(now)
}

// failedAuth records a failed authentication from ip; the one that reaches
// the limit starts a lockout.
func (r *rateLimiter) failedAuth(ip string, now time.Time) {
	if !r.limits.lockoutOn() {
		return
	}
	length := time.Duration(r.limits.LockoutSeconds) * time.Second
	f := r.failures[ip]
	if f == nil || !now.Before(f.start.Add(length)) {
		f = &failedAuths{start: now}
		r.failures[ip] = f
	}
	f.count++
	if f.count >= r.limits.FailedAuths {
		f.lockedUntil = now.Add(length)
	}
}

// request counts a request of key. It returns 0 when the request may go
// on, else how long until the key's window ends.
func (r *rateLimiter) request(key string, now time.Time) time.Duration {
	if !r.limits.requestLimitOn() {
		return 0
	}
	length := time.Duration(r.limits.WindowSeconds) * time.Second
	w := r.keys[key]
	if w == nil || !now.Before(w.start.Add(length)) {
		w = &keyWindow{start: now}
		r.keys[key] = w
	}
	w.count++
	if w.count >= r.limits.RequestsPerWindow {
		return w.start.Add(length).Sub(now)
	}
	return 0
}

// retryAfterSeconds is a wait as a Retry-After header gives it: whole
// seconds, rounded up, at least one.
func retryAfterSeconds(wait time.Duration) int {
	return max(1, int(math.Ceil(wait.Seconds())))
}
