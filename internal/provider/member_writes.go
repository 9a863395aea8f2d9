package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// membersOf lists an organization's members with list, and reports gone when the organization no
// longer exists.
func membersOf(ctx context.Context, client *capgo.Client, orgID string,
	list func(context.Context, string) ([]capgo.Member, error),
) (members []capgo.Member, gone bool, err error) {
	members, err = list(ctx, orgID)
	if organizationGone(ctx, client, orgID, err) {
		return nil, true, nil
	}
	return members, false, err
}

// membersOfExisting is membersOf for callers to whom a missing organization is an error.
func membersOfExisting(ctx context.Context, client *capgo.Client, orgID string,
	list func(context.Context, string) ([]capgo.Member, error),
) ([]capgo.Member, diag.Diagnostics) {
	var diags diag.Diagnostics
	members, gone, err := membersOf(ctx, client, orgID, list)
	switch {
	case gone:
		diags.Append(organizationNotFoundDiagnostic(orgID))
	case err != nil:
		diags.Append(memberOrganizationDiagnostic(orgID, "list the members of", err))
	}
	return members, diags
}

// organizationGone reports whether err, the failure of a call on organization id, means that the
// organization no longer exists (or the key's user is no longer a member of it). Capgo's
// production API answers "no such organization" and "you may not do this in it" alike; the
// organization is then read to tell which it was, as forgetting an organization or its members
// for want of a right would be wrong.
func organizationGone(ctx context.Context, client *capgo.Client, id string, err error) bool {
	switch capgo.KindOf(err) {
	case capgo.KindNotFound:
		return true
	case capgo.KindNoAccess:
		_, err := client.GetOrganization(ctx, id)
		return capgo.KindOf(err) == capgo.KindNotFound
	}
	return false
}

// errReported ends a write whose reason is already in the diagnostics.
var errReported = errors.New("reported in the diagnostics")

// roleChangeIsGuarded reports whether changing current's role to role can take control away from
// them: any change of an accepted admin or super_admin (capgo.Member.ControlsOrganization) but
// admin to super_admin, and, against a server that changes roles by removing and re-inviting, any
// change of theirs at all. Removing or demoting such a member is a guarded write
// (capgo.WriteToOrganization).
func roleChangeIsGuarded(current capgo.Member, role string, api capgo.API) bool {
	if !current.ControlsOrganization() {
		return false
	}
	return !api.ChangesRolesInPlace() || !capgo.IsSuperAdminRole(role)
}

// memberWrite is one check-then-write on a membership, run through capgo.WriteToOrganization so
// that no other write of this provider process to the organization can come between the check
// and the write. It remembers the member it found, for the guard and the messages.
type memberWrite struct {
	r                *organizationMemberResource
	orgID, email     string
	action           string // "removed", "changed": what could not be done, for the messages
	target           capgo.Member
	targetIsOwn      bool
	diags            diag.Diagnostics
	organizationGone bool
}

// run calls capgo.WriteToOrganization with check, which gets the organization's members read
// afresh and the member (found false when they are not in it).
func (w *memberWrite) run(ctx context.Context,
	check func(ctx context.Context, members []capgo.Member, member capgo.Member, found, exclusive bool) error,
) {
	err := w.r.client.WriteToOrganization(ctx, w.orgID, w.guard, func(ctx context.Context, exclusive bool) error {
		members, gone, diags := membersForWrite(ctx, w.r.client, w.orgID, w.email, w.action)
		if diags.HasError() {
			w.diags.Append(diags...)
			return errReported
		}
		if gone {
			w.organizationGone = true
			return nil
		}
		member, found := findMember(members, w.email)
		if found {
			w.target = member
		}
		return check(ctx, members, member, found, exclusive)
	})
	switch {
	case err == nil:
		if w.target.ControlsOrganization() && w.r.client.AccessLost(w.orgID) {
			w.diags.Append(accessLostAfterDiagnostic(w.orgID, w.target.Email))
		}
	case errors.Is(err, errReported):
	case errors.Is(err, capgo.ErrAccessLost):
		w.diags.Append(accessLostDiagnostic(w.orgID, w.email, w.action))
	default:
		w.diags.Append(apiErrorDiagnostic(fmt.Sprintf("change the membership of %s in organization %s", w.email, w.orgID), err))
	}
}

