package mockserver

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Names of the dialects the mock speaks (see Options.Dialect).
const (
	DialectDocs = "docs"
	DialectRBAC = "rbac"
)

// dialect is one wire format of the Capgo API over the shared store: it owns
// routing, authentication errors, envelopes, the role vocabulary and the
// rules. Everything else (transport, faults, statistics, the control API and
// the store itself) is shared, so a new dialect is a new implementation of
// this interface and nothing more.
type dialect interface {
	// handle carries out one public API request. It is called with the store
	// locked, reads nothing but req and returns the answer to send.
	handle(st *store, req *apiRequest) *apiResponse

	// errorResponse answers a failure that is not the outcome of a request:
	// an injected fault, or an internal error. status is an HTTP status.
	errorResponse(status int) *apiResponse

	// seedRole turns a role from a seed file, in the dialect's vocabulary,
	// into the role kept in the store; ok is false when the dialect has no
	// such role.
	seedRole(role string) (stored string, ok bool)

	// ownerRole is the role of the account that creates an organization.
	ownerRole() string

	// stateOrganization renders an organization for GET /_mock/state: the
	// organization object of the dialect, plus its members.
	stateOrganization(o *organization, members []StateMember) any
}

// newDialect returns the dialect called name; the empty name means docs.
func newDialect(name string) (dialect, error) {
	switch name {
	case "", DialectDocs:
		return newDocsDialect(), nil
	case DialectRBAC:
		return nil, fmt.Errorf("dialect %s is not implemented yet", DialectRBAC)
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
