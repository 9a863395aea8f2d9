package mockserver

import "net/http"

// controlLimits answers the four limits in force.
func (s *Server) controlLimits(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	limits := s.limiter.limits
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, limits)
}

// controlSetLimits changes the limits a body names and keeps the others. The
// counts so far stay: a smaller limit applies at once to a key or an IP that
// has already reached it. The answer is the limits now in force.
func (s *Server) controlSetLimits(w http.ResponseWriter, r *http.Request) {
	var in LimitsUpdate
	if !decodeControlBody(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	limits := in.Apply(s.limiter.limits)
	if err := limits.validate(); err != nil {
		writeJSON(w, http.StatusBadRequest, controlError{err.Error()})
		return
	}
	s.limiter.limits = limits
	writeJSON(w, http.StatusOK, limits)
}