// guard tells capgo.WriteToOrganization whether the guarded write is on the API key's own
// membership, so that it goes after every other write to the organization.
func (w *memberWrite) guard(ctx context.Context) capgo.Guard {
	guard := guardOfMember(ctx, w.r.client, w.target.UID)
	w.targetIsOwn = guard == capgo.GuardOwn
	return guard
}

// guardOfMember is the guard of a write on the member with user ID uid: GuardOwn for the API key's
// own user, whose write goes after every other to the organization, else GuardOther.
func guardOfMember(ctx context.Context, client *capgo.Client, uid string) capgo.Guard {
	if keyUser, known := client.KeyUserID(ctx); known && keyUser == uid {
		return capgo.GuardOwn
	}
	return capgo.GuardOther
}

// membersForWrite reads an organization's members afresh for a write. An organization the key can
// no longer see is gone only when this provider process deleted it; otherwise nothing about its
// members can be verified, and that is an error, never "already done".
func membersForWrite(ctx context.Context, client *capgo.Client, orgID, email, action string) ([]capgo.Member, bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	members, gone, err := membersOf(ctx, client, orgID, client.ListMembers)
	switch {
	case gone && client.DeletedOrganization(orgID):
		return nil, true, diags
	case gone && client.AccessLost(orgID):
		diags.Append(accessLostDiagnostic(orgID, email, action))
	case gone:
		diags.Append(organizationNotVisibleDiagnostic(orgID, email, action))
	case err != nil:
		diags.Append(memberOrganizationDiagnostic(orgID, "list the members of", err))
	}
	return members, false, diags
}

// removeMember removes email from the organization, unless they are its last accepted super_admin.
// A member already gone is success.
func (r *organizationMemberResource) removeMember(ctx context.Context, orgID, email string) diag.Diagnostics {
	w := &memberWrite{r: r, orgID: orgID, email: email, action: "removed"}
	w.run(ctx, func(ctx context.Context, members []capgo.Member, member capgo.Member, found, exclusive bool) error {
		if !found {
			return nil // already removed
		}
		if !exclusive && member.ControlsOrganization() {
			return capgo.ErrNeedsExclusive
		}
		if isLastAcceptedSuperAdmin(members, email) {
			w.diags.AddError("Cannot remove the last super_admin",
				lastSuperAdminDetail(orgID, member.Email, "removing them", r.client.API()))
			return errReported
		}
		if err := r.remove(ctx, orgID, member); err != nil {
			w.diags.Append(apiErrorDiagnostic(fmt.Sprintf("remove %s from organization %s", email, orgID), err))
			return errReported
		}
		return nil
	})
	return w.diags
}

