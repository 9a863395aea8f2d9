package mockserver

import (
	"fmt"
	"net/http"
)

// Messages of dialect docs (README.md, 1.2). They are part of the API as
// documented: clients may match on them.
const (
	docsMsgInvalidAPIKey       = "Invalid API key"
	docsMsgNameRequired        = "Name is required"
	docsMsgOrgIDRequired       = "orgId is required"
	docsMsgInvalidEmail        = "Invalid email format"
	docsMsgInvalidRole         = "Invalid role specified"
	docsMsgAdminRequired       = "Admin role required"
	docsMsgInsufficientRights  = "Insufficient permissions to manage members"
	docsMsgOrgNotFound         = "Organization not found"
	docsMsgUserNotFound        = "User not found"
	docsMsgMemberNotFound      = "Member not found"
	docsMsgMemberExists        = "Member already exists in organization"
	docsMsgLastAdmin           = "Cannot remove the last admin from the organization"
	docsMsgInvalidJSON         = "Invalid JSON body"
	docsMsgTooManyRequests     = "Too many requests"
	docsMsgInternalServerError = "Internal server error"
	// Capgo's documentation names no message for an unknown route or
	// method; this one follows the style of the others (README.md, 0).
	docsMsgNotFound = "Not found"
	// docsMsgNoWebhooks is the error of the webhook routes, which the
	// documented API does not have (2.5).
	docsMsgNoWebhooks = "not_found"
)

// Roles of dialect docs, weakest first, and the prefix of pending invitations.
const (
	docsRoleRead       = "read"
	docsRoleUpload     = "upload"
	docsRoleWrite      = "write"
	docsRoleAdmin      = "admin"
	docsRoleSuperAdmin = "super_admin"
	docsInvitePrefix   = "invite_"
)

// docsRoleRank orders the roles as 1.1 lists them, weakest first.
var docsRoleRank = ranksInOrder(docsRoleRead, docsRoleUpload, docsRoleWrite, docsRoleAdmin, docsRoleSuperAdmin)

type docsError struct {
	Error  string `json:"error"`
	Status string `json:"status"`
}

// docsDialect implements dialect docs, README.md section 1. It holds
// no state: the store is the state.
type docsDialect struct{}

// notFound answers the routes of production's webhooks as 2.5 says the
// documented API does, and any other unknown route as README.md 0 says.
func (docsDialect) notFound(route string) *apiResponse {
	if isWebhookRoute(route) {
		return docsFail(http.StatusNotFound, docsMsgNoWebhooks)
	}
	return docsFail(http.StatusNotFound, docsMsgNotFound)
}

// apiKey reads the authorization header, else capgkey: the raw key, with
// authorization winning when both are sent.
func (docsDialect) apiKey(req *apiRequest) string {
	return req.headerKey("Authorization", "Capgkey")
}

// unauthorized does not tell a missing key from an unknown one: the
// documentation has one message for both (README.md, 1.2).
func (docsDialect) unauthorized(*apiRequest, string) *apiResponse {
	return docsFail(http.StatusUnauthorized, docsMsgInvalidAPIKey)
}

// defaultLimits are none: the documentation names no limits, so docs
// enforces them only when they are set.
func (docsDialect) defaultLimits() Limits {
	return Limits{}
}

func (d docsDialect) errorResponse(status int) *apiResponse {
	switch status {
	case http.StatusTooManyRequests:
		return docsFail(status, docsMsgTooManyRequests)
	case http.StatusInternalServerError:
		return docsFail(status, docsMsgInternalServerError)
	}
	// Statuses without a message of their own in README.md 1.2 (502, 503,
	// …) carry the standard HTTP reason phrase.
	return docsFail(status, statusText(status))
}

func (docsDialect) givesOwnOrganization() bool {
	return false
}

// checkSeed refuses the fields of rbac's accounts and logos: docs has no
// use for them, and a seed that sets them was written for rbac.
func (docsDialect) checkSeed(s *Seed) error {
	for i, u := range s.Users {
		if u.OrgCreate != nil || u.TwoFactor || u.APIKeyExpires || u.AppScoped {
			return fmt.Errorf("user %d: org_create, two_factor, api_key_expires and app_scoped are for dialect rbac", i+1)
		}
	}
	for i, o := range s.Organizations {
		if o.LogoUpload != "" {
			return fmt.Errorf("organization %d (%q): logo_upload is for dialect rbac", i+1, o.Name)
		}
	}
	return nil
}

