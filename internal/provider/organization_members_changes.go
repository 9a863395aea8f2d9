package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// membershipChanges are the writes that turn the members the server holds into the configured
// ones.
type membershipChanges struct {
	invites []memberInvite
	roles   []memberRoleChange
	removes []capgo.Member
	// outcome is the membership once every write is done: a new invitation is pending, and so is a
	// member re-invited to change their role (Capgo's production API).
	outcome []capgo.Member
}

type memberInvite struct{ email, role string }

type memberRoleChange struct {
	current capgo.Member
	role    string
}

func (c membershipChanges) empty() bool {
	return len(c.invites) == 0 && len(c.roles) == 0 && len(c.removes) == 0
}

// changesFor compares the configured roles (by email, any case) with the server's members.
func changesFor(configured map[string]string, members []capgo.Member, api capgo.API) membershipChanges {
	var c membershipChanges
	emails := make([]string, 0, len(configured))
	for email := range configured {
		emails = append(emails, email)
	}
	slices.Sort(emails) // the same order, and the same messages, in every run
	byEmail := membersByEmail(members)
	for _, email := range emails {
		role := configured[email]
		current, found := byEmail[strings.ToLower(email)]
		switch {
		case !found:
			c.invites = append(c.invites, memberInvite{email: email, role: role})
			c.outcome = append(c.outcome, capgo.Member{Email: email, Role: role, Status: capgo.MemberPending})
		case capgo.SameRole(role, current.Role):
			c.outcome = append(c.outcome, current)
		default:
			c.roles = append(c.roles, memberRoleChange{current: current, role: role})
			after := current
			after.Role = role
			if !api.ChangesRolesInPlace() {
				after.Status = capgo.MemberPending
			}
			c.outcome = append(c.outcome, after)
		}
	}
	listed := indexByEmail(configured)
	for _, m := range members {
		if _, _, ok := listed.find(m.Email); !ok {
			c.removes = append(c.removes, m)
		}
	}
	return c
}

// refusals are the reasons the changes must not be made at all, checked before anything is sent:
//   - the API key's own user must stay, with a role that controls the organization: without it,
//     nothing this provider does there afterwards can be done or verified;
//   - an accepted super_admin must remain: Capgo's documented API refuses to lose the last one, and
//     its production API deletes the whole organization instead;
//   - Capgo's production API changes an accepted member's role only by removing and re-inviting
//     them, which cuts off their access, so only when reinvite_on_role_change allows it.
func (c membershipChanges) refusals(ctx context.Context, client *capgo.Client, orgID string, members []capgo.Member, reinvite bool) diag.Diagnostics {
	var diags diag.Diagnostics
	if c.empty() {
		return diags
	}
	api := client.API()
	for _, change := range c.roles {
		if !api.ChangesRolesInPlace() && !change.current.Pending() && !reinvite {
			diags.AddAttributeError(pathMembers, "Role change needs a new invitation",
				acceptedRoleChangeDetail(orgID, change.current.Email, change.current.Role, change.role))
		}
	}
	if uid, known := client.KeyUserID(ctx); known {
		if own, isMember := memberByUID(members, uid); isMember {
			after, stays := findMember(c.outcome, own.Email)
			switch {
			case !stays:
				diags.AddAttributeError(pathMembers, "The API key's own user must stay in the organization",
					fmt.Sprintf("%s is the user the API key belongs to, and is not in members of organization %s. Removing "+
						"them would leave Terraform unable to manage the organization. Add %q to members with role "+
						"\"admin\" or \"super_admin\". Nothing was changed.", own.Email, orgID, own.Email))
			case !after.ControlsOrganization():
				diags.AddAttributeError(pathMembers, "The API key's own user must keep control of the organization",
					fmt.Sprintf("%s is the user the API key belongs to. %s; then the key could no longer manage the "+
						"members of organization %s. Give them role \"admin\" or \"super_admin\" (and, against Capgo's "+
						"production API, leave an accepted member's role as it is). Nothing was changed.",
						own.Email, outcomeOf(own, after), orgID))
			}
		}
	}
	if !slices.ContainsFunc(c.outcome, isAcceptedSuperAdmin) {
		diags.AddAttributeError(pathMembers, "The organization must keep an accepted super_admin",
			fmt.Sprintf("After these changes organization %s would have no accepted super_admin: %s. Keep at least one "+
				"member who has accepted their invitation with role \"super_admin\" (or \"org_super_admin\"). Nothing "+
				"was changed.", orgID, superAdminLoss(members, c.outcome, api)))
	}
	return diags
}

func isAcceptedSuperAdmin(m capgo.Member) bool { return !m.Pending() && capgo.IsSuperAdminRole(m.Role) }

func memberByUID(members []capgo.Member, uid string) (capgo.Member, bool) {
	for _, m := range members {
		if m.UID == uid && uid != "" {
			return m, true
		}
	}
	return capgo.Member{}, false
}

// outcomeOf says what the changes do to a member, for the messages.
func outcomeOf(before, after capgo.Member) string {
	if after.Pending() && !before.Pending() {
		return fmt.Sprintf("Changing their role to %q removes and re-invites them (Capgo's production API), so they would have no access until they accept again", after.Role)
	}
	return fmt.Sprintf("With role %q they cannot manage the organization", after.Role)
}

// superAdminLoss names the accepted super_admins the changes would remove, demote or re-invite.
func superAdminLoss(before, after []capgo.Member, api capgo.API) string {
	var lost []string
	for _, m := range before {
		if !isAcceptedSuperAdmin(m) {
			continue
		}
		now, stays := findMember(after, m.Email)
		switch {
		case !stays:
			lost = append(lost, m.Email+" is not in members")
		case !capgo.IsSuperAdminRole(now.Role):
			lost = append(lost, fmt.Sprintf("%s would become %q", m.Email, now.Role))
		case !api.ChangesRolesInPlace():
			lost = append(lost, m.Email+" would be re-invited, and pending until they accept")
		}
	}
	if len(lost) == 0 {
		return "there is none now"
	}
	return strings.Join(lost, "; ")
}
