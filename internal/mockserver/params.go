package mockserver

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// params gives access to a request's parameters: the members of its JSON body
// and, where a route allows it, its query string.
type params struct {
	body  map[string]json.RawMessage
	query url.Values // nil when the route does not read the query string
}

// fieldKind tells how a parameter was given.
type fieldKind int

const (
	fieldAbsent fieldKind = iota
	fieldNull
	fieldString
	fieldOther // present, but neither a string nor null
)

// parseObject decodes a body that must be a JSON object. It reports false for
// anything else, including an empty body, "null" and trailing data.
func parseObject(body []byte) (map[string]json.RawMessage, bool) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil || m == nil {
		return nil, false
	}
	return m, true
}

// requestParams reads the parameters of a request that changes something: its
// body, which must be a JSON object, and, when queryAllowed, its query string
// as well. Where the query string is allowed an empty body is too, since the
// query may carry everything. ok is false when the body is unacceptable: not
// a JSON object, or not read in full.
func requestParams(req *apiRequest, queryAllowed bool) (p params, ok bool) {
	if req.bodyUnreadable {
		return params{}, false
	}
	if queryAllowed && len(bytes.TrimSpace(req.body)) == 0 {
		return params{query: req.query}, true
	}
	body, ok := parseObject(req.body)
	if !ok {
		return params{}, false
	}
	p = params{body: body}
	if queryAllowed {
		p.query = req.query
	}
	return p, true
}

// field returns a parameter. The body wins over the query string when both
// carry it.
func (p params) field(name string) (string, fieldKind) {
	if raw, ok := p.body[name]; ok {
		if string(raw) == "null" {
			return "", fieldNull
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", fieldOther
		}
		return s, fieldString
	}
	if p.query != nil && p.query.Has(name) {
		return p.query.Get(name), fieldString
	}
	return "", fieldAbsent
}

// raw returns a parameter as JSON text: a body member as sent, a value of
// the query string as a JSON string, since that is all a query can carry.
func (p params) raw(name string) (json.RawMessage, bool) {
	if raw, ok := p.body[name]; ok {
		return raw, true
	}
	if p.query != nil && p.query.Has(name) {
		quoted, err := json.Marshal(p.query.Get(name))
		return quoted, err == nil
	}
	return nil, false
}

// str returns a parameter that must be a string; anything else reads as "".
func (p params) str(name string) string {
	s, kind := p.field(name)
	if kind != fieldString {
		return ""
	}
	return s
}

// validName reports whether an organization name given as a parameter of
// kind is a string with at least min characters besides surrounding blanks.
// Blanks do not count, so that a name of spaces is no name, but the name is
// stored as given.
func validName(name string, kind fieldKind, minChars int) bool {
	return kind == fieldString && utf8.RuneCountInString(strings.TrimSpace(name)) >= minChars
}

// validEmail is a deliberately plain check: one "@", a non-empty local part,
// a dotted domain, no spaces or control characters. It is strict enough to
// catch typos in tests and lenient enough for any real address.
func validEmail(s string) bool {
	if len(s) > 254 {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return false
		}
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || strings.Contains(domain, "@") {
		return false
	}
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") ||
		strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return false
	}
	return true
}
