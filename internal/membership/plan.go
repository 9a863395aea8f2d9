// Package membership decides how an organization's membership changes: what to send, in which
// order, and what to refuse or warn about, with the words the user sees. It knows no Terraform and
// sends nothing: it works on what the server holds (capgo.Member), what is wanted, whose API key
// it is and what the server can do, so that every path of both member resources (plan, apply,
// destroy, a second apply after a partial failure) follows the same rules.
package membership

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// Situation is what is known of an organization before a change.
type Situation struct {
	OrganizationID string
	// Members are the members and pending invitees the server holds.
	Members []capgo.Member
	// New is an organization created in the same run, not there yet: it will hold only its
	// creator, the API key's user, as an accepted super_admin. Members is then ignored.
	New bool
	// Unread: the members could not be read (the provider is not configured yet, or the list
	// failed). Only what needs no server state is decided.
	Unread bool
	// Key is the API key's own user, when the client can tell.
	Key Key
	// Server is what the server can do.
	Server capgo.Capabilities
	// AtPlan: the decision is for a plan. Other resources of the same run may still change who
	// is super_admin before this change is sent, so a removal that would be refused now is
	// announced rather than refused.
	AtPlan bool
}

// Key is the API key's own user; UID is "" when the client cannot tell whose key it is.
type Key struct {
	UID   string
	Email string // "" when no member list showed it
}

// Known reports whether the key's user is known.
func (k Key) Known() bool { return k.UID != "" }

// Permission is whether an accepted member may be removed and invited again to change their role,
// the only way a server that cannot change roles in place offers.
type Permission int

const (
	// Refused: such a role change is refused.
	Refused Permission = iota
	// Allowed: such a role change is made, and announced.
	Allowed
	// Undecided: not known until apply.
	Undecided
)

// PermissionOf is the permission a boolean setting gives, Undecided while it is unknown.
func PermissionOf(known, allowed bool) Permission {
	switch {
	case !known:
		return Undecided
	case allowed:
		return Allowed
	}
	return Refused
}

// Plan is the outcome of a decision: the changes in the order they must be sent, or why none may
// be; what the user should know; and the membership once every change is made.
type Plan struct {
	Changes  []Change
	Refusals []Finding
	Warnings []Finding
	// After is the membership once every change is made: a new invitation is pending, and so is a
	// member re-invited to change their role.
	After []capgo.Member
	// Kept are the members a release keeps.
	Kept []capgo.Member
}

// Refused reports whether nothing may be sent.
func (p Plan) Refused() bool { return len(p.Refusals) > 0 }

// Action is what one change does.
type Action int

const (
	// Invite invites someone who is not in the organization.
	Invite Action = iota + 1
	// ChangeRole changes a role in place.
	ChangeRole
	// Reinvite changes a role by removing the member and inviting them again.
	Reinvite
	// Remove removes an accepted member or revokes a pending invitation.
	Remove
)

// Change is one write.
type Change struct {
	Action Action
	// Email is as the server lists the member, or as written for a new invitation: the server
	// may match emails case included.
	Email string
	// Role is the role wanted, as written; Send is its name for the server.
	Role, Send string
	// Before is the member as the server holds them (not for Invite).
	Before capgo.Member
	// Guarded changes remove or demote someone who controls the organization: they go one at a
	// time, after every other write to the organization, and are checked again just before (see
	// Recheck), as another write may have changed who else controls it.
	Guarded bool
	// Own changes are on the API key's own membership: they go last of all.
	Own bool
}

func (c Change) String() string {
	switch c.Action {
	case Invite:
		return fmt.Sprintf("invite %s as %q", c.Email, c.Role)
	case ChangeRole:
		return fmt.Sprintf("change the role of %s from %q to %q", c.Email, c.Before.Role, c.Role)
	case Reinvite:
		return fmt.Sprintf("change the role of %s from %q to %q by removing and re-inviting them", c.Email, c.Before.Role, c.Role)
	case Remove:
		if c.Before.Pending() {
			return "revoke the invitation of " + c.Email
		}
		return "remove " + c.Email
	}
	return "no change"
}

