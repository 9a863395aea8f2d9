package capgo

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/time/rate"
)

// callState follows one API call across its attempts. The retry policy needs
// to know whether the last attempt reached the server, and the log lines
// need the attempt number; both live here, reached through the request's
// context. Atomics because net/http may run trace hooks on other goroutines.
type callState struct {
	method, route string
	start         time.Time // when the call began, for the error of one that got no answer

	attempt   atomic.Int64
	noServer  atomic.Int64 // attempts that found no server there (see noServer)
	connected atomic.Bool  // the current attempt got a connection to the server
	answered  atomic.Bool  // the current attempt got an answer (status and headers)
	// serverAnswered is the client's: set once any call got an answer (see checkRetry).
	serverAnswered *atomic.Bool
}

// sentWithoutAnswer reports that the last attempt reached the server and got
// no answer: the request may have been carried out.
func (s *callState) sentWithoutAnswer() bool {
	return s.connected.Load() && !s.answered.Load()
}

type callStateKey struct{}

func withCallState(ctx context.Context, s *callState) context.Context {
	return context.WithValue(ctx, callStateKey{}, s)
}

func callStateFrom(ctx context.Context) *callState {
	s, _ := ctx.Value(callStateKey{}).(*callState)
	return s
}

// countAttempt is the retryablehttp request hook: it runs before every
// attempt with the 0-based attempt number. A write made within
// WriteConfirmed uses up one of its sends.
func countAttempt(_ retryablehttp.Logger, req *http.Request, attempt int) {
	ctx := req.Context()
	if s := callStateFrom(ctx); s != nil {
		s.attempt.Store(int64(attempt) + 1)
	}
	if b := sendBudgetFrom(ctx); b != nil && isWrite(req.Method) {
		b.use()
	}
}

// observingTransport sits under retryablehttp: it sees every attempt, logs
// it, and records whether it reached the server.
type observingTransport struct {
	base http.RoundTripper // nil means http.DefaultTransport
	// pace spaces the attempts out (pacing.go); nil for none.
	pace *rate.Limiter
}

func (t *observingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	ctx := req.Context()
	if t.pace != nil {
		if err := t.pace.Wait(ctx); err != nil {
			return nil, fmt.Errorf("waiting for the request's turn (requests_per_minute): %w", err)
		}
	}
	state := callStateFrom(ctx)
	if state == nil {
		return base.RoundTrip(req)
	}

	state.connected.Store(false)
	state.answered.Store(false)
	trace := &httptrace.ClientTrace{
		// GotConn fires once a connection (TLS included) is ready for the
		// request; an attempt that fails before it has sent nothing.
		GotConn: func(httptrace.GotConnInfo) { state.connected.Store(true) },
	}
	// Only the method and the route are logged: never headers (the key is
	// one) and never the query.
	fields := func(extra map[string]any) map[string]any {
		f := map[string]any{
			"method":  req.Method,
			"path":    state.route,
			"attempt": state.attempt.Load(),
		}
		maps.Copy(f, extra)
		return f
	}
	tflog.SubsystemDebug(ctx, logSubsystem, "sending request", fields(nil))

	start := time.Now()
	resp, err := base.RoundTrip(req.WithContext(httptrace.WithClientTrace(ctx, trace)))
	elapsed := time.Since(start).Milliseconds()
	if err != nil {
		tflog.SubsystemDebug(ctx, logSubsystem, "request failed without an answer", fields(map[string]any{
			"duration_ms":    elapsed,
			"error":          err.Error(),
			"reached_server": state.connected.Load(),
		}))
		return resp, err
	}
	state.answered.Store(true)
	if state.serverAnswered != nil {
		state.serverAnswered.Store(true)
	}
	tflog.SubsystemDebug(ctx, logSubsystem, "received answer", fields(map[string]any{
		"duration_ms": elapsed,
		"status":      resp.StatusCode,
	}))
	return resp, nil
}
