package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/membership"
)

// memberWriter sends the changes the membership rules decide on one organization, each confirmed
// by a read-back after an ambiguous failure. Both member resources write through it.
type memberWriter struct {
	client *capgo.Client
	orgID  string
}

// errReported ends a write whose reason is already in the diagnostics.
var errReported = errors.New("reported in the diagnostics")

// reinvitationError is a re-invitation that removed the member but could not invite them again;
// restoreErr is nil when their previous invitation was put back.
type reinvitationError struct {
	previous        capgo.Member
	err, restoreErr error
}

func (e *reinvitationError) Error() string {
	if e.restoreErr != nil {
		return fmt.Sprintf("%v; inviting them again as %q failed too: %v", e.err, e.previous.Role, e.restoreErr)
	}
	return fmt.Sprintf("%v (they were invited again as %q)", e.err, e.previous.Role)
}

func (e *reinvitationError) Unwrap() error { return e.err }

// send makes one change, and returns the member as the answer shows them, when it does.
func (w memberWriter) send(ctx context.Context, c membership.Change) (*capgo.Member, error) {
	switch c.Action {
	case membership.Invite:
		return w.invite(ctx, c.Email, c.Send)
	case membership.ChangeRole:
		added, err := w.setRole(ctx, c.Email, c.Send)
		if capgo.KindOf(err) == capgo.KindAlreadyMember {
			return nil, nil // a server may refuse an add of the role held already
		}
		return added, err
	case membership.Reinvite:
		tflog.Info(ctx, "changing a Capgo member's role by removing and re-inviting them", map[string]any{"organization_id": w.orgID})
		if err := w.remove(ctx, c.Before); err != nil {
			return nil, err
		}
		added, err := w.setRole(ctx, c.Email, c.Send)
		if err != nil {
			// Put the previous invitation back rather than leave the person out of the organization.
			_, restoreErr := w.setRole(ctx, c.Email, c.Before.Role)
			return nil, &reinvitationError{previous: c.Before, err: err, restoreErr: restoreErr}
		}
		return added, nil
	case membership.Remove:
		return nil, w.remove(ctx, c.Before)
	}
	return nil, fmt.Errorf("unknown membership change %d", c.Action)
}

// decideAndSend decides a change on the organization's members read afresh, and sends it, as one
// step with respect to this provider's other writes to the organization
// (capgo.WriteToOrganization): a guarded change waits for the organization to itself and is
// decided again then, so that no other write can come between the check and the write. decide
// returns the plan; its refusals are reported and nothing is sent. action words what could not
// be done in messages ("removed", "changed").
func (w memberWriter) decideAndSend(ctx context.Context, email, action string, decide func(membership.Situation) membership.Plan,
) (plan membership.Plan, sent *capgo.Member, diags diag.Diagnostics) {
	var target capgo.Member
	guard := func(ctx context.Context) capgo.Guard { return guardOfMember(ctx, w.client, target.UID) }
	gone := false
	err := w.client.WriteToOrganization(ctx, w.orgID, guard, func(ctx context.Context, exclusive bool) error {
		members, organizationGone, d := membersForWrite(ctx, w.client, w.orgID, email, action)
		if diags.Append(d...); d.HasError() {
			return errReported
		}
		if organizationGone {
			gone = true
			return nil
		}
		plan = decide(situationOf(ctx, w.client, w.orgID, members))
		if plan.Refused() {
			diags.Append(findingDiagnostics(plan.Refusals, diag.SeverityError, memberAttribute)...)
			return errReported
		}
		if len(plan.Changes) == 0 {
			return nil
		}
		change := plan.Changes[0]
		target = change.Before
		if change.Guarded && !exclusive {
			return capgo.ErrNeedsExclusive
		}
		var err error
		sent, err = w.send(ctx, change)
		return err
	})
	switch {
	case err == nil:
		if target.ControlsOrganization() && w.client.AccessLost(w.orgID) {
			diags.Append(accessLostAfterDiagnostic(w.orgID, target.Email))
		}
	case errors.Is(err, errReported):
	case errors.Is(err, capgo.ErrAccessLost):
		diags.Append(accessLostDiagnostic(w.orgID, email, action))
	case len(plan.Changes) == 0: // failed before anything was decided
		diags.Append(apiErrorDiagnostic(fmt.Sprintf("change the membership of %s in organization %s", email, w.orgID), err))
	default:
		diags.Append(memberWriteDiagnostic(w.orgID, plan.Changes[0], w.client.Capabilities(), err))
	}
	if gone && !diags.HasError() && action != "removed" {
		diags.Append(organizationNotFoundDiagnostic(w.orgID))
	}
	return plan, sent, diags
}

