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

// badField names the first malformed field of a request and says what is
// wrong with it.
type badField struct {
	field  string
	reason string
}

// parseOrgChanges reads the fields of a PUT body, in the order name,
// management_email, logo, website, and returns the first malformed one, or
// nil. A name, when present, needs minName characters; website is read only
// when withWebsite, and otherwise ignored like any field the dialect lacks.
func parseOrgChanges(p params, minName int, withWebsite bool) (orgChanges, *badField) {
	var c orgChanges
	c.name, c.nameKind = p.field("name")
	if c.nameKind != fieldAbsent && !validName(c.name, c.nameKind, minName) {
		return c, &badField{"name", "name must be a string of at least " + plural(minName, "character")}
	}
	c.managementEmail, c.emailKind = p.field("management_email")
	if c.emailKind != fieldAbsent && (c.emailKind != fieldString || !validEmail(c.managementEmail)) {
		return c, &badField{"management_email", "management_email must be a valid email address"}
	}
	c.logo, c.logoKind = p.field("logo")
	if c.logoKind == fieldOther {
		return c, &badField{"logo", "logo must be a string or null"}
	}
	if withWebsite {
		c.website, c.websiteKind = p.field("website")
		if c.websiteKind == fieldOther {
			return c, &badField{"website", "website must be a string or null"}
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
