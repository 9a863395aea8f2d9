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