// changeRole gives email role, in place (documented API) or by removing and re-inviting them
// (Capgo's production API), and returns the member as the server then holds them.
func (r *organizationMemberResource) changeRole(ctx context.Context, orgID, email, role string, reinviteAllowed bool) (capgo.Member, diag.Diagnostics) {
	var result capgo.Member
	w := &memberWrite{r: r, orgID: orgID, email: email, action: "changed"}
	w.run(ctx, func(ctx context.Context, members []capgo.Member, current capgo.Member, found, exclusive bool) error {
		if !found {
			w.diags.AddError("Member no longer in the organization",
				fmt.Sprintf("%s was removed from organization %s after the plan was made. Run terraform apply again "+
					"to invite them with role %q.", email, orgID, role))
			return errReported
		}
		if capgo.SameRole(role, current.Role) {
			result = current // the server holds that role already
			return nil
		}
		api := r.client.API()
		if !exclusive && roleChangeIsGuarded(current, role, api) {
			return capgo.ErrNeedsExclusive
		}
		var diags diag.Diagnostics
		if !api.ChangesRolesInPlace() {
			if w.targetIsOwn && !current.Pending() && !isLastAcceptedSuperAdmin(members, current.Email) {
				w.diags.Append(ownReinvitationRefusal(orgID, current.Email, role))
				return errReported
			}
			result, diags = r.changeRoleByReinvitation(ctx, orgID, members, current, role, reinviteAllowed)
		} else {
			result, diags = r.changeRoleInPlace(ctx, orgID, members, current, role)
		}
		w.diags.Append(diags...)
		if diags.HasError() {
			return errReported
		}
		return nil
	})
	if w.organizationGone && !w.diags.HasError() {
		w.diags.Append(organizationNotFoundDiagnostic(orgID))
	}
	return result, w.diags
}

// findMember reads the organization's member list afresh and finds email in it.
func (r *organizationMemberResource) findMember(ctx context.Context, orgID, email string) (capgo.Member, bool, error) {
	members, err := r.client.ListMembers(ctx, orgID)
	if err != nil {
		return capgo.Member{}, false, err
	}
	member, found := findMember(members, email)
	return member, found, nil
}

// setRole invites email with role, or (documented API) changes the role of an existing member.
// After an ambiguous failure it reads the member list back, and sends the request again only if
// the member does not hold the role yet. The member is returned when the API's answer or the
// read-back shows it.
func (r *organizationMemberResource) setRole(ctx context.Context, orgID, email, role string) (*capgo.Member, error) {
	var result *capgo.Member
	err := r.client.WriteConfirmed(ctx,
		func(ctx context.Context) error {
			var err error
			result, err = r.client.AddMember(ctx, capgo.AddMemberRequest{OrganizationID: orgID, Email: email, Role: role})
			return err
		},
		func(ctx context.Context) (bool, error) {
			member, found, err := r.findMember(ctx, orgID, email)
			if !found || !capgo.SameRole(role, member.Role) {
				return false, err
			}
			result = &member
			return true, nil
		})
	return result, err
}

// memberAfterWrite returns the member as stored after an add: from the answer when the API gives
// one (the documented API does), else from the member list.
func (r *organizationMemberResource) memberAfterWrite(ctx context.Context, orgID, email string, added *capgo.Member) (capgo.Member, diag.Diagnostics) {
	var diags diag.Diagnostics
	if added != nil && strings.EqualFold(added.Email, email) && added.UID != "" {
		return *added, diags
	}
	member, found, err := r.findMember(ctx, orgID, email)
	if err != nil {
		diags.Append(memberOrganizationDiagnostic(orgID, "read back the members of", err))
		return capgo.Member{}, diags
	}
	if !found {
		diags.AddError("Member not found after inviting them",
			fmt.Sprintf("Capgo accepted the invitation of %s to organization %s but does not list them. Run "+
				"terraform apply again.", email, orgID))
	}
	return member, diags
}

// remove removes a member or revokes an invitation, confirming after an ambiguous failure. The
// email goes out as Capgo lists it: its production API matches emails case included.
func (r *organizationMemberResource) remove(ctx context.Context, orgID string, member capgo.Member) error {
	return r.client.WriteConfirmed(ctx,
		func(ctx context.Context) error {
			err := r.client.RemoveMember(ctx, orgID, member.Email)
			if capgo.KindOf(err) == capgo.KindNotFound {
				return nil // already removed
			}
			return err
		},
		func(ctx context.Context) (bool, error) {
			_, found, err := r.findMember(ctx, orgID, member.Email)
			return !found, err
		})
}