func (docsDialect) roles() roleRanks {
	return docsRoleRank
}

func (d docsDialect) newOrganization(st *store, name string, creator *user) *organization {
	return st.createOrganization(name, creator, docsRoleSuperAdmin)
}

func (d docsDialect) stateOrganization(o *organization, members []StateMember) any {
	return docsStateOrganization{docsOrganizationOf(o), members}
}

// getOrganizations answers GET /organization/ (1.4). An empty orgId is taken
// as no orgId: the list.
func (d docsDialect) getOrganizations(st *store, caller *user, req *apiRequest) *apiResponse {
	if id := req.query.Get("orgId"); id != "" {
		o, fail := docsReadableOrganization(st, caller, id)
		if fail != nil {
			return fail
		}
		return okResponse(map[string]any{"data": docsOrganizationOf(o)})
	}
	out := []docsOrganization{}
	for _, o := range st.organizationsOf(caller) {
		out = append(out, docsOrganizationOf(o))
	}
	return okResponse(map[string]any{"data": out})
}

// createOrganization answers POST /organization/ (1.5).
func (d docsDialect) createOrganization(st *store, caller *user, req *apiRequest) *apiResponse {
	p, fail := d.readBody(req, false)
	if fail != nil {
		return fail
	}
	name, _, bad := nameParam(p, 1, true)
	if bad != nil {
		return d.refuseField(bad)
	}
	o := d.newOrganization(st, name, caller)
	return okResponse(map[string]any{"status": "Organization created", "id": o.id})
}

// updateOrganization answers PUT /organization/ (1.6): every field is
// validated before the organization is looked up, as 1.9 does for members.
func (d docsDialect) updateOrganization(st *store, caller *user, req *apiRequest) *apiResponse {
	id, changes, fail := docsUpdateParams(d, req)
	if fail != nil {
		return fail
	}

	o, fail := docsAdministeredOrganization(st, caller, id)
	if fail != nil {
		return fail
	}
	changes.apply(st, o)
	return okResponse(map[string]any{
		"status": "Organization updated",
		"data": map[string]string{
			"id":               o.id,
			"name":             o.name,
			"management_email": o.managementEmail,
		},
	})
}

// deleteOrganization answers DELETE /organization/ (1.7).
func (d docsDialect) deleteOrganization(st *store, caller *user, req *apiRequest) *apiResponse {
	_, id, fail := orgParams(d, req, true)
	if fail != nil {
		return fail
	}
	o, fail := docsAdministeredOrganization(st, caller, id)
	if fail != nil {
		return fail
	}
	st.deleteOrganization(o.id)
	return okResponse(map[string]any{"status": "Organization deleted", "id": o.id})
}

// listMembers answers GET /organization/members/ (1.8).
func (d docsDialect) listMembers(st *store, caller *user, req *apiRequest) *apiResponse {
	id, fail := listParams(d, req)
	if fail != nil {
		return fail
	}
	o, fail := docsReadableOrganization(st, caller, id)
	if fail != nil {
		return fail
	}
	members := o.memberList()
	out := make([]memberObject, 0, len(members))
	for _, m := range members {
		out = append(out, docsMemberOf(m))
	}
	return okResponse(map[string]any{"data": out})
}

// addMember answers POST /organization/members/ (1.9), which adds a member
// or changes a role, with its checks in the order README.md 1.9 gives.
func (d docsDialect) addMember(st *store, caller *user, req *apiRequest) *apiResponse {
	p, id, email, fail := memberParams(d, req, false)
	if fail != nil {
		return fail
	}
	role := p.str("role")
	if !docsRoleRank.known(role) {
		return docsFail(http.StatusBadRequest, docsMsgInvalidRole)
	}

	o, fail := docsReadableOrganization(st, caller, id)
	if fail != nil {
		return fail
	}
	target := o.member(email)
	if fail := docsMayManage(o.member(caller.email), target, role); fail != nil {
		return fail
	}

	if target == nil {
		u := st.userByEmail(email)
		if u == nil {
			return docsFail(http.StatusNotFound, docsMsgUserNotFound)
		}
		target = o.addMember(u, role, true)
		return okResponse(map[string]any{"status": "OK", "data": docsMemberOf(target)})
	}
	if target.role == role {
		return docsFail(http.StatusConflict, docsMsgMemberExists)
	}
	if o.isLastAccepted(target, docsRoleSuperAdmin) {
		return docsFail(http.StatusBadRequest, docsMsgLastAdmin)
	}
	o.setRole(target, role)
	return okResponse(map[string]any{"status": "OK", "data": docsMemberOf(target)})
}

