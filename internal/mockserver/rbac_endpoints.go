package mockserver

import (
	"net/http"
	"strings"
)

// The routes of dialect rbac (capgo-api.md 2.3). Each validates its
// parameters first, then looks the organization up and checks rights: the
// order of docs (1.9), which section 2 does not change.

// getOrganizations answers GET /organization/: one bare object, or a bare
// array of at most 50. An empty orgId is taken as no orgId: the list.
func (d rbacDialect) getOrganizations(st *store, caller *user, req *apiRequest) *apiResponse {
	if id := req.query.Get("orgId"); id != "" {
		// Any accepted member may read, org_billing_admin included.
		o := st.organization(id)
		if o == nil || o.acceptedMember(caller.email) == nil {
			return rbacFail(http.StatusBadRequest, rbacCodeInvalidOrgID, rbacMsgCannotAccessOrg, map[string]string{"org_id": id})
		}
		return okResponse(rbacOrganizationOf(o))
	}
	orgs := st.organizationsOf(caller)
	if len(orgs) > rbacMaxOrganizationsListed {
		orgs = orgs[:rbacMaxOrganizationsListed]
	}
	out := make([]rbacOrganization, 0, len(orgs))
	for _, o := range orgs {
		out = append(out, rbacOrganizationOf(o))
	}
	return okResponse(out)
}

// createOrganization answers POST /organization/: {name, email?, website?}.
func (d rbacDialect) createOrganization(st *store, caller *user, req *apiRequest) *apiResponse {
	p, fail := d.readBody(req, true)
	if fail != nil {
		return fail
	}
	name, _, bad := nameParam(p, rbacMinNameChars, true)
	if bad != nil {
		return d.refuseField(bad)
	}
	email, emailKind, bad := optionalEmail(p, "email")
	if bad != nil {
		return d.refuseField(bad)
	}
	website, websiteKind, bad := optionalText(p, "website")
	if bad != nil {
		return d.refuseField(bad)
	}

	o := d.newOrganization(st, name, caller)
	if emailKind == fieldString {
		o.managementEmail = email
	}
	o.website = clearable(website, websiteKind, nil)
	return okResponse(map[string]string{"id": o.id})
}

// updateOrganization answers PUT /organization/ with the full organization.
func (d rbacDialect) updateOrganization(st *store, caller *user, req *apiRequest) *apiResponse {
	id, changes, fail := updateParams(d, req, rbacMinNameChars, true)
	if fail != nil {
		return fail
	}
	o, _, fail := rbacManagedOrganization(st, caller, id)
	if fail != nil {
		return fail
	}
	changes.apply(st, o)
	return okResponse(map[string]any{"status": "Organization updated", "id": o.id, "data": rbacOrganizationOf(o)})
}

// deleteOrganization answers DELETE /organization/: org_super_admin only.
func (d rbacDialect) deleteOrganization(st *store, caller *user, req *apiRequest) *apiResponse {
	_, id, fail := orgParams(d, req, true)
	if fail != nil {
		return fail
	}
	o := st.organization(id)
	if o == nil {
		return rbacCannotDelete(id)
	}
	if self := o.acceptedMember(caller.email); self == nil || self.role != rbacRoleSuperAdmin {
		return rbacCannotDelete(id)
	}
	st.deleteOrganization(o.id)
	return okResponse(okBody)
}

func rbacCannotDelete(id string) *apiResponse {
	return rbacFail(http.StatusForbidden, rbacCodeInvalidOrgID, rbacMsgCannotDeleteOrg, map[string]string{"org_id": id})
}

// listMembers answers GET /organization/members/ with a bare array. Every
// accepted role may list except org_billing_admin.
func (d rbacDialect) listMembers(st *store, caller *user, req *apiRequest) *apiResponse {
	id, fail := listParams(d, req)
	if fail != nil {
		return fail
	}
	o := st.organization(id)
	if o == nil {
		return rbacCannotAccess(id)
	}
	if self := o.acceptedMember(caller.email); self == nil || self.role == rbacRoleBillingAdmin {
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
	o.addMember(u, role, true)
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
		return rbacFail(http.StatusNotFound, rbacCodeMemberNotFound, rbacMsgMemberNotFound, nil)
	}
	// A pending invitee ranks as the role it was invited to.
	if rbacRoleRank.above(target.role, self.role) {
		return rbacFail(http.StatusForbidden, rbacCodeHigherRole, rbacMsgHigherRole, nil)
	}
	if o.isLastAccepted(target, rbacRoleSuperAdmin) {
		st.deleteOrganization(o.id)
	} else {
		o.removeMember(target)
	}
	return okResponse(okBody)
}
