package mockserver

import "strconv"

// docsOrgChanges are the fields of a PUT /organization/ body in dialect docs,
// checked before the organization is looked up and applied only once the
// caller's rights are known. (rbac takes more fields, and stores them
// otherwise: rbacOrgChanges.)
type docsOrgChanges struct {
	name, managementEmail, logo   string
	nameKind, emailKind, logoKind fieldKind
}

// docsUpdateParams reads the parameters of PUT /organization/: the orgId,
// then the fields to change, refusing the first bad one.
func docsUpdateParams(d paramDialect, req *apiRequest) (orgID string, c docsOrgChanges, fail *apiResponse) {
	p, orgID, fail := orgParams(d, req, false)
	if fail != nil {
		return "", docsOrgChanges{}, fail
	}
	c, bad := parseDocsOrgChanges(p)
	if bad != nil {
		return "", docsOrgChanges{}, d.refuseField(bad)
	}
	return orgID, c, nil
}

// parseDocsOrgChanges reads the fields of a PUT body, in the order name,
// management_email, logo, and returns the first malformed one, or nil. A
// name, when present, must not be blank.
func parseDocsOrgChanges(p params) (c docsOrgChanges, bad *badField) {
	if c.name, c.nameKind, bad = nameParam(p, 1, false); bad != nil {
		return c, bad
	}
	if c.managementEmail, c.emailKind, bad = optionalEmail(p, "management_email"); bad != nil {
		return c, bad
	}
	if c.logo, c.logoKind, bad = optionalText(p, "logo"); bad != nil {
		return c, bad
	}
	return c, nil
}

// apply changes the fields present and records the update.
func (c docsOrgChanges) apply(st *store, o *organization) {
	if c.nameKind == fieldString {
		o.name = c.name
	}
	if c.emailKind == fieldString {
		o.managementEmail = c.managementEmail
	}
	o.logo = clearable(c.logo, c.logoKind, o.logo)
	st.touch(o)
}

// clearable is the new value of an optional text field: null or "" clears
// it, a string sets it, and an absent parameter keeps current.
func clearable(value string, kind fieldKind, current *string) *string {
	switch {
	case kind == fieldNull || (kind == fieldString && value == ""):
		return nil
	case kind == fieldString:
		return &value
	}
	return current
}

// plural spells a count with its noun, for messages.
func plural(n int, noun string) string {
	s := strconv.Itoa(n) + " " + noun
	if n != 1 {
		s += "s"
	}
	return s
}
