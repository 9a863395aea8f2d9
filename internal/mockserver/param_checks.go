package mockserver

// The checks of the parameters the public routes take, each written once for
// both dialects. A check returns the parameter and, when it is missing or
// malformed, a *badField that names it; the dialect words the refusal. Routes
// run their checks before they look the organization up (README.md 1.9,
// and doc.go for the rest).

// badField names the first malformed field of a request and says what is
// wrong with it.
type badField struct {
	field  string
	reason string
}

// paramDialect is what reading a request's parameters asks of a dialect.
type paramDialect interface {
	// readBody reads the parameters of a request that changes something, or
	// refuses a body the dialect does not take. queryAllowed tells whether
	// the route also takes its parameters from the query string, where the
	// dialect distinguishes routes at all.
	readBody(req *apiRequest, queryAllowed bool) (params, *apiResponse)
	// refuseField answers a request with a missing or malformed field.
	refuseField(bad *badField) *apiResponse
	// validEmail tells an email the dialect takes.
	validEmail(email string) bool
}

// orgParams reads the parameters of a call that changes one organization,
// and the orgId they all need.
func orgParams(d paramDialect, req *apiRequest, queryAllowed bool) (p params, orgID string, fail *apiResponse) {
	if p, fail = d.readBody(req, queryAllowed); fail != nil {
		return params{}, "", fail
	}
	orgID, bad := requiredOrgID(p)
	if bad != nil {
		return params{}, "", d.refuseField(bad)
	}
	return p, orgID, nil
}

// memberParams reads the parameters of a call that changes a membership:
// orgId, then the member's email.
func memberParams(d paramDialect, req *apiRequest, queryAllowed bool) (p params, orgID, email string, fail *apiResponse) {
	if p, orgID, fail = orgParams(d, req, queryAllowed); fail != nil {
		return params{}, "", "", fail
	}
	if email = p.str("email"); !d.validEmail(email) {
		return params{}, "", "", d.refuseField(&badField{"email", "email must be a valid email address"})
	}
	return p, orgID, email, nil
}

// listParams reads the orgId of GET /organization/members/, which takes it
// from the query string.
func listParams(d paramDialect, req *apiRequest) (orgID string, fail *apiResponse) {
	orgID, bad := requiredOrgID(params{query: req.query})
	if bad != nil {
		return "", d.refuseField(bad)
	}
	return orgID, nil
}

// requiredOrgID reads the orgId of a call about one organization.
func requiredOrgID(p params) (string, *badField) {
	if id := p.str("orgId"); id != "" {
		return id, nil
	}
	return "", &badField{"orgId", "orgId is required"}
}

// nameParam reads an organization's name, which needs minChars characters
// when present; required makes an absent name bad as well.
func nameParam(p params, minChars int, required bool) (string, fieldKind, *badField) {
	name, kind := p.field("name")
	if (required || kind != fieldAbsent) && !validName(name, kind, minChars) {
		return "", kind, &badField{"name", "name must be a string of at least " + plural(minChars, "character")}
	}
	return name, kind, nil
}

// optionalEmail reads an email parameter that may be absent.
func optionalEmail(p params, field string) (string, fieldKind, *badField) {
	email, kind := p.field(field)
	if kind != fieldAbsent && (kind != fieldString || !validEmail(email)) {
		return "", kind, &badField{field, field + " must be a valid email address"}
	}
	return email, kind, nil
}

// optionalText reads a text parameter that may be absent, a string, or null
// to clear it.
func optionalText(p params, field string) (string, fieldKind, *badField) {
	text, kind := p.field(field)
	if kind == fieldOther {
		return "", kind, &badField{field, field + " must be a string or null"}
	}
	return text, kind, nil
}
