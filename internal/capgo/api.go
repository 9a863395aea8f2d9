package capgo

import (
	"strings"
	"sync/atomic"
)

// API is which of Capgo's two APIs a server speaks. They share routes but not their shapes or
// their rules; this package hides the shapes (callers get the same types from both) and names the
// rules that callers must follow as methods of API.
type API int32

const (
	// APIUnknown: no answer has told yet.
	APIUnknown API = iota
	// APIDocumented is the API of Capgo's public documentation: answers wrapped in {"data": …},
	// errors {"error": "<text>", "status": "KO"}, roles read, upload, write, admin and
	// super_admin, a pending invitation shown as invite_<role>.
	APIDocumented
	// APIProduction is what Capgo's backend serves (2026): bare answers, errors
	// {"error": "<code>", "message": …, "moreInfo": {…}}, roles org_member, org_billing_admin,
	// org_admin and org_super_admin, a pending invitation flagged is_tmp.
	APIProduction
)

func (a API) String() string {
	switch a {
	case APIDocumented:
		return "documented"
	case APIProduction:
		return "production"
	}
	return "unknown"
}

// ChangesRolesInPlace reports whether the server changes an existing member's role when invited
// again with another one. The documented API does, and keeps a pending invitation pending; the
// production API refuses (the member is already invited), so there a role changes only by removing
// the member and inviting them again, which leaves them pending until they accept.
func (a API) ChangesRolesInPlace() bool { return a != APIProduction }

// DeletesOrganizationWithLastSuperAdmin reports whether removing an organization's last accepted
// super_admin deletes the whole organization (the production API, which still answers "ok"),
// rather than being refused (the documented API).
func (a API) DeletesOrganizationWithLastSuperAdmin() bool { return a == APIProduction }

// MatchesEmailsExactly reports whether the server matches emails case included (the production
// API: Dev@example.com is not dev@example.com there), rather than without regard to case.
func (a API) MatchesEmailsExactly() bool { return a == APIProduction }

// RoleToSend is the name under which the server takes role, a role of either vocabulary: the
// production API takes both, the documented API only its own. ok is false when the server has no
// name for it (org_billing_admin against the documented API; org_member, which stands for any of
// read, upload and write, neither).
func (a API) RoleToSend(role string) (sent string, ok bool) {
	if a == APIProduction {
		return role, true
	}
	return documentedRole(role)
}

// How a server is recognised. Every member list tells, and a list always holds at least the
// caller: the production API flags every member with is_tmp and names roles org_*, the documented
// API does neither and marks invitations invite_<role>. An organization answer with a website field
// comes from the production API, and so does an error with a code and a message; an error with
// "status": "KO" comes from the documented API. The first answer that tells decides, for the life
// of the client: one client talks to one server.

// apiOfMember tells which API sent a member: is_tmp present, or a production role name.
func apiOfMember(hasIsTmp bool, role string) API {
	switch {
	case hasIsTmp || isProductionRole(role):
		return APIProduction
	case strings.HasPrefix(role, invitePrefix) || isDocumentedRole(role):
		return APIDocumented
	}
	return APIUnknown
}

// recognisedAPI holds the API the server has been recognised as speaking.
type recognisedAPI struct{ api atomic.Int32 }

// note records api unless the server has been recognised already or api tells nothing.
func (r *recognisedAPI) note(api API) {
	if api != APIUnknown {
		r.api.CompareAndSwap(int32(APIUnknown), int32(api))
	}
}

// API is which API the server speaks, as recognised from its answers so far; APIUnknown before
// the first answer that tells. Every call that lists members, reads an organization or gets a
// Capgo error answer tells.
func (c *Client) API() API { return API(c.recognised.api.Load()) }

// noteMembers recognises the server from a member list.
func (c *Client) noteMembers(members []Member) {
	for _, m := range members {
		c.recognised.note(m.api)
	}
}

// noteOrganizations recognises the server from organization answers: only the production API sends
// a website field. Its absence tells nothing, as the documented API's update answer is partial.
func (c *Client) noteOrganizations(orgs ...Organization) {
	for _, org := range orgs {
		if org.HasWebsite {
			c.recognised.note(APIProduction)
		}
	}
}