// changeRoleInPlace changes a role with the documented API's add call, which updates an existing
// member or invitation and keeps an invitation pending.
func (r *organizationMemberResource) changeRoleInPlace(ctx context.Context, orgID string, members []capgo.Member,
	current capgo.Member, role string,
) (capgo.Member, diag.Diagnostics) {
	var diags diag.Diagnostics
	email := current.Email
	api := r.client.API()
	sent, err := roleToSend(role, api)
	if err != nil {
		diags.Append(unknownRoleDiagnostic(err))
		return capgo.Member{}, diags
	}
	if !capgo.IsSuperAdminRole(role) && isLastAcceptedSuperAdmin(members, email) {
		diags.AddAttributeError(pathRole, "Cannot demote the last super_admin",
			lastSuperAdminDetail(orgID, email, "demoting them to "+role, api))
		return capgo.Member{}, diags
	}
	added, err := r.setRole(ctx, orgID, email, sent)
	// The documented API refuses an add of the role the member holds already: nothing to change.
	if err != nil && capgo.KindOf(err) != capgo.KindAlreadyMember {
		diags.Append(apiErrorDiagnostic(fmt.Sprintf("change the role of %s in organization %s to %q", email, orgID, role), err))
		return capgo.Member{}, diags
	}
	return r.memberAfterWrite(ctx, orgID, email, added)
}

// changeRoleByReinvitation changes a role against Capgo's production API, which cannot change
// one: the member is removed and invited again with the new role. A pending invitation loses
// nothing by that. An accepted member loses their access until they accept the new invitation, so
// that is done only when allowed; and never for the last accepted org_super_admin, whose removal
// makes Capgo delete the whole organization.
func (r *organizationMemberResource) changeRoleByReinvitation(ctx context.Context, orgID string, members []capgo.Member,
	current capgo.Member, role string, allowed bool,
) (capgo.Member, diag.Diagnostics) {
	var diags diag.Diagnostics
	email := current.Email
	if refusal := reinvitationRefusal(orgID, members, current, role, allowed, r.client.API()); refusal != nil {
		diags.Append(refusal)
		return capgo.Member{}, diags
	}

	tflog.Info(ctx, "changing a Capgo member's role by removing and re-inviting them", map[string]any{"organization_id": orgID})
	if err := r.remove(ctx, orgID, current); err != nil {
		diags.Append(apiErrorDiagnostic(fmt.Sprintf("remove %s from organization %s to invite them again as %q", email, orgID, role), err))
		return capgo.Member{}, diags
	}
	added, err := r.setRole(ctx, orgID, email, role)
	if err != nil {
		// Put the previous invitation back rather than leave the person out of the organization.
		_, restoreErr := r.setRole(ctx, orgID, email, current.Role)
		diags.Append(reinvitationFailedDiagnostic(orgID, current, role, r.client.API(), err, restoreErr))
		return capgo.Member{}, diags
	}
	return r.memberAfterWrite(ctx, orgID, email, added)
}

// reinvitationRefusal says why a role change against Capgo's production API, which removes and
// re-invites the member, must not go through, or is nil: never for the last accepted
// org_super_admin, whose removal makes Capgo delete the whole organization; for another accepted
// member, who loses access until they accept again, only when allowed.
func reinvitationRefusal(orgID string, members []capgo.Member, current capgo.Member, role string, allowed bool, api capgo.API) diag.Diagnostic {
	switch {
	case isLastAcceptedSuperAdmin(members, current.Email):
		return diag.NewAttributeErrorDiagnostic(pathRole, "Cannot change the role of the last org_super_admin",
			lastSuperAdminDetail(orgID, current.Email, "changing their role (which Capgo's production API does by "+
				"removing and re-inviting them)", api))
	case !current.Pending() && !allowed:
		return diag.NewAttributeErrorDiagnostic(pathRole, "Role change needs a new invitation",
			acceptedRoleChangeDetail(orgID, current.Email, current.Role, role))
	}
	return nil
}
