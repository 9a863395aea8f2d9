package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

var pathMembers = path.Root("members")

// MembershipWriteParallelism bounds the writes of one capgo_organization_members sent at once: as
// many as Terraform's default -parallelism sends for separate capgo_organization_member resources.
// The client's pacing (requests_per_minute) keeps them under Capgo's rate limit either way.
const MembershipWriteParallelism = 10

// memberOp is one write of a membership change.
type memberOp struct {
	description string // "invite a@b.c as \"write\"": what was, or was not, done
	email       string
	// guarded writes remove or demote a member who controls the organization: they go one at a
	// time, after the others (capgo.WriteToOrganization), and check the last super_admin again.
	guarded bool
	uid     string
	do      func(ctx context.Context) error
}

// opsFor turns the changes into writes. An unknown role is refused before any is sent.
func (r *organizationMembersResource) opsFor(orgID string, c membershipChanges) ([]memberOp, diag.Diagnostics) {
	var diags diag.Diagnostics
	api := r.client.API()
	w := &organizationMemberResource{configured: r.configured} // the single member's confirmed writes
	var ops []memberOp
	for _, inv := range c.invites {
		sent, err := roleToSend(inv.role, api)
		if err != nil {
			diags.Append(unknownRoleDiagnostic(err))
			continue
		}
		ops = append(ops, memberOp{
			description: fmt.Sprintf("invite %s as %q", inv.email, inv.role),
			email:       inv.email,
			do: func(ctx context.Context) error {
				_, err := w.setRole(ctx, orgID, inv.email, sent)
				return err
			},
		})
	}
	for _, change := range c.roles {
		current, role := change.current, change.role
		sent, err := roleToSend(role, api)
		if err != nil {
			diags.Append(unknownRoleDiagnostic(err))
			continue
		}
		op := memberOp{
			description: fmt.Sprintf("change the role of %s from %q to %q", current.Email, current.Role, role),
			email:       current.Email,
			uid:         current.UID,
			guarded:     roleChangeIsGuarded(current, role, api),
		}
		if api.ChangesRolesInPlace() {
			op.do = func(ctx context.Context) error {
				_, err := w.setRole(ctx, orgID, current.Email, sent)
				if capgo.KindOf(err) == capgo.KindAlreadyMember {
					return nil // the role is held already
				}
				return err
			}
		} else {
			op.description += " by removing and re-inviting them"
			op.do = func(ctx context.Context) error {
				if err := w.remove(ctx, orgID, current); err != nil {
					return err
				}
				if _, err := w.setRole(ctx, orgID, current.Email, sent); err != nil {
					// Put the previous invitation back rather than leave the person out.
					if _, restoreErr := w.setRole(ctx, orgID, current.Email, current.Role); restoreErr != nil {
						return fmt.Errorf("%w; inviting them again as %q failed too: %w", err, current.Role, restoreErr)
					}
					return fmt.Errorf("%w (they were invited again as %q)", err, current.Role)
				}
				return nil
			}
		}
		ops = append(ops, op)
	}
	for _, m := range c.removes {
		description := "remove " + m.Email
		if m.Pending() {
			description = "revoke the invitation of " + m.Email
		}
		ops = append(ops, memberOp{
			description: description,
			email:       m.Email,
			uid:         m.UID,
			guarded:     m.ControlsOrganization(),
			do:          func(ctx context.Context) error { return w.remove(ctx, orgID, m) },
		})
	}
	return ops, diags
}

// writeOutcome is what became of the writes: done, failed (with why), not attempted.
type writeOutcome struct {
	mu      sync.Mutex
	done    []string
	failed  []string
	skipped []string
}

func (o *writeOutcome) record(op memberOp, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if err != nil {
		o.failed = append(o.failed, fmt.Sprintf("%s: %v", op.description, err))
		return
	}
	o.done = append(o.done, op.description)
}

// runMemberOps sends the writes: the ordinary ones in parallel, then the guarded ones one at a
// time, and those only when everything before them succeeded, since they may rely on it (a new
// super_admin before the old one goes).
func (r *organizationMembersResource) runMemberOps(ctx context.Context, orgID string, ops []memberOp) *writeOutcome {
	outcome := &writeOutcome{}
	var ordinary, guarded []memberOp
	for _, op := range ops {
		if op.guarded {
			guarded = append(guarded, op)
		} else {
			ordinary = append(ordinary, op)
		}
	}
	slots := make(chan struct{}, MembershipWriteParallelism)
	var wg sync.WaitGroup
	for _, op := range ordinary {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			outcome.record(op, r.client.WriteToOrganization(ctx, orgID, nil, func(ctx context.Context, _ bool) error {
				return op.do(ctx)
			}))
		}()
	}
	wg.Wait()
	for _, op := range guarded {
		if len(outcome.failed) > 0 {
			outcome.skipped = append(outcome.skipped, op.description)
			continue
		}
		outcome.record(op, r.client.WriteToOrganization(ctx, orgID, r.guardFor(op), func(ctx context.Context, exclusive bool) error {
			if !exclusive {
				return capgo.ErrNeedsExclusive
			}
			// Read again: another write of this process may have changed who is super_admin.
			members, err := r.client.ListMembers(ctx, orgID)
			if err != nil {
				return err
			}
			if isLastAcceptedSuperAdmin(members, op.email) {
				return errors.New("refused: they are the organization's last accepted super_admin")
			}
			return op.do(ctx)
		}))
	}
	return outcome
}

// guardFor tells capgo.WriteToOrganization whether a guarded write is on the API key's own
// membership, so that it goes after every other.
func (r *organizationMembersResource) guardFor(op memberOp) func(context.Context) capgo.Guard {
	return func(ctx context.Context) capgo.Guard { return guardOfMember(ctx, r.client, op.uid) }
}

// diagnostic reports a partial failure: what was done, what failed and why, what was not tried.
func (o *writeOutcome) diagnostic(orgID, action string) diag.Diagnostic {
	if len(o.failed) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Not every change to the members of organization %s could be made. The state now holds the members "+
		"as Capgo does; run terraform apply again to finish %s.\n", orgID, action)
	section := func(title string, lines []string) {
		if len(lines) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s:\n", title)
		for _, line := range lines {
			fmt.Fprintf(&b, "  - %s\n", line)
		}
	}
	section("Done", o.done)
	section("Failed", o.failed)
	section("Not attempted (they come after the failed changes)", o.skipped)
	return diag.NewErrorDiagnostic("Some membership changes failed", b.String())
}
