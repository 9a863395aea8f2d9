package mockserver

// roleRanks is a dialect's role vocabulary: each role with its rank, a
// higher rank holding every right of a lower one. Both dialects rank their
// roles, and compare them only through these methods.
type roleRanks map[string]int

// ranksInOrder ranks roles listed weakest first, for a vocabulary whose
// documentation orders its roles without numbering them (README.md, 1.1).
func ranksInOrder(roles ...string) roleRanks {
	r := make(roleRanks, len(roles))
	for i, role := range roles {
		r[role] = i + 1
	}
	return r
}

// known reports whether role is in the vocabulary.
func (r roleRanks) known(role string) bool {
	_, ok := r[role]
	return ok
}

// atLeast reports whether role ranks as high as floor. A role outside the
// vocabulary ranks below every role in it.
func (r roleRanks) atLeast(role, floor string) bool {
	return r.known(role) && r[role] >= r[floor]
}

// above reports whether role ranks strictly higher than other.
func (r roleRanks) above(role, other string) bool {
	return r[role] > r[other]
}
