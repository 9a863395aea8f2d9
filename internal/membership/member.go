package membership

import (
	"slices"
	"strings"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// One membership (capgo_organization_member). The other members of the organization are not this
// resource's: other resources of the same run may change them, so what depends on them (who else
// is super_admin) is checked again just before a guarded write is sent.

// InviteMember plans inviting email with role. Someone already in the organization is refused:
// the documented API's invitation would change their role, and an existing membership is brought
// under management by importing it.
func InviteMember(s Situation, email, role string) Plan {
	var p Plan
	if !s.Unread {
		if existing, found := Find(s.members(), email); found {
			if !s.AtPlan {
				p.refuse(alreadyMember(s, email, existing))
				return p
			}
			// The run may remove them first (the destroy half of a replacement): the apply decides.
			f := alreadyMember(s, email, existing)
			f.Detail = strings.Replace(f.Detail, "Nothing was changed.", "Unless this run removes them first (a "+
				"replacement), the apply will refuse to invite them.", 1)
			p.warn(f)
		}
	}
	c := Change{Action: Invite, Email: email, Role: role}
	p.add(s, c)
	p.After = []capgo.Member{after(c)}
	return p
}

// SetMemberRole plans giving email role: in place where the server can, else by removing and
// re-inviting them, which an accepted member allows only through reinvite. The last accepted
// super_admin is never demoted or re-invited, and the API key's own accepted membership never
// re-invited: once removed, the key could not invite it again.
func SetMemberRole(s Situation, email, role string, reinvite Permission) Plan {
	var p Plan
	if s.Unread {
		return p
	}
	members := s.members()
	current, found := Find(members, email)
	if !found {
		p.refuse(memberGone(s, email, role))
		return p
	}
	p.After = []capgo.Member{current}
	if capgo.SameRole(role, current.Role) {
		return p // the server holds that role already
	}
	if !slices.Contains(capgo.PlainRoles(), current.Role) && !slices.Contains(capgo.OrgRoles(), current.Role) {
		p.warn(roleUnknown(s, current, role))
	}
	c := s.roleChange(current, role)
	last := isLastAcceptedSuperAdmin(members, current.Email)
	switch {
	case c.Action == ChangeRole && last && !capgo.IsSuperAdminRole(role):
		p.refuse(lastSuperAdmin(s, current, "Cannot demote the last super_admin", "demoting them to "+role))
		return p
	case c.Action == ChangeRole:
		if c.Own && c.Guarded {
			p.warn(ownDemotion(s, current, role))
		}
	case c.Own && !current.Pending() && !last:
		p.refuse(ownReinvitation(s, c))
		return p
	case last:
		p.refuse(lastSuperAdmin(s, current, "Cannot change the role of the last org_super_admin",
			"changing their role (which Capgo's production API does by removing and re-inviting them)"))
		return p
	case !current.Pending() && reinvite == Refused:
		p.refuse(needsReinvitation(s, c))
		return p
	case !current.Pending() && reinvite == Allowed:
		// Revoking and re-sending a pending invitation loses nothing: no need to alarm anyone.
		p.warn(reinvites(s, []Change{c}))
	}
	p.add(s, c)
	p.After = []capgo.Member{after(c)}
	return p
}

// RemoveMember plans removing email, never the last accepted super_admin. change words it for
// a plan: "destroys" or "replaces". A member already gone needs nothing.
func RemoveMember(s Situation, email, role, change string) Plan {
	var p Plan
	if s.Unread {
		if s.AtPlan && capgo.IsSuperAdminRole(role) {
			p.warn(removesSuperAdmin(s, email, change))
		}
		return p
	}
	members := s.members()
	m, found := Find(members, email)
	if !found {
		return p
	}
	if isLastAcceptedSuperAdmin(members, m.Email) {
		if s.AtPlan {
			p.warn(lastSuperAdminAnnounced(s, m, change))
		} else {
			p.refuse(lastSuperAdmin(s, m, "Cannot remove the last super_admin", "removing them"))
		}
		return p
	}
	c := s.removal(m)
	switch {
	case !s.AtPlan || !c.Guarded:
	case c.Own:
		p.warn(accessLoss(s, m, change))
	case !s.Key.Known():
		p.warn(mayBeKeyUser(s, m, change))
	}
	p.add(s, c)
	return p
}

// Recheck decides again, on the members read just before it is sent, whether a guarded change
// may go: another write may have changed who else is super_admin since it was planned.
func Recheck(s Situation, c Change) []Finding {
	s.AtPlan = false
	switch c.Action {
	case Remove:
		return RemoveMember(s, c.Email, c.Before.Role, "").Refusals
	case ChangeRole, Reinvite:
		return SetMemberRole(s, c.Email, c.Role, Allowed).Refusals
	}
	return nil
}
