package mockserver

import (
	"net"
	"net/http"
	"strconv"
	"time"
)

// dispatch carries out one public API request, with s.mu held. It routes
// before anything else, so that an unknown route gets the same answer
// whoever asks; then it turns away a client IP that is locked out, even with
// a valid key, authenticates, counts the request against its key's limit,
// and lets the route's handler answer.
func (s *Server) dispatch(req *apiRequest) *apiResponse {
	h := s.routes[req.method+" "+req.route]
	if h == nil {
		return s.dialect.notFound(req.route)
	}
	now := s.clock()
	if wait := s.limiter.lockedOut(req.clientIP, now); wait > 0 {
		return s.tooManyRequests(wait)
	}
	key := s.dialect.apiKey(req)
	caller := s.store.userByAPIKey(key)
	if caller == nil {
		// A request without a key tried nothing; one with a wrong key is
		// what the lockout guards against.
		if key != "" {
			s.limiter.failedAuth(req.clientIP, now)
		}
		return s.dialect.unauthorized(req, key)
	}
	if wait := s.limiter.request(key, now); wait > 0 {
		return s.tooManyRequests(wait)
	}
	return h(s.store, caller, req)
}

// tooManyRequests is the dialect's 429, telling the client when to come back.
func (s *Server) tooManyRequests(wait time.Duration) *apiResponse {
	resp := s.dialect.errorResponse(http.StatusTooManyRequests)
	resp.header = http.Header{"Retry-After": {strconv.Itoa(retryAfterSeconds(wait))}}
	return resp
}

// clientIP is the address of the peer without its port, or the whole remote
// address when it has none.
func clientIP(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}
