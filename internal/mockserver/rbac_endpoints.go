package mockserver

import (
	"net/http"
	"strings"
)

// The routes of dialect rbac (README.md 2.3 and 2.4). Each validates its
// parameters first, then looks the organization up and checks rights: the
// order of docs (1.9), which section 2 does not change.

// getOrganizations answers GET /organization/: one bare object, or a bare
// array of at most 50. An empty orgId is taken as no orgId: the list. page
// is refused, as the backend takes it only as a JSON number, which a query
// string cannot carry.
func (d rbacDialect) getOrganizations(st *store, caller *user, req *apiRequest) *apiResponse {
	if req.query.Has("page") {
		return rbacInvalidBody("page must be a number")
	}
	if id := req.query.Get("orgId"); id != "" {
		// Any accepted member may read, org_billing_admin included.
		o, self, fail := rbacMembership(st, caller, id)
		if fail != nil {
			return fail
		}
		if o == nil || self == nil {
			return rbacFail(http.StatusBadRequest, rbacCodeInvalidOrgID, rbacMsgCannotAccessOrg, map[string]string{"org_id": id})
		}
		return okResponse(rbacReadOrganization(o))
	}
	orgs := st.organizationsOf(caller)
	if len(orgs) > rbacMaxOrganizationsListed {
		orgs = orgs[:rbacMaxOrganizationsListed]
	}
	out := make([]rbacOrganization, 0, len(orgs))
	for _, o := range orgs {
		out = append(out, rbacReadOrganization(o))
	}
	return okResponse(out)
}

// deleteOrganization answers DELETE /organization/: org_super_admin only.
// Parameters without an orgId are missing_org_id, not invalid_body.
func (d rbacDialect) deleteOrganization(st *store, caller *user, req *apiRequest) *apiResponse {
	p, fail := d.readBody(req, true)
	if fail != nil {
		return fail
	}
	id := p.str("orgId")
	if id == "" {
		return rbacFail(http.StatusBadRequest, rbacCodeMissingOrgID, rbacMsgMissingOrgID, nil)
	}
	o, self, fail := rbacMembership(st, caller, id)
	if fail != nil {
		return fail
	}
	if o == nil || self == nil || self.role != rbacRoleSuperAdmin {
		return rbacCannotDelete(id)
	}
	st.deleteOrganization(o.id)
	return okResponse(okBody)
}

func rbacCannotDelete(id string) *apiResponse {
	return rbacFail(http.StatusForbidden, rbacCodeInvalidOrgID, rbacMsgCannotDeleteOrg, map[string]string{"org_id": id})
}

// rbacMemberListers are the roles that may list an organization's members.
var rbacMemberListers = map[string]bool{rbacRoleMember: true, rbacRoleAdmin: true, rbacRoleSuperAdmin: true}

// listMembers answers GET /organization/members/ with a bare array. An
// orgId given empty names no organization the caller can access.
func (d rbacDialect) listMembers(st *store, caller *user, req *apiRequest) *apiResponse {
	id := req.query.Get("orgId")
	if !req.query.Has("orgId") {
		return rbacInvalidBody("orgId is required")
	}
	o, self, fail := rbacMembership(st, caller, id)
	if fail != nil {
		return fail
	}
	if o == nil || self == nil || !rbacMemberListers[self.role] {
		return rbacCannotAccess(id)
	}
	members := o.memberList()
	out := make([]memberObject, 0, len(members))
	for _, m := range members {
		out = append(out, rbacMemberOf(m))
	}
	return okResponse(out)
}

// addMember answers POST /organization/members/: an invitation, never a
// change. Refusals after the rights check come in the order rank, account,
// existing membership, so that another spelling of a member's email is
// NO_EMAIL rather than ALREADY_INVITED.
func (d rbacDialect) addMember(st *store, caller *user, req *apiRequest) *apiResponse {
	p, id, email, fail := memberParams(d, req, true)
	if fail != nil {
		return fail
	}
	inviteType, kind := p.field("invite_type")
	if kind == fieldAbsent {
		if _, hasRole := p.field("role"); hasRole != fieldAbsent {
			return rbacInvalidBody("invite_type is required; role is not accepted")
		}
		return rbacInvalidBody("invite_type is required")
	}
	role, ok := rbacInviteTypes[inviteType]
	if kind != fieldString || !ok {
		return rbacInvalidBody("invite_type must be one of " + strings.Join(rbacInviteTypeNames(), ", "))
	}

	o, self, fail := rbacManagedOrganization(st, caller, id)
	if fail != nil {
		return fail
	}
	if rbacRoleRank.above(role, self.role) {
		return rbacInviteRefused(rbacInviteNoRights)
	}
	u := rbacAccount(st, email)
	if u == nil {
		return rbacInviteRefused(rbacInviteNoEmail)
	}
	if o.member(u.email) != nil {
		return rbacInviteRefused(rbacInviteAlreadyInvited)
	}
	m := o.addMember(u, role, true)
	st.record(o, caller, true, memberChange(m, nil, memberRecord(o, m)))
	return okResponse(okBody)
}

// removeMember answers DELETE /organization/members/. Removing the last
// accepted org_super_admin deletes the organization: the backend does not
// refuse it as docs does.
func (d rbacDialect) removeMember(st *store, caller *user, req *apiRequest) *apiResponse {
	_, id, email, fail := memberParams(d, req, true)
	if fail != nil {
		return fail
	}

	o, self, fail := rbacManagedOrganization(st, caller, id)
	if fail != nil {
		return fail
	}
	u := rbacAccount(st, email)
	if u == nil {
		return rbacFail(http.StatusNotFound, rbacCodeUserNotFound, rbacMsgUserNotFound, nil)
	}
	target := o.member(u.email)
	if target == nil {
		return rbacFail(http.StatusNotFound, rbacCodeMemberNotFound, rbacMsgMemberNotFound, map[string]string{"orgId": id, "email": email})
	}
	// A pending invitee ranks 0: any admin may revoke an invitation.
	if !target.pending && rbacRoleRank.above(target.role, self.role) {
		return rbacFail(http.StatusForbidden, rbacCodeHigherRole, rbacMsgHigherRole, nil)
	}
	if o.isLastAccepted(target, rbacRoleSuperAdmin) {
		st.deleteOrganization(o.id)
	} else {
		st.record(o, caller, true, memberChange(target, memberRecord(o, target), nil))
		o.removeMember(target)
	}
	return okResponse(okBody)
}
