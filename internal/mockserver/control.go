package mockserver

import (
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// User is an account: what POST /_mock/users answers, with the fresh API
// key, and what GET /_mock/state lists, without any key.
type User struct {
	UID    string `json:"uid"`
	Email  string `json:"email"`
	APIKey string `json:"api_key,omitempty"`
}

// Stats counts public API requests since start or the last reset.
type Stats struct {
	RequestsTotal int64 `json:"requests_total"`
	// ByRoute is keyed by method and route with its trailing slash, e.g.
	// "GET /organization/members/".
	ByRoute        map[string]int64 `json:"by_route"`
	FaultsInjected int64            `json:"faults_injected"`
	// WebhookDeliveries counts the attempts of webhook deliveries, tests
	// included; WebhookFailures those that failed (README.md, 3.5).
	WebhookDeliveries int64 `json:"webhook_deliveries"`
	WebhookFailures   int64 `json:"webhook_failures"`
}

// State is the whole state of the mock, as GET /_mock/state returns it.
type State struct {
	Users         []User              `json:"users"`
	Organizations []StateOrganization `json:"organizations"`
}

// StateOrganization is an organization of GET /_mock/state: the organization
// object of the server's dialect, as stored (an uploaded logo as its storage
// path), with its members, and in rbac its security settings. It decodes the
// state of either dialect; in docs, Website and SecuritySettings stay nil.
type StateOrganization struct {
	rbacOrganization
	*SecuritySettings
	Members []StateMember `json:"members"`
}

// StateMember is a membership; Role is the dialect's plain role, never
// prefixed, and Pending tells an invitation from an accepted membership.
type StateMember struct {
	UID     string `json:"uid"`
	Email   string `json:"email"`
	Role    string `json:"role"`
	Pending bool   `json:"pending"`
}

// The routes of the control API, which ControlClient calls: one place for
// both sides, so that they cannot drift apart.
const (
	controlHealthPath           = "/_mock/health"
	controlUsersPath            = "/_mock/users"
	controlAcceptInvitationPath = "/_mock/invitations/accept"
	controlFaultsPath           = "/_mock/faults"
	controlStatsPath            = "/_mock/stats"
	controlStatePath            = "/_mock/state"
	controlResetPath            = "/_mock/reset"
	controlLimitsPath           = "/_mock/limits"
	controlWebhooksPath         = "/_mock/webhooks"
)

// createUserRequest is the body of POST /_mock/users.
type createUserRequest struct {
	Email string `json:"email"`
}

// acceptInvitationRequest is the body of POST /_mock/invitations/accept.
type acceptInvitationRequest struct {
	OrgID string `json:"orgId"`
	Email string `json:"email"`
}

// controlError is the error body of the control API. The control API belongs
// to no dialect, so it has one plain shape whatever the dialect.
type controlError struct {
	Error string `json:"error"`
}

var okBody = map[string]string{"status": "ok"}

// serveControl answers the control API. It is never authenticated, never
// subject to faults and never counted in the statistics.
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	type handler = func(http.ResponseWriter, *http.Request)
	// Each path with its handler per method.
	routes := map[string]map[string]handler{
		controlHealthPath:           {http.MethodGet: s.controlHealth},
		controlUsersPath:            {http.MethodPost: s.controlCreateUser},
		controlAcceptInvitationPath: {http.MethodPost: s.controlAcceptInvitation},
		controlFaultsPath:           {http.MethodPut: s.controlSetFaults},
		controlStatsPath:            {http.MethodGet: s.controlStats},
		controlStatePath:            {http.MethodGet: s.controlState},
		controlResetPath:            {http.MethodPost: s.controlReset},
		controlLimitsPath:           {http.MethodGet: s.controlLimits, http.MethodPut: s.controlSetLimits},
		controlWebhooksPath:         {http.MethodGet: s.controlWebhooks, http.MethodPut: s.controlSetWebhooks},
	}
	methods, ok := routes[strings.TrimSuffix(r.URL.Path, "/")]
	if !ok {
		writeJSON(w, http.StatusNotFound, controlError{"Not found"})
		return
	}
	handle, ok := methods[r.Method]
	if !ok {
		w.Header().Set("Allow", strings.Join(slices.Sorted(maps.Keys(methods)), ", "))
		writeJSON(w, http.StatusMethodNotAllowed, controlError{"Method not allowed"})
		return
	}
	handle(w, r)
}

func (s *Server) controlHealth(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, okBody)
}

