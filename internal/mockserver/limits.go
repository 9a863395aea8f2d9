package mockserver

import "fmt"

// Limits are the rate limits the mock enforces (README.md, 3.4), as
// GET /_mock/limits answers them. A limit is off when its count or its
// length is 0, so the zero Limits turns both off.
type Limits struct {
	// RequestsPerWindow caps the requests of one API key in one window: the
	// request that brings the window's count to it is refused, as Capgo's
	// backend refuses the 2000th request of a minute.
	RequestsPerWindow int `json:"requests_per_window"`
	// WindowSeconds is the length of a key's window, which starts at the
	// key's first request.
	WindowSeconds int `json:"window_seconds"`
	// FailedAuths is how many failed authentications from one client IP
	// start a lockout, during which that IP gets 429 on every route.
	FailedAuths int `json:"failed_auths"`
	// LockoutSeconds is the length of a lockout, and also of the window in
	// which failed authentications are counted.
	LockoutSeconds int `json:"lockout_seconds"`
}

// The limits of Capgo's production backend, those of dialect rbac by default.
const (
	productionRequestsPerWindow = 2000
	productionWindowSeconds     = 60
	productionFailedAuths       = 20
	productionLockoutSeconds    = 15 * 60
)

// productionLimits are the limits of Capgo's backend.
var productionLimits = Limits{
	RequestsPerWindow: productionRequestsPerWindow,
	WindowSeconds:     productionWindowSeconds,
	FailedAuths:       productionFailedAuths,
	LockoutSeconds:    productionLockoutSeconds,
}

// DefaultLimits are the limits a server of dialect starts with and returns
// to on reset: the production values in rbac, none in docs (and for a name
// that is no dialect).
func DefaultLimits(dialect string) Limits {
	if d, err := newDialect(dialect); err == nil {
		return d.defaultLimits()
	}
	return Limits{}
}

// requestLimitOn reports whether requests per key are limited.
func (l Limits) requestLimitOn() bool {
	return l.RequestsPerWindow > 0 && l.WindowSeconds > 0
}

// lockoutOn reports whether failed authentications lead to a lockout.
func (l Limits) lockoutOn() bool {
	return l.FailedAuths > 0 && l.LockoutSeconds > 0
}

// validate rejects negative values, which mean nothing.
func (l Limits) validate() error {
	for _, v := range []struct {
		name  string
		value int
	}{
		{"requests_per_window", l.RequestsPerWindow},
		{"window_seconds", l.WindowSeconds},
		{"failed_auths", l.FailedAuths},
		{"lockout_seconds", l.LockoutSeconds},
	} {
		if v.value < 0 {
			return fmt.Errorf("%s must not be negative, got %d", v.name, v.value)
		}
	}
	return nil
}

// LimitsUpdate is the body of PUT /_mock/limits: any subset of the limits,
// the others staying as they are. The command line of capgo-mock builds one
// from its flags too.
type LimitsUpdate struct {
	RequestsPerWindow *int `json:"requests_per_window,omitempty"`
	WindowSeconds     *int `json:"window_seconds,omitempty"`
	FailedAuths       *int `json:"failed_auths,omitempty"`
	LockoutSeconds    *int `json:"lockout_seconds,omitempty"`
}

// Apply returns l with the values u sets.
func (u LimitsUpdate) Apply(l Limits) Limits {
	set := func(dst *int, src *int) {
		if src != nil {
			*dst = *src
		}
	}
	set(&l.RequestsPerWindow, u.RequestsPerWindow)
	set(&l.WindowSeconds, u.WindowSeconds)
	set(&l.FailedAuths, u.FailedAuths)
	set(&l.LockoutSeconds, u.LockoutSeconds)
	return l
}
