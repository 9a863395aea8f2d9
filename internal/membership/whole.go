package membership

import (
	"slices"
	"strings"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// Wanted is a whole membership (capgo_organization_members): whoever it does not list goes.
type Wanted struct {
	// Roles are the roles wanted, by email as written (any letter case).
	Roles map[string]string
	// Reinvite is whether accepted members may be re-invited to change their role.
	Reinvite Permission
	// Creating: the membership is not under management yet. A plan then shows only the new map,
	// not who goes or changes, so the plan warns of it.
	Creating bool
}

// SetMembership plans making the organization's membership exactly w, refusing what would leave
// the API key's user out of control or the organization without an accepted super_admin.
func SetMembership(s Situation, w Wanted) Plan {
	var p Plan
	emails := make([]string, 0, len(w.Roles))
	for email := range w.Roles {
		emails = append(emails, email)
	}
	slices.Sort(emails) // the same order, and the same messages, in every run
	p.Refusals = append(p.Refusals, Duplicates(emails)...)
	listed := make(map[string]bool, len(emails))
	for _, email := range emails {
		listed[strings.ToLower(email)] = true
	}
	if s.Unread {
		p.checkConfiguredSuperAdmin(s, w)
		return p
	}

	current := s.members()
	byEmail := ByEmail(current)
	var reinvited []Change
	for _, email := range emails {
		role := w.Roles[email]
		m, found := byEmail[strings.ToLower(email)]
		switch {
		case !found:
			c := Change{Action: Invite, Email: email, Role: role}
			p.add(s, c)
			p.After = append(p.After, after(c))
		case capgo.SameRole(role, m.Role):
			p.After = append(p.After, m)
		default:
			c := s.roleChange(m, role)
			p.add(s, c)
			p.After = append(p.After, after(c))
			if c.Action == Reinvite && !m.Pending() {
				switch w.Reinvite {
				case Refused:
					p.refuse(needsReinvitation(s, c))
				case Allowed:
					reinvited = append(reinvited, c)
				}
			}
		}
	}
	for _, m := range current {
		if _, ok := listed[strings.ToLower(m.Email)]; !ok {
			p.add(s, s.removal(m))
		}
	}
	p.order()
	if len(reinvited) > 0 {
		p.warn(reinvites(s, reinvited))
	}
	if w.Creating && slices.ContainsFunc(p.Changes, func(c Change) bool { return c.Action != Invite }) {
		p.warn(takesOver(s, p.Changes))
	}
	p.checkKeyUser(s, current)
	if s.New && len(current) == 0 {
		// Nothing is known of the creator: at least the configuration must name a super_admin.
		p.checkConfiguredSuperAdmin(s, w)
	} else if !slices.ContainsFunc(p.After, isAcceptedSuperAdmin) {
		p.refuse(noSuperAdmin(s, superAdminLoss(current, p.After, s.Server)))
	}
	return p
}

// Duplicates refuses emails that differ in letter case only: they name one Capgo account.
func Duplicates(emails []string) []Finding {
	sorted := slices.Clone(emails)
	slices.Sort(sorted)
	var found []Finding
	seen := make(map[string]string, len(sorted))
	for _, email := range sorted {
		folded := strings.ToLower(email)
		if first, dup := seen[folded]; dup {
			found = append(found, duplicateEmail(first, email))
			continue
		}
		seen[folded] = email
	}
	return found
}

// checkKeyUser refuses to leave the API key's own user out of the organization or without
// control of it: nothing the provider does there afterwards could be done or verified. When the
// key's user is unknown and the plan takes control from someone, the check waits for the apply.
func (p *Plan) checkKeyUser(s Situation, current []capgo.Member) {
	own, isMember := capgo.Member{}, false
	if s.Key.Known() {
		own, isMember = s.memberByUID(current)
	}
	if !isMember {
		takesControl := slices.ContainsFunc(p.Changes, func(c Change) bool { return c.Guarded })
		if !s.Key.Known() && (takesControl || s.New) {
			p.warn(keyUserUnknown(s))
		}
		return
	}
	then, stays := Find(p.After, own.Email)
	switch {
	case !stays:
		p.refuse(keyUserLeftOut(s, own))
	case !then.ControlsOrganization():
		p.refuse(keyUserLosesControl(s, own, then))
	}
}

// checkConfiguredSuperAdmin refuses a membership that names no super_admin at all: whatever the
// server holds, none would be left once everyone else is removed or demoted.
func (p *Plan) checkConfiguredSuperAdmin(s Situation, w Wanted) {
	for _, role := range w.Roles {
		if capgo.IsSuperAdminRole(role) {
			return
		}
	}
	p.refuse(noSuperAdmin(s, "members names no one with role \"super_admin\""))
}

func (s Situation) memberByUID(members []capgo.Member) (capgo.Member, bool) {
	for _, m := range members {
		if m.UID == s.Key.UID {
			return m, true
		}
	}
	return capgo.Member{}, false
}

// superAdminLoss names the accepted super_admins the changes would remove, demote or re-invite.
func superAdminLoss(before, then []capgo.Member, server capgo.Capabilities) string {
	var lost []string
	for _, m := range before {
		if !isAcceptedSuperAdmin(m) {
			continue
		}
		now, stays := Find(then, m.Email)
		switch {
		case !stays:
			lost = append(lost, m.Email+" is not in members")
		case !capgo.IsSuperAdminRole(now.Role):
			lost = append(lost, m.Email+" would become \""+now.Role+"\"")
		case !server.ChangesRolesInPlace:
			lost = append(lost, m.Email+" would be re-invited, and pending until they accept")
		}
	}
	if len(lost) == 0 {
		return "there is none now"
	}
	return strings.Join(lost, "; ")
}

// ReleaseMembership plans the destroy of a whole membership: every listed member goes but the API
// key's own user, whose removal would cut Terraform off the organization, and an accepted
// super_admin, without whom the organization cannot be (Capgo's production API deletes it). When
// the key's user is unknown, every accepted member who controls the organization stays, as any
// of them may be the key's.
func ReleaseMembership(s Situation, listedEmails []string) Plan {
	var p Plan
	if s.Unread || s.New {
		return p
	}
	wanted := make(map[string]bool, len(listedEmails))
	for _, email := range listedEmails {
		wanted[strings.ToLower(email)] = true
	}
	var listed []capgo.Member
	for _, m := range s.Members {
		if wanted[strings.ToLower(m.Email)] {
			listed = append(listed, m)
		}
	}
	keep := map[string]bool{}
	reason := "the API key's own user and an accepted super_admin stay, as an organization needs them"
	if !s.Key.Known() {
		reason = "the provider cannot tell whose API key it uses, so it keeps every accepted admin and super_admin"
		for _, m := range listed {
			if m.ControlsOrganization() {
				keep[m.Email] = true
			}
		}
	} else {
		keepsSuperAdmin := false
		for _, m := range listed {
			if s.isOwn(m) {
				keep[m.Email] = true
				keepsSuperAdmin = isAcceptedSuperAdmin(m)
			}
		}
		if i := slices.IndexFunc(listed, isAcceptedSuperAdmin); !keepsSuperAdmin && i >= 0 {
			keep[listed[i].Email] = true
		}
	}
	var names []string
	for _, m := range listed {
		if keep[m.Email] {
			p.Kept = append(p.Kept, m)
			names = append(names, m.Email)
			continue
		}
		p.add(s, s.removal(m))
	}
	p.order()
	if len(names) > 0 {
		p.warn(kept(s, names, reason))
	}
	return p
}
