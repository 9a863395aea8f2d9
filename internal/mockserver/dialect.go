package mockserver

import (
	"fmt"
	"maps"
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

	// notFound answers an unknown route, or a method a route does not have;
	// route is the path without its trailing slash.
	notFound(route string) *apiResponse

	// apiKey returns the API key a request carries, "" for none: the
	// dialects read it from different headers.
	apiKey(req *apiRequest) string

	// unauthorized answers a request whose API key is missing (key is "") or
	// unknown. The answer may depend on the route, as in rbac.
	unauthorized(req *apiRequest, key string) *apiResponse

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

	// defaultLimits are the rate limits of the dialect when none are set.
	defaultLimits() Limits

	// givesOwnOrganization tells whether a new account starts with an
	// organization of its own, as Capgo's sign-up gives in rbac.
	givesOwnOrganization() bool

	// checkSeed refuses what a seed may not hold in the dialect beyond its
	// roles, which seeding checks member by member.
	checkSeed(s *Seed) error
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
	// clientIP is the address the request came from, without its port: failed
	// authentications are counted per client IP.
	clientIP string
}

// headerKey returns the first of the headers that carries a key, with
// surrounding blanks dropped; a "Bearer " prefix is kept, since the API
// takes the raw key.
func (r *apiRequest) headerKey(headers ...string) string {
	for _, h := range headers {
		if key := strings.TrimSpace(r.header.Get(h)); key != "" {
			return key
		}
	}
	return ""
}

// apiResponse is the answer a dialect wants sent: a status, optional extra
// headers and a body encoded as JSON.
type apiResponse struct {
	status int
	header http.Header
	body   any
	// ping, when set, is a test delivery to make before answering, once
	// the store is unlocked: the answer is its outcome (POST /webhooks/test).
	ping *delivery
}

// handlerFunc carries out one public API request of an authenticated caller.
// It is called with the store locked, reads nothing but req and returns the
// answer to send.
type handlerFunc func(st *store, caller *user, req *apiRequest) *apiResponse

// endpoints are the public routes both dialects serve, one handlerFunc each,
// with the same methods: each implements all of them, and routesOf builds
// the routing table of either. A dialect with routes of its own (rbac's
// audit log) implements them beside these.
type endpoints interface {
	getOrganizations(st *store, caller *user, req *apiRequest) *apiResponse
	createOrganization(st *store, caller *user, req *apiRequest) *apiResponse
	updateOrganization(st *store, caller *user, req *apiRequest) *apiResponse
	deleteOrganization(st *store, caller *user, req *apiRequest) *apiResponse
	listMembers(st *store, caller *user, req *apiRequest) *apiResponse
	addMember(st *store, caller *user, req *apiRequest) *apiResponse
	removeMember(st *store, caller *user, req *apiRequest) *apiResponse
}

// routesOf returns the routing table of a dialect, keyed by "METHOD /route":
// the shared routes, and the audit log and webhooks where the dialect has
// them.
func routesOf(e endpoints) map[string]handlerFunc {
	routes := map[string]handlerFunc{
		"GET /organization":            e.getOrganizations,
		"POST /organization":           e.createOrganization,
		"PUT /organization":            e.updateOrganization,
		"DELETE /organization":         e.deleteOrganization,
		"GET /organization/members":    e.listMembers,
		"POST /organization/members":   e.addMember,
		"DELETE /organization/members": e.removeMember,
	}
	if a, ok := e.(auditor); ok {
		routes["GET /organization/audit"] = a.getAudit
	}
	if w, ok := e.(webhookRoutes); ok {
		maps.Copy(routes, webhookRoutesOf(w))
	}
	return routes
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