// sendChecked sends a change planned for a whole membership. A guarded one waits for the
// organization to itself, then is decided again on the members read afresh
// (membership.Recheck): another write of this process may have changed who is super_admin.
func (w memberWriter) sendChecked(ctx context.Context, c membership.Change) error {
	if !c.Guarded {
		return w.client.WriteToOrganization(ctx, w.orgID, nil, func(ctx context.Context, _ bool) error {
			_, err := w.send(ctx, c)
			return err
		})
	}
	guard := func(ctx context.Context) capgo.Guard { return guardOfMember(ctx, w.client, c.Before.UID) }
	return w.client.WriteToOrganization(ctx, w.orgID, guard, func(ctx context.Context, exclusive bool) error {
		if !exclusive {
			return capgo.ErrNeedsExclusive
		}
		members, err := w.client.ListMembers(ctx, w.orgID)
		if err != nil {
			return err
		}
		if refusals := membership.Recheck(situationOf(ctx, w.client, w.orgID, members), c); len(refusals) > 0 {
			return errors.New("refused: " + refusals[0].Summary)
		}
		_, err = w.send(ctx, c)
		return err
	})
}

// guardOfMember is the guard of a write on the member with user ID uid: GuardOwn for the API key's
// own user, whose write goes after every other to the organization, else GuardOther.
func guardOfMember(ctx context.Context, client *capgo.Client, uid string) capgo.Guard {
	if keyUser, known := client.KeyUserID(ctx); known && keyUser == uid {
		return capgo.GuardOwn
	}
	return capgo.GuardOther
}

// invite invites email with role. A server that matches emails case included finds no account for
// Dev@Example.com when the account is dev@example.com, as accounts nearly always are: people write
// emails in any case. So a spelling with capitals that finds no account is tried once in lower
// case; the state keeps the spelling written.
func (w memberWriter) invite(ctx context.Context, email, role string) (*capgo.Member, error) {
	invited, err := w.setRole(ctx, email, role)
	if lower := strings.ToLower(email); capgo.KindOf(err) == capgo.KindNoSuchAccount && lower != email &&
		w.client.Capabilities().MatchesEmailsExactly {
		tflog.Info(ctx, "no account for the email as written; inviting it in lower case", map[string]any{"organization_id": w.orgID})
		if invitedLower, errLower := w.setRole(ctx, lower, role); capgo.KindOf(errLower) != capgo.KindNoSuchAccount {
			return invitedLower, errLower
		}
	}
	return invited, err
}

// setRole invites email with role, or, where the server changes roles in place, changes the role of
// an existing member.
// After an ambiguous failure it reads the member list back, and sends the request again only if
// the member does not hold the role yet. The member is returned when the API's answer or the
// read-back shows it.
func (w memberWriter) setRole(ctx context.Context, email, role string) (*capgo.Member, error) {
	var result *capgo.Member
	err := w.client.WriteConfirmed(ctx,
		func(ctx context.Context) error {
			var err error
			result, err = w.client.AddMember(ctx, capgo.AddMemberRequest{OrganizationID: w.orgID, Email: email, Role: role})
			return err
		},
		func(ctx context.Context) (bool, error) {
			member, found, err := w.find(ctx, email)
			if !found || !capgo.SameRole(role, member.Role) {
				return false, err
			}
			result = &member
			return true, nil
		})
	return result, err
}

// remove removes a member or revokes an invitation, confirming after an ambiguous failure. The
// email goes out as Capgo lists it: a server may match emails case included.
func (w memberWriter) remove(ctx context.Context, member capgo.Member) error {
	return w.client.WriteConfirmed(ctx,
		func(ctx context.Context) error {
			err := w.client.RemoveMember(ctx, w.orgID, member.Email)
			if capgo.KindOf(err) == capgo.KindNotFound {
				return nil // already removed
			}
			return err
		},
		func(ctx context.Context) (bool, error) {
			_, found, err := w.find(ctx, member.Email)
			return !found, err
		})
}

// find reads the organization's member list afresh and finds email in it.
func (w memberWriter) find(ctx context.Context, email string) (capgo.Member, bool, error) {
	members, err := w.client.ListMembers(ctx, w.orgID)
	if err != nil {
		return capgo.Member{}, false, err
	}
	member, found := membership.Find(members, email)
	return member, found, nil
}

// memberAfterWrite returns the member as stored after a write: from the answer when the API gives
// one, else from the member list.
func (w memberWriter) memberAfterWrite(ctx context.Context, email string, answered *capgo.Member) (capgo.Member, error) {
	if answered != nil && answered.UID != "" && membership.SameEmail(answered.Email, email) {
		return *answered, nil
	}
	member, found, err := w.find(ctx, email)
	if err == nil && !found {
		err = errors.New("the member is not listed, although the write was accepted")
	}
	return member, err
}

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
