package mockserver

import "strconv"

// orgChanges are the fields of a PUT /organization/ body, checked before the
// organization is looked up and applied only once the caller's rights are
// known. Both dialects take the same fields, rbac with website as well; they
// differ only in how they report a bad one.
type orgChanges struct {
	name, managementEmail, logo, website       string
	nameKind, emailKind, logoKind, websiteKind fieldKind
}

// updateParams reads the parameters of PUT /organization/: the orgId, then
// the fields to change, refusing the first bad one in the dialect's words.
func updateParams(d paramDialect, req *apiRequest, minName int, withWebsite bool) (orgID string, c orgChanges, fail *apiResponse) {
	p, orgID, fail := orgParams(d, req, false)
	if fail != nil {
		return "", orgChanges{}, fail
	}
	c, bad := parseOrgChanges(p, minName, withWebsite)
	if bad != nil {
		return "", orgChanges{}, d.refuseField(bad)
	}
	return orgID, c, nil
}

// parseOrgChanges reads the fields of a PUT body, in the order name,
// management_email, logo, website, and returns the first malformed one, or
// nil. A name, when present, needs minName characters; website is read only
// when withWebsite, and otherwise ignored like any field the dialect lacks.
func parseOrgChanges(p params, minName int, withWebsite bool) (c orgChanges, bad *badField) {
	if c.name, c.nameKind, bad = nameParam(p, minName, false); bad != nil {
		return c, bad
	}
	if c.managementEmail, c.emailKind, bad = optionalEmail(p, "management_email"); bad != nil {
		return c, bad
	}
	if c.logo, c.logoKind, bad = optionalText(p, "logo"); bad != nil {
		return c, bad
	}
	if withWebsite {
		if c.website, c.websiteKind, bad = optionalText(p, "website"); bad != nil {
			return c, bad
		}
	}
	return c, nil
}

// apply changes the fields present and records the update.
func (c orgChanges) apply(st *store, o *organization) {
	if c.nameKind == fieldString {
		o.name = c.name
	}
	if c.emailKind == fieldString {
		o.managementEmail = c.managementEmail
	}
	o.logo = clearable(c.logo, c.logoKind, o.logo)
	o.website = clearable(c.website, c.websiteKind, o.website)
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
