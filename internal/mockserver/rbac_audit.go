package mockserver

import (
	"net/http"
	"strconv"
)

// The paging of the audit log.
const (
	auditDefaultLimit = 50
	auditMaxLimit     = 100
)

// auditor is a dialect that serves GET /organization/audit: rbac alone, the
// documentation has no such route.
type auditor interface {
	getAudit(st *store, caller *user, req *apiRequest) *apiResponse
}

// getAudit answers GET /organization/audit/?orgId=ID[&page=N&limit=M
// &tableName=T&operation=O]: the organization's audit log, newest first,
// to its org_admins and org_super_admins. page counts from 0; a limit above
// 100 is taken as 100.
func (d rbacDialect) getAudit(st *store, caller *user, req *apiRequest) *apiResponse {
	id, bad := requiredOrgID(params{query: req.query})
	if bad != nil {
		return d.refuseField(bad)
	}
	page, ok := queryCount(req, "page", 0, 0)
	if !ok {
		return rbacInvalidBody("page must be a whole number from 0")
	}
	limit, ok := queryCount(req, "limit", auditDefaultLimit, 1)
	if !ok {
		return rbacInvalidBody("limit must be a whole number from 1")
	}
	limit = min(limit, auditMaxLimit)
	operation := req.query.Get("operation")
	switch operation {
	case "", auditInsert, auditUpdate, auditDelete:
	default:
		return rbacInvalidBody("operation must be INSERT, UPDATE or DELETE")
	}
	tableName := req.query.Get("tableName")

	o, self, fail := rbacMembership(st, caller, id)
	if fail != nil {
		return fail
	}
	if o == nil || self == nil || !rbacRoleRank.atLeast(self.role, rbacRoleAdmin) {
		return rbacFail(http.StatusBadRequest, rbacCodeInvalidOrgID, rbacMsgCannotAccessOrg, map[string]string{"org_id": id})
	}

	var matching []auditEntry
	for i := len(o.audit) - 1; i >= 0; i-- {
		e := o.audit[i]
		if (tableName == "" || e.TableName == tableName) && (operation == "" || e.Operation == operation) {
			matching = append(matching, e)
		}
	}
	start := min(page*limit, len(matching))
	end := min(start+limit, len(matching))
	data := append([]auditEntry{}, matching[start:end]...)
	return okResponse(map[string]any{"data": data, "total": len(matching), "page": page, "limit": limit})
}

// queryCount reads a whole number of at least lowest from the query string,
// fallback when it is absent.
func queryCount(req *apiRequest, name string, fallback, lowest int) (int, bool) {
	if !req.query.Has(name) {
		return fallback, true
	}
	n, err := strconv.Atoi(req.query.Get(name))
	if err != nil || n < lowest {
		return 0, false
	}
	return n, true
}
