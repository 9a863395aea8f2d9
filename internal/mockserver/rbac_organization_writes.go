package mockserver

import (
	"net/http"
	"strings"
)

// Codes and values of organization creation (README.md, 2.4).
const (
	rbacCodePermissionDenied = "permission_denied"
	rbacMsgPermissionDenied  = "Creating an organization needs the creation grant and an admin role in an organization"
	rbacMaxEstimatedMAU      = 1_000_000
)

// rbacIntents are the values intent takes; an organization created without one has the last.
var rbacIntents = []string{"ota", "builder", "both", "exploring", rbacDefaultIntent}

const rbacDefaultIntent = "unknown"

// createOrganization answers POST /organization/: {name, email?, website?,
// estimatedMau?, intent?}. The parameters are checked first, then the
// caller's right to create: a key with the creation grant, held by an
// org_admin or org_super_admin of some organization.
func (d rbacDialect) createOrganization(st *store, caller *user, req *apiRequest) *apiResponse {
	p, fail := d.readBody(req, true)
	if fail != nil {
		return fail
	}
	name, _, bad := rbacNameParam(p, rbacMinNameChars, true)
	if bad != nil {
		return d.refuseField(bad)
	}
	email, hasEmail, bad := rbacEmailParam(p, "email")
	if bad != nil {
		return d.refuseField(bad)
	}
	website, _, bad := rbacWebsiteParam(p)
	if bad != nil {
		return d.refuseField(bad)
	}
	if bad := rbacIntegerParam(p, "estimatedMau", 0, rbacMaxEstimatedMAU); bad != nil {
		return d.refuseField(bad)
	}
	if bad := rbacEnumParam(p, "intent", rbacIntents...); bad != nil {
		return d.refuseField(bad)
	}
	if !caller.orgCreate || !rbacAdministersAny(st, caller) {
		return rbacFail(http.StatusForbidden, rbacCodePermissionDenied, rbacMsgPermissionDenied, nil)
	}

	o := d.newOrganization(st, name, caller)
	if hasEmail {
		o.managementEmail = email
	}
	o.website = website
	if intent, kind := p.field("intent"); kind == fieldString {
		o.intent = intent
	}
	st.record(o, caller, true, auditChange{table: auditTableOrganizations, recordID: o.id, after: rbacOrganizationRowOf(o)})
	owner := o.member(caller.email)
	st.record(o, caller, true, memberChange(owner, nil, memberRecord(o, owner)))
	return okResponse(map[string]string{"id": o.id})
}

// rbacAdministersAny reports whether u is an accepted org_admin or
// org_super_admin of at least one organization.
func rbacAdministersAny(st *store, u *user) bool {
	for _, o := range st.organizationsOf(u) {
		if m := o.acceptedMember(u.email); m != nil && rbacRoleRank.atLeast(m.role, rbacRoleAdmin) {
			return true
		}
	}
	return false
}

// rbacOrgChanges are the fields of a PUT /organization/ body, checked before
// the organization is looked up and applied once the caller's rights are
// known.
type rbacOrgChanges struct {
	name, managementEmail, logo            string
	hasName, hasEmail, hasLogo, hasWebsite bool
	website                                *string
	security                               securityChanges
}

// parseRBACOrgChanges reads the fields of a PUT body, in the order name,
// management_email, logo, website, security settings, and refuses the first
// bad one.
func (d rbacDialect) parseRBACOrgChanges(p params) (c rbacOrgChanges, fail *apiResponse) {
	var bad *badField
	if c.name, c.hasName, bad = rbacNameParam(p, 1, false); bad != nil {
		return c, d.refuseField(bad)
	}
	if c.managementEmail, c.hasEmail, bad = rbacEmailParam(p, "management_email"); bad != nil {
		return c, d.refuseField(bad)
	}
	if c.logo, c.hasLogo, bad = rbacLogoParam(p); bad != nil {
		return c, d.refuseField(bad)
	}
	if c.website, c.hasWebsite, bad = rbacWebsiteParam(p); bad != nil {
		return c, d.refuseField(bad)
	}
	c.security, fail = parseSecurityChanges(p)
	return c, fail
}

// rbacLogoParam reads the logo of a PUT: a string, trimmed, "" clearing it;
// null is refused.
func rbacLogoParam(p params) (logo string, present bool, bad *badField) {
	raw, kind := p.field("logo")
	switch kind {
	case fieldAbsent:
		return "", false, nil
	case fieldString:
		return strings.TrimSpace(raw), true, nil
	}
	return "", false, &badField{"logo", "logo must be a string; \"\" clears it"}
}

// apply changes the fields present. updated_at stays as it is: the backend
// has nothing that moves it.
func (c rbacOrgChanges) apply(o *organization) {
	if c.hasName {
		o.name = c.name
	}
	if c.hasEmail {
		o.managementEmail = c.managementEmail
	}
	if c.hasLogo {
		logo := c.logo
		o.logo = &logo
	}
	if c.hasWebsite {
		o.website = c.website
	}
	c.security.apply(&o.security)
}

// updateOrganization answers PUT /organization/ with the whole stored row,
// the security settings included. A body of orgId alone changes nothing.
func (d rbacDialect) updateOrganization(st *store, caller *user, req *apiRequest) *apiResponse {
	p, id, fail := orgParams(d, req, true)
	if fail != nil {
		return fail
	}
	changes, fail := d.parseRBACOrgChanges(p)
	if fail != nil {
		return fail
	}
	o, _, fail := rbacManagedOrganization(st, caller, id)
	if fail != nil {
		return fail
	}
	if changes.security.enforces2FA && !caller.twoFactor {
		return rbacFail(http.StatusBadRequest, rbacCodeNeeds2FA, rbacMsgNeeds2FA, nil)
	}
	before := rbacOrganizationRowOf(o)
	changes.apply(o)
	after := rbacOrganizationRowOf(o)
	st.record(o, caller, true, auditChange{table: auditTableOrganizations, recordID: o.id, before: before, after: after})
	return okResponse(map[string]any{"status": "Organization updated", "id": o.id, "data": after})
}