// order sorts the changes as they must be sent: ordinary ones first, then guarded ones, the key's
// own last; by email within each, so that every run sends and says the same.
func (p *Plan) order() {
	rank := func(c Change) int {
		switch {
		case !c.Guarded:
			return 0
		case !c.Own:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(p.Changes, func(a, b Change) int {
		if r := cmp.Compare(rank(a), rank(b)); r != 0 {
			return r
		}
		return cmp.Compare(strings.ToLower(a.Email), strings.ToLower(b.Email))
	})
}

func (p *Plan) refuse(f Finding) { p.Refusals = append(p.Refusals, f) }
func (p *Plan) warn(f Finding)   { p.Warnings = append(p.Warnings, f) }

// members is what the organization holds before the change.
func (s Situation) members() []capgo.Member {
	if !s.New {
		return s.Members
	}
	if s.Key.Known() && s.Key.Email != "" {
		return []capgo.Member{{UID: s.Key.UID, Email: s.Key.Email, Role: capgo.RoleSuperAdmin, Status: capgo.MemberActive}}
	}
	return nil
}

// isOwn reports whether m is the API key's own user.
func (s Situation) isOwn(m capgo.Member) bool { return s.Key.Known() && m.UID == s.Key.UID }

// organization names the organization in messages.
func (s Situation) organization() string {
	if s.OrganizationID == "" {
		return "the new organization"
	}
	return "organization " + s.OrganizationID
}

// roleChange is the change that gives current role: in place where the server can, else by
// re-invitation.
func (s Situation) roleChange(current capgo.Member, role string) Change {
	c := Change{Action: ChangeRole, Email: current.Email, Role: role, Before: current, Own: s.isOwn(current)}
	if !s.Server.ChangesRolesInPlace {
		c.Action = Reinvite
	}
	// Promoting an admin to super_admin in place takes control from no one.
	c.Guarded = current.ControlsOrganization() && (c.Action == Reinvite || !capgo.IsSuperAdminRole(role))
	return c
}

// removal is the change that removes m.
func (s Situation) removal(m capgo.Member) Change {
	return Change{Action: Remove, Email: m.Email, Before: m, Guarded: m.ControlsOrganization(), Own: s.isOwn(m)}
}

// add appends c, with the role's name for the server; a role the server has no name for is
// refused (decided only once the server is known).
func (p *Plan) add(s Situation, c Change) {
	if c.Action != Remove {
		c.Send = c.Role
		if s.Server.Known {
			sent, ok := s.Server.RoleToSend(c.Role)
			if !ok {
				p.refuse(roleNotTaken(c.Role))
				return
			}
			c.Send = sent
		}
	}
	p.Changes = append(p.Changes, c)
}

// after is m as a change leaves them.
func after(c Change) capgo.Member {
	m := c.Before
	switch c.Action {
	case Invite:
		return capgo.Member{Email: c.Email, Role: c.Role, Status: capgo.MemberPending}
	case Reinvite:
		m.Role, m.Status = c.Role, capgo.MemberPending
	case ChangeRole:
		m.Role = c.Role
	}
	return m
}

// isAcceptedSuperAdmin reports an accepted member in full control of the organization.
func isAcceptedSuperAdmin(m capgo.Member) bool { return !m.Pending() && capgo.IsSuperAdminRole(m.Role) }

// isLastAcceptedSuperAdmin reports whether email is the only accepted super_admin among members.
// Capgo's documented API refuses to lose the last one, and its production API deletes the whole
// organization instead; neither is ever asked for.
func isLastAcceptedSuperAdmin(members []capgo.Member, email string) bool {
	target, others := false, 0
	for _, m := range members {
		if !isAcceptedSuperAdmin(m) {
			continue
		}
		if strings.EqualFold(m.Email, email) {
			target = true
		} else {
			others++
		}
	}
	return target && others == 0
}

// Find finds an email among members without regard to case, as Capgo compares them.
func Find(members []capgo.Member, email string) (capgo.Member, bool) {
	for _, m := range members {
		if strings.EqualFold(m.Email, email) {
			return m, true
		}
	}
	return capgo.Member{}, false
}

// ByEmail indexes members by lower-case email, the first of any that differ in case only, as Find
// would find them: one lookup each, where a scan for each member would make a large membership
// quadratic.
func ByEmail(members []capgo.Member) map[string]capgo.Member {
	out := make(map[string]capgo.Member, len(members))
	for _, m := range members {
		key := strings.ToLower(m.Email)
		if _, seen := out[key]; !seen {
			out[key] = m
		}
	}
	return out
}

// SameEmail reports whether two emails name the same Capgo account: Capgo compares them without
// regard to case.
func SameEmail(a, b string) bool { return strings.EqualFold(a, b) }