// removeMember answers DELETE /organization/members/ (1.10).
func (d docsDialect) removeMember(st *store, caller *user, req *apiRequest) *apiResponse {
	_, id, email, fail := memberParams(d, req, true)
	if fail != nil {
		return fail
	}

	o, fail := docsReadableOrganization(st, caller, id)
	if fail != nil {
		return fail
	}
	self := o.member(caller.email)
	if !docsIsAdmin(self) {
		return docsFail(http.StatusForbidden, docsMsgInsufficientRights)
	}
	target := o.member(email)
	if target == nil {
		return docsFail(http.StatusNotFound, docsMsgMemberNotFound)
	}
	if fail := docsMayManage(self, target, ""); fail != nil {
		return fail
	}
	// The organization always keeps an accepted super_admin.
	if o.isLastAccepted(target, docsRoleSuperAdmin) {
		return docsFail(http.StatusBadRequest, docsMsgLastAdmin)
	}
	o.removeMember(target)
	return okResponse(map[string]any{"status": "OK"})
}

// readBody parses the parameters of a request that changes something. The
// body must be a JSON object; a DELETE may instead, or as well, carry its
// parameters in the query string (queryAllowed), so an empty DELETE body is
// allowed.
func (docsDialect) readBody(req *apiRequest, queryAllowed bool) (params, *apiResponse) {
	p, ok := requestParams(req, queryAllowed)
	if !ok {
		return params{}, docsFail(http.StatusBadRequest, docsMsgInvalidJSON)
	}
	return p, nil
}

// refuseField answers a bad field with its message of README.md 1.2. The
// documentation has none for a logo of the wrong type; the body does not match
// the request's schema, so it is an invalid body.
func (docsDialect) refuseField(bad *badField) *apiResponse {
	switch bad.field {
	case "orgId":
		return docsFail(http.StatusBadRequest, docsMsgOrgIDRequired)
	case "name":
		return docsFail(http.StatusBadRequest, docsMsgNameRequired)
	case "email", "management_email":
		return docsFail(http.StatusBadRequest, docsMsgInvalidEmail)
	}
	return docsFail(http.StatusBadRequest, docsMsgInvalidJSON)
}

func (docsDialect) validEmail(email string) bool {
	return validEmail(email)
}

// docsReadableOrganization returns the organization when the caller is an
// accepted member of it. An organization the caller cannot read is answered
// exactly as one that does not exist, so its existence does not leak.
func docsReadableOrganization(st *store, caller *user, id string) (*organization, *apiResponse) {
	o := st.organization(id)
	if o == nil {
		return nil, docsFail(http.StatusNotFound, docsMsgOrgNotFound)
	}
	if o.acceptedMember(caller.email) == nil {
		return nil, docsFail(http.StatusNotFound, docsMsgOrgNotFound)
	}
	return o, nil
}

// docsAdministeredOrganization returns the organization when the caller may
// change or delete it: an accepted admin or super_admin.
func docsAdministeredOrganization(st *store, caller *user, id string) (*organization, *apiResponse) {
	o, fail := docsReadableOrganization(st, caller, id)
	if fail != nil {
		return nil, fail
	}
	if !docsIsAdmin(o.member(caller.email)) {
		return nil, docsFail(http.StatusForbidden, docsMsgAdminRequired)
	}
	return o, nil
}

// docsIsAdmin reports whether an accepted member may manage the organization.
func docsIsAdmin(m *member) bool {
	return m != nil && !m.pending && docsRoleRank.atLeast(m.role, docsRoleAdmin)
}

// docsMayManage applies the rules of 1.1 to a caller who wants to give target
// (nil when not yet a member) the role newRole ("" when removing).
func docsMayManage(self, target *member, newRole string) *apiResponse {
	if !docsIsAdmin(self) {
		return docsFail(http.StatusForbidden, docsMsgInsufficientRights)
	}
	if self.role == docsRoleSuperAdmin {
		return nil
	}
	if newRole == docsRoleSuperAdmin || (target != nil && target.role == docsRoleSuperAdmin) {
		return docsFail(http.StatusForbidden, docsMsgInsufficientRights)
	}
	return nil
}

func docsFail(status int, msg string) *apiResponse {
	return &apiResponse{status: status, body: docsError{Error: msg, Status: "KO"}}
}