// controlCreateUser creates an account with a fresh API key, and in rbac
// the organization of its own that sign-up gives. Emails are unique without
// regard to case: 409 for one already taken.
func (s *Server) controlCreateUser(w http.ResponseWriter, r *http.Request) {
	var in createUserRequest
	if !decodeControlBody(w, r, &in) {
		return
	}
	if !validEmail(in.Email) {
		writeJSON(w, http.StatusBadRequest, controlError{"Invalid email format"})
		return
	}
	s.mu.Lock()
	u, err := s.store.addUser(in.Email, newID())
	if err == nil && s.dialect.givesOwnOrganization() {
		s.dialect.newOrganization(s.store, ownOrganizationName(u.email), u)
	}
	s.mu.Unlock()
	if err != nil {
		writeJSON(w, http.StatusConflict, controlError{"User already exists"})
		return
	}
	writeJSON(w, http.StatusOK, User{UID: u.uid, Email: u.email, APIKey: u.apiKey})
}

// controlAcceptInvitation turns a pending invitation into an accepted
// membership with the same role, as the invitee does in the console.
func (s *Server) controlAcceptInvitation(w http.ResponseWriter, r *http.Request) {
	var in acceptInvitationRequest
	if !decodeControlBody(w, r, &in) {
		return
	}
	if in.OrgID == "" || in.Email == "" {
		writeJSON(w, http.StatusBadRequest, controlError{"orgId and email are required"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.store.organization(in.OrgID)
	if o == nil {
		writeJSON(w, http.StatusNotFound, controlError{"Invitation not found"})
		return
	}
	m := o.member(in.Email)
	if m == nil || !m.pending {
		writeJSON(w, http.StatusNotFound, controlError{"Invitation not found"})
		return
	}
	before := memberRecord(o, m)
	o.accept(m)
	// The invitee accepts in the console, not with a key.
	s.store.record(o, m.user, false, memberChange(m, before, memberRecord(o, m)))
	writeJSON(w, http.StatusOK, okBody)
}

// controlSetFaults installs a fault profile; {} turns faults off.
func (s *Server) controlSetFaults(w http.ResponseWriter, r *http.Request) {
	var in Faults
	if !decodeControlBody(w, r, &in) {
		return
	}
	if err := in.validate(); err != nil {
		writeJSON(w, http.StatusBadRequest, controlError{err.Error()})
		return
	}
	s.mu.Lock()
	s.faults.set(in)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, okBody)
}

func (s *Server) controlStats(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	out := s.stats
	out.ByRoute = make(map[string]int64, len(s.stats.ByRoute))
	for k, v := range s.stats.ByRoute {
		out.ByRoute[k] = v
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) controlState(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	users := make([]User, 0, len(s.store.users))
	for _, u := range s.store.users {
		users = append(users, User{UID: u.uid, Email: u.email})
	}
	orgs := make([]any, 0, len(s.store.organizations()))
	for _, o := range s.store.organizations() {
		list := o.memberList()
		members := make([]StateMember, 0, len(list))
		for _, m := range list {
			members = append(members, StateMember{UID: m.user.uid, Email: m.user.email, Role: m.role, Pending: m.pending})
		}
		orgs = append(orgs, s.dialect.stateOrganization(o, members))
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": users, "organizations": orgs})
}

// controlReset returns to the seed: accounts created since are gone, and
// webhooks with their deliveries, counters are zero, faults are off, the
// rate limits are the dialect's, with no request or failure counted, and
// the webhook settings those given at start.
func (s *Server) controlReset(w http.ResponseWriter, _ *http.Request) {
	st, err := s.seed.build(s.dialect, s.clock)
	if err != nil {
		// The seed was built once already in New, so this cannot happen.
		writeJSON(w, http.StatusInternalServerError, controlError{err.Error()})
		return
	}
	s.mu.Lock()
	s.useStore(st)
	s.resetCountersAndFaults()
	s.limiter = newRateLimiter(s.dialect.defaultLimits())
	s.resetWebhooks()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, okBody)
}

// decodeControlBody decodes a JSON object into v, or answers 400 and reports
// false. Unknown fields are errors, so that a typo in a fault profile does
// not silently turn a fault off.
func decodeControlBody(w http.ResponseWriter, r *http.Request, v any) bool {
	err := decodeStrict(http.MaxBytesReader(w, r.Body, maxBodyBytes), v)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, controlError{"Invalid JSON body: " + err.Error()})
		return false
	}
	return true
}

// decodeStrict decodes exactly one JSON value, without unknown fields.
func decodeStrict(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}
