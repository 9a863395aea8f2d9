package mockserver

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Names of the dialects the mock speaks (see Options.Dialect).
const (
	DialectDocs = "docs"
	DialectRBAC = "rbac"
)

// dialect is one wire format of the Capgo API over the shared store: it owns
// the endpoints, authentication errors, envelopes, the role vocabulary and
// the rules. Everything else (routing, transport, faults, statistics, the
// control API and the store itself) is shared, so a new dialect is a new
// implementation of this interface and nothing more.
type dialect interface {
	endpoints

	// notFound answers an unknown route, or a method a route does not have.
	notFound() *apiResponse

	// unauthorized answers a request whose API key is missing (key is "") or
	// unknown.
	unauthorized(key string) *apiResponse

	// errorResponse answers a failure that is not the outcome of a request:
	// an injected fault, or an internal error. status is an HTTP status.
	errorResponse(status int) *apiResponse

	// roles is the dialect's role vocabulary. The store keeps these roles as
	// they are, and a seed file speaks them: not the aliases a request may
	// take, such as rbac's invite_type aliases.
	roles() roleRanks

	// newOrganization creates an organization as the dialect's POST does,
	// with creator as its accepted owner. Seeds go through it too, so a
	// seeded organization looks like one created over the API.
	newOrganization(st *store, name string, creator *user) *organization

	// stateOrganization renders an organization for GET /_mock/state: the
	// organization object of the dialect, plus its members.
	stateOrganization(o *organization, members []StateMember) any
}

// newDialect returns the dialect called name; the empty name means docs.
func newDialect(name string) (dialect, error) {
	switch name {
	case "", DialectDocs:
		return docsDialect{}, nil
	case DialectRBAC:
		return rbacDialect{}, nil
	default:
		return nil, fmt.Errorf("unknown dialect %q (want %s or %s)", name, DialectDocs, DialectRBAC)
	}
}

// apiRequest is a public API request as a dialect sees it: already read in
// full, so that the store lock is never held while waiting on the network.
type apiRequest struct {
	method string
	// route is the path without its trailing slash, e.g. "/organization/members".
	route  string
	query  url.Values
	header http.Header
	body   []byte
	// bodyUnreadable is set when the body could not be read in full (too large
	// or cut short); dialects treat it as a body that is not valid JSON.
	bodyUnreadable bool
}

// apiKey returns the raw API key of the request: the authorization header, or
// the capgkey header when authorization is absent. Surrounding blanks are
// dropped; a "Bearer " prefix is not, since the API takes the raw key.
func (r *apiRequest) apiKey() string {
	if key := strings.TrimSpace(r.header.Get("Authorization")); key != "" {
		return key
	}
	return strings.TrimSpace(r.header.Get("Capgkey"))
}

// apiResponse is the answer a dialect wants sent: a status, optional extra
// headers and a body encoded as JSON.
type apiResponse struct {
	status int
	header http.Header
	body   any
}

// handlerFunc carries out one public API request of an authenticated caller.
// It is called with the store locked, reads nothing but req and returns the
// answer to send.
type handlerFunc func(st *store, caller *user, req *apiRequest) *apiResponse

// endpoints are the public routes, one handlerFunc each. Both dialects serve
// the same routes with the same methods, so each implements all of them and
// routesOf builds the routing table of either.
type endpoints interface {
	getOrganizations(st *store, caller *user, req *apiRequest) *apiResponse
	createOrganization(st *store, caller *user, req *apiRequest) *apiResponse
	updateOrganization(st *store, caller *user, req *apiRequest) *apiResponse
	deleteOrganization(st *store, caller *user, req *apiRequest) *apiResponse
	listMembers(st *store, caller *user, req *apiRequest) *apiResponse
	addMember(st *store, caller *user, req *apiRequest) *apiResponse
	removeMember(st *store, caller *user, req *apiRequest) *apiResponse
}

// routesOf returns the routing table of a dialect, keyed by "METHOD /route".
func routesOf(e endpoints) map[string]handlerFunc {
	return map[string]handlerFunc{
		"GET /organization":            e.getOrganizations,
		"POST /organization":           e.createOrganization,
		"PUT /organization":            e.updateOrganization,
		"DELETE /organization":         e.deleteOrganization,
		"GET /organization/members":    e.listMembers,
		"POST /organization/members":   e.addMember,
		"DELETE /organization/members": e.removeMember,
	}
}

// dispatch carries out one public API request in dialect d, whose routing
// table is routes. It routes before it authenticates, so that an unknown
// route gets the same answer whoever asks.
func dispatch(st *store, req *apiRequest, d dialect, routes map[string]handlerFunc) *apiResponse {
	h := routes[req.method+" "+req.route]
	if h == nil {
		return d.notFound()
	}
	key := req.apiKey()
	caller := st.userByAPIKey(key)
	if caller == nil {
		return d.unauthorized(key)
	}
	return h(st, caller, req)
}

// okResponse is a 200 with body, the success of every dialect.
func okResponse(body any) *apiResponse {
	return &apiResponse{status: http.StatusOK, body: body}
}

// statusText is the HTTP reason phrase of status, the message of an injected
// status for which a dialect has none of its own.
func statusText(status int) string {
	if text := http.StatusText(status); text != "" {
		return text
	}
	return "HTTP " + strconv.Itoa(status)
}
