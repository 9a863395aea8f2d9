package membership

import (
	"fmt"
	"strings"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// Rule names a reason to refuse or to warn, so that callers and tests can tell findings apart
// without reading their words.
type Rule int

const (
	// KeyUserLeftOut: the whole membership leaves out the API key's own user.
	KeyUserLeftOut Rule = iota + 1
	// KeyUserLosesControl: the API key's own user is left without a role that controls the
	// organization.
	KeyUserLosesControl
	// NoSuperAdmin: the whole membership leaves no accepted super_admin.
	NoSuperAdmin
	// LastSuperAdmin: removing, demoting or re-inviting the last accepted super_admin.
	LastSuperAdmin
	// NeedsReinvitation: an accepted member's role changes only by re-invitation, not allowed.
	NeedsReinvitation
	// OwnReinvitation: the API key's own accepted membership would have to be re-invited, which
	// the key can no longer do once it is removed.
	OwnReinvitation
	// DuplicateEmail: two emails that differ in letter case only.
	DuplicateEmail
	// RoleNotTaken: the server has no name for the role.
	RoleNotTaken
	// AlreadyMember: an invitation of someone already in the organization.
	AlreadyMember
	// MemberGone: a role change of someone no longer in the organization.
	MemberGone

	// Reinvites: a role change removes an accepted member and invites them again.
	Reinvites
	// TakesOver: a whole membership created for an organization that has members it does not
	// list, or with other roles.
	TakesOver
	// KeyUserUnknown: the provider cannot tell whose key it uses, so a check waits for the apply.
	KeyUserUnknown
	// AccessLoss: the change removes or demotes the API key's own membership.
	AccessLoss
	// MayBeKeyUser: the change removes an admin who may be the key's own user.
	MayBeKeyUser
	// RemovesSuperAdmin: a super_admin goes, and nothing is known of the others.
	RemovesSuperAdmin
	// RoleUnknown: the member holds a role this provider does not assign.
	RoleUnknown
	// Kept: a release keeps some members.
	Kept
)

// Subject is what a finding is about, for the caller to point at.
type Subject int

const (
	// AboutMembers: the membership as a whole (or one member in it).
	AboutMembers Subject = iota
	// AboutRole: the role asked for.
	AboutRole
	// AboutEmail: the person.
	AboutEmail
)

// Finding is a refusal or a warning, with the words the user sees.
type Finding struct {
	Rule    Rule
	Subject Subject
	// Email is the member it is about, "" for the membership as a whole.
	Email   string
	Summary string
	Detail  string
}

// LastSuperAdminWayOut is what to do instead of removing or demoting the last super_admin.
const LastSuperAdminWayOut = "Give another member the super_admin role first and wait until they have accepted " +
	"their invitation. To delete the whole organization instead, first stop managing this membership without " +
	"removing it (a removed block with destroy = false, or terraform state rm), then destroy the capgo_organization."

// lastSuperAdmin refuses to take the last accepted super_admin away. Against a server that deletes
// the organization with them the stakes are higher, and the words say so.
func lastSuperAdmin(s Situation, m capgo.Member, summary, change string) Finding {
	consequence := "would leave the organization without anyone in full control"
	if s.Server.DeletesOrganizationWithLastSuperAdmin {
		consequence = "would make Capgo delete the whole organization, with all its apps (this is what its " +
			"production API does when the last org_super_admin goes)"
	}
	return Finding{Rule: LastSuperAdmin, Subject: AboutRole, Email: m.Email, Summary: summary,
		Detail: fmt.Sprintf("%s is the last accepted super_admin of %s; %s %s, so the provider refuses, "+
			"and nothing was changed.\n\n%s", m.Email, s.organization(), change, consequence, LastSuperAdminWayOut)}
}

// lastSuperAdminAnnounced tells a plan that the removal of the last accepted super_admin will be
// refused, unless another change of the run gives the organization another one first.
func lastSuperAdminAnnounced(s Situation, m capgo.Member, change string) Finding {
	return Finding{Rule: LastSuperAdmin, Subject: AboutEmail, Email: m.Email,
		Summary: "The removal of the last super_admin will be refused",
		Detail: fmt.Sprintf("The plan %s the membership of %s, the last accepted super_admin of %s. "+
			"The provider will refuse to remove them, and the apply will stop there.\n\n%s",
			change, m.Email, s.organization(), LastSuperAdminWayOut)}
}

func needsReinvitation(s Situation, c Change) Finding {
	return Finding{Rule: NeedsReinvitation, Subject: AboutRole, Email: c.Email, Summary: "Role change needs a new invitation",
		Detail: fmt.Sprintf("%s has accepted their invitation to %s with role %q. Capgo's production API "+
			"cannot change the role of an accepted member: the only way is to remove them and invite them again as %q, "+
			"and they have no access until they accept that new invitation. Nothing was changed.\n\n"+
			"To do that, set reinvite_on_role_change = true on this resource. Or change the role in the Capgo console "+
			"and set role to match it.", c.Email, s.organization(), c.Before.Role, c.Role)}
}

func reinvites(s Situation, changes []Change) Finding {
	names := make([]string, len(changes))
	for i, c := range changes {
		names[i] = fmt.Sprintf("%s (%q to %q)", c.Email, c.Before.Role, c.Role)
	}
	email := ""
	if len(changes) == 1 {
		email = changes[0].Email
	}
	return Finding{Rule: Reinvites, Subject: AboutRole, Email: email, Summary: "This role change re-invites the member",
		Detail: fmt.Sprintf("Capgo's production API cannot change the role of a member who has accepted their "+
			"invitation. As reinvite_on_role_change is true, the apply removes them from %s and invites them again "+
			"with the new role: they have no access until they accept the new invitation. Re-invited: %s.",
			s.organization(), strings.Join(names, ", "))}
}

func ownReinvitation(s Situation, c Change) Finding {
	return Finding{Rule: OwnReinvitation, Subject: AboutRole, Email: c.Email, Summary: "Cannot change the role of the API key's own membership",
		Detail: fmt.Sprintf("%s is the user the API key belongs to. Capgo's production API changes a role by removing the "+
			"member and inviting them again as %q; once the key's user is removed from %s, the key can "+
			"no longer invite anyone there, itself included. Nothing was changed.\n\n"+
			"Change this role in the Capgo console, or with the API key of another org_super_admin of the "+
			"organization, then set role to match.", c.Email, c.Role, s.organization())}
}

func duplicateEmail(first, second string) Finding {
	return Finding{Rule: DuplicateEmail, Subject: AboutEmail, Email: second, Summary: "Duplicate member",
		Detail: fmt.Sprintf("members lists %q and %q, the same Capgo account: emails are compared without regard to "+
			"case. Keep one of them.", first, second)}
}

func roleNotTaken(role string) Finding {
	return Finding{Rule: RoleNotTaken, Subject: AboutRole, Summary: "Role unknown to this Capgo server",
		Detail: fmt.Sprintf("role = %q exists only in Capgo's production API, and this server speaks the documented "+
			"API, whose roles are %s. Use one of those (org_member there means any of \"read\", \"upload\" and \"write\").",
			role, quoted(capgo.PlainRoles()))}
}

// alreadyMember refuses to invite someone already there, and shows how to import them under the
// email as written.
func alreadyMember(s Situation, email string, existing capgo.Member) Finding {
	what := "a member"
	if existing.Pending() {
		what = "invited (pending)"
	}
	id := s.OrganizationID + "/" + email
	return Finding{Rule: AlreadyMember, Subject: AboutEmail, Email: existing.Email, Summary: "Already a member of the organization",
		Detail: fmt.Sprintf("%s is already %s in %s, with role %q. Nothing was changed.\n\n"+
			"To manage this membership with Terraform, import it:\n\n"+
			"  terraform import capgo_organization_member.<name> %s\n\n"+
			"or add an import block:\n\n"+
			"  import {\n    to = capgo_organization_member.<name>\n    id = %q\n  }",
			existing.Email, what, s.organization(), existing.Role, id, id)}
}

func memberGone(s Situation, email, role string) Finding {
	return Finding{Rule: MemberGone, Subject: AboutEmail, Email: email, Summary: "Member no longer in the organization",
		Detail: fmt.Sprintf("%s was removed from %s after the plan was made. Run terraform apply again "+
			"to invite them with role %q.", email, s.organization(), role)}
}

func keyUserLeftOut(s Situation, own capgo.Member) Finding {
	return Finding{Rule: KeyUserLeftOut, Subject: AboutMembers, Email: own.Email, Summary: "The API key's own user must stay in the organization",
		Detail: fmt.Sprintf("%s is the user the API key belongs to, and is not in members of %s. Removing "+
			"them would leave Terraform unable to manage the organization. Add %q to members with role "+
			"\"admin\" or \"super_admin\". Nothing was changed.", own.Email, s.organization(), own.Email)}
}

func keyUserLosesControl(s Situation, own, after capgo.Member) Finding {
	why := fmt.Sprintf("With role %q they cannot manage the organization", after.Role)
	if after.Pending() && !own.Pending() {
		why = fmt.Sprintf("Changing their role to %q removes and re-invites them (Capgo's production API), so they "+
			"would have no access until they accept again", after.Role)
	}
	return Finding{Rule: KeyUserLosesControl, Subject: AboutMembers, Email: own.Email, Summary: "The API key's own user must keep control of the organization",
		Detail: fmt.Sprintf("%s is the user the API key belongs to. %s; then the key could no longer manage the "+
			"members of %s. Give them role \"admin\" or \"super_admin\" (and, against Capgo's "+
			"production API, leave an accepted member's role as it is). Nothing was changed.",
			own.Email, why, s.organization())}
}

func noSuperAdmin(s Situation, why string) Finding {
	return Finding{Rule: NoSuperAdmin, Subject: AboutMembers, Summary: "The organization must keep an accepted super_admin",
		Detail: fmt.Sprintf("After these changes %s would have no accepted super_admin: %s. Keep at least one "+
			"member who has accepted their invitation with role \"super_admin\" (or \"org_super_admin\"). Nothing "+
			"was changed.", s.organization(), why)}
}

func keyUserUnknown(s Situation) Finding {
	return Finding{Rule: KeyUserUnknown, Subject: AboutMembers, Summary: "Cannot tell whose API key this is yet",
		Detail: fmt.Sprintf("The provider cannot tell yet which user the API key belongs to (it can once the key's user "+
			"is in more than one organization, or has created %s), so it cannot check at plan time that this "+
			"user stays in members with role \"admin\" or \"super_admin\". The apply checks it before it sends any "+
			"change to the members, and refuses otherwise. List the key's user in members with such a role.",
			s.organization())}
}

// takesOver names whom creating a whole membership removes, invites and changes, as the plan of a
// create shows only the new map.
func takesOver(s Situation, changes []Change) Finding {
	var removed, invited, changed []string
	for _, c := range changes {
		switch c.Action {
		case Remove:
			removed = append(removed, c.Email)
		case Invite:
			invited = append(invited, c.Email)
		default:
			changed = append(changed, fmt.Sprintf("%s (%q to %q%s)", c.Email, c.Before.Role, c.Role,
				map[bool]string{true: ", re-invited", false: ""}[c.Action == Reinvite]))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s already has members. Creating capgo_organization_members makes its membership exactly "+
		"members, so the apply will:", strings.ToUpper(s.organization()[:1])+s.organization()[1:])
	list := func(what string, names []string) {
		if len(names) > 0 {
			fmt.Fprintf(&b, "\n  - %s: %s", what, strings.Join(names, ", "))
		}
	}
	list("remove", removed)
	list("change the role of", changed)
	list("invite", invited)
	b.WriteString("\n\nTo keep someone, add them to members.")
	return Finding{Rule: TakesOver, Subject: AboutMembers, Summary: "This plan changes existing members", Detail: b.String()}
}

func accessLoss(s Situation, m capgo.Member, change string) Finding {
	return Finding{Rule: AccessLoss, Subject: AboutEmail, Email: m.Email, Summary: "Terraform will lose access to the organization",
		Detail: fmt.Sprintf("The plan %s the membership of %s, the user the API key belongs to, in %s. "+
			"The provider removes it after its other changes to the organization in this run; from then on "+
			"the key can no longer see the organization, and later runs cannot manage it with this key.",
			change, m.Email, s.organization())}
}

func ownDemotion(s Situation, m capgo.Member, role string) Finding {
	return Finding{Rule: AccessLoss, Subject: AboutRole, Email: m.Email, Summary: "This plan demotes the API key's own membership",
		Detail: fmt.Sprintf("%s is the user the API key belongs to. With role %q they can no longer manage the members "+
			"of %s, so later changes there will be refused for this key.", m.Email, role, s.organization())}
}

func mayBeKeyUser(s Situation, m capgo.Member, change string) Finding {
	return Finding{Rule: MayBeKeyUser, Subject: AboutEmail, Email: m.Email, Summary: "This plan removes an admin of the organization",
		Detail: fmt.Sprintf("The plan %s the membership of %s, an accepted %s of %s. The provider cannot "+
			"tell whose API key it uses (it can when the key's user is in more than one organization); if it is "+
			"%s's, Terraform loses access to the organization once the membership is removed. The provider "+
			"removes memberships of admins after its other changes to the organization in this run.",
			change, m.Email, m.Role, s.organization(), m.Email)}
}

func removesSuperAdmin(s Situation, email, change string) Finding {
	return Finding{Rule: RemovesSuperAdmin, Subject: AboutEmail, Email: email, Summary: "This plan removes a super_admin",
		Detail: fmt.Sprintf("The plan %s the membership of %s, a super_admin of %s. If they are its last "+
			"accepted super_admin, the provider will refuse to remove them and the apply will stop there.",
			change, email, s.organization())}
}

func roleUnknown(s Situation, m capgo.Member, role string) Finding {
	return Finding{Rule: RoleUnknown, Subject: AboutRole, Email: m.Email, Summary: "Role unknown to the provider",
		Detail: fmt.Sprintf("Capgo reports role %q for %s in %s, a role this provider does not assign (given "+
			"in the Capgo console). This plan replaces it with %q. To keep it, manage this membership in the Capgo "+
			"console instead: remove the resource from Terraform without destroying it (a removed block with "+
			"destroy = false).", m.Role, m.Email, s.organization(), role)}
}

// kept says whom a release keeps, and why: a destroy that seems to empty the organization must not
// leave people with access unsaid. The plan and the apply say it alike.
func kept(s Situation, names []string, reason string) Finding {
	return Finding{Rule: Kept, Subject: AboutMembers, Summary: "Some members are kept",
		Detail: fmt.Sprintf("Destroying capgo_organization_members removes every listed member of %s but %s: %s. "+
			"They stay members; remove them in the Capgo console, or delete the organization.",
			s.organization(), strings.Join(names, ", "), reason)}
}

func quoted(values []string) string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(out, ", ")
}
