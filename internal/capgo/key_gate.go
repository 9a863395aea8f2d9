package capgo

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"sync"
)

// Capgo counts failed authentications per client IP address and, after 20, refuses every request
// from that address for 15 minutes, whatever its key: a Terraform run that kept sending a wrong key,
// or a CI runner that looped on one, would lock out everyone behind the same address. So a key is
// tried by one request at a time until the server has accepted it once; once the server has
// refused it, no other request of this process goes out with it.
//
// The gate is per process, not per client: every provider instance of the process that uses the
// same key against the same server shares it.

// keyGate is what the process knows of one key at one server.
type keyGate struct {
	mu sync.Mutex
	// accepted: the server has answered a request with this key other than by refusing it.
	accepted bool
	// refusal is the server's answer that refused the key; nil until then.
	refusal *APIError
	// probing: a request is out to try the key; the others wait for its outcome.
	probing bool
	// settled is closed and replaced when a probe ends, to wake the waiters.
	settled chan struct{}
}

var keyGates sync.Map // string (server and key digest) → *keyGate

// keyID names a key at a server without holding the key itself.
func keyID(baseURL, apiKey string) string {
	return fmt.Sprintf("%s\x00%x", baseURL, sha256.Sum256([]byte(apiKey)))
}

// gateFor returns the gate of this client's key at its server.
func gateFor(baseURL, apiKey string) *keyGate {
	gate, _ := keyGates.LoadOrStore(keyID(baseURL, apiKey), &keyGate{settled: make(chan struct{})})
	return gate.(*keyGate) //nolint:forcetypeassert // the map holds nothing else
}

// enter lets a call go out with the key. It returns at once when the key is accepted, with the
// earlier refusal when it was refused, and otherwise makes the call the probe or waits for the
// probe's outcome. A probe must report its outcome with leave.
func (g *keyGate) enter(ctx context.Context, method, route string) (probe bool, err error) {
	for {
		g.mu.Lock()
		switch {
		case g.accepted:
			g.mu.Unlock()
			return false, nil
		case g.refusal != nil:
			refusal := g.refusal
			g.mu.Unlock()
			return false, &keyRefusedError{method: method, route: route, refusal: refusal}
		case !g.probing:
			g.probing = true
			g.mu.Unlock()
			return true, nil
		}
		settled := g.settled
		g.mu.Unlock()
		select {
		case <-settled:
		case <-ctx.Done():
			return false, fmt.Errorf("%s %s: waiting for the API key to be checked: %w", method, route, ctx.Err())
		}
	}
}

// leave reports the outcome of a probe: err is the call's error, nil when it succeeded. An answer
// that says nothing of the key (no answer, a server error, a lockout) leaves it untried, and the
// next waiting call probes.
func (g *keyGate) leave(err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.probing = false
	apiErr, answered := AsAPIError(err)
	switch {
	case err == nil:
		g.accepted = true
	case answered && apiErr.StatusCode == http.StatusUnauthorized:
		g.refusal = apiErr
	case answered && !apiErr.notCapgo && apiErr.StatusCode < http.StatusInternalServerError &&
		apiErr.StatusCode != http.StatusTooManyRequests:
		// Capgo checks the key before anything else: any other refusal came after it passed.
		g.accepted = true
	}
	close(g.settled)
	g.settled = make(chan struct{})
}

// keyRefusedError is a call not sent because the server refused the key earlier in this process.
type keyRefusedError struct {
	method, route string
	refusal       *APIError
}

func (e *keyRefusedError) Error() string {
	return fmt.Sprintf("%s %s: not sent: the API key was refused by an earlier request (%s)", e.method, e.route, e.refusal)
}

// Unwrap gives the refusal, so that the error has its kind.
func (e *keyRefusedError) Unwrap() error { return e.refusal }
