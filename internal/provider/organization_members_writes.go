package provider

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/membership"
)

var pathMembers = path.Root("members")

// MembershipWriteParallelism bounds the writes of one capgo_organization_members sent at once: as
// many as Terraform's default -parallelism sends for separate capgo_organization_member resources.
// The client's pacing (requests_per_minute) keeps them under Capgo's rate limit either way.
const MembershipWriteParallelism = 10

// membersAttribute is the attribute of capgo_organization_members a finding is about: the map.
func membersAttribute(membership.Finding) path.Path { return pathMembers }

// apply makes the organization's membership the planned one, and leaves in state what the server
// then holds: on success the plan, on a partial failure of an update exactly what was done. A
// partial failure of a create leaves no state: a tainted membership would be replaced, and its
// destroy would remove the people it had just invited. The next apply creates it again, which
// invites whoever is still missing and takes over everyone already invited.
func (r *organizationMembersResource) apply(ctx context.Context, plan organizationMembersModel, creating bool, state *tfsdk.State, diags *diag.Diagnostics) {
	orgID := plan.OrganizationID.ValueString()
	members, d := membersOfExisting(ctx, r.client, orgID, r.client.ListMembers)
	if diags.Append(d...); d.HasError() {
		return
	}
	decided := membership.SetMembership(situationOf(ctx, r.client, orgID, members), membership.Wanted{
		Roles:    configuredRoles(plan.Members),
		Reinvite: membership.PermissionOf(true, plan.ReinviteOnRoleChange.ValueBool()),
	})
	if decided.Refused() {
		diags.Append(findingDiagnostics(decided.Refusals, diag.SeverityError, membersAttribute)...)
		return
	}
	after := members
	if len(decided.Changes) > 0 {
		outcome := r.send(ctx, orgID, decided.Changes)
		lead := fmt.Sprintf("Not every change to the members of organization %s could be made. The state now holds the "+
			"members as Capgo does; run terraform apply again to finish the membership.", orgID)
		if creating {
			lead = fmt.Sprintf("Not every change to the members of organization %s could be made. Terraform keeps no "+
				"state of capgo_organization_members yet: run terraform apply again to finish. It creates the membership "+
				"again, inviting whoever is still missing; no one listed in members who is already in the organization, "+
				"accepted or pending, is removed or invited again.", orgID)
		}
		if failure := outcome.diagnostic(lead); failure != nil {
			diags.Append(failure)
			if creating {
				return
			}
		}
		var err error
		if after, err = r.client.ListMembers(ctx, orgID); err != nil {
			diags.Append(memberOrganizationDiagnostic(orgID, "read back the members of", err))
			after = members // the last list known; the next refresh corrects it
		}
	}
	// The state is what the server holds now, whatever failed.
	plan.Members = membershipFromServer(plan.Members, after)
	diags.Append(state.Set(ctx, plan)...)
}

// writeOutcome is what became of the writes: done, failed (with why), not attempted.
type writeOutcome struct {
	mu      sync.Mutex
	done    []string
	failed  []string
	skipped []string
}

func (o *writeOutcome) record(c membership.Change, server capgo.Capabilities, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if err != nil {
		why := err.Error()
		if capgo.KindOf(err) == capgo.KindNoSuchAccount {
			why = noAccountSentence(c.Email, server)
		}
		o.failed = append(o.failed, fmt.Sprintf("%s: %s", c, why))
		return
	}
	o.done = append(o.done, c.String())
}

// send makes the changes in the order given: the ordinary ones in parallel, then the guarded ones
// one at a time, and those only when everything before them succeeded, since they may rely on it
// (a new super_admin before the old one goes).
func (r *organizationMembersResource) send(ctx context.Context, orgID string, changes []membership.Change) *writeOutcome {
	w := memberWriter{client: r.client, orgID: orgID}
	outcome := &writeOutcome{}
	slots := make(chan struct{}, MembershipWriteParallelism)
	var wg sync.WaitGroup
	for _, c := range changes {
		if c.Guarded {
			continue
		}
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			outcome.record(c, r.client.Capabilities(), w.sendChecked(ctx, c))
		}()
	}
	wg.Wait()
	for _, c := range changes {
		if !c.Guarded {
			continue
		}
		if len(outcome.failed) > 0 {
			outcome.skipped = append(outcome.skipped, c.String())
			continue
		}
		outcome.record(c, r.client.Capabilities(), w.sendChecked(ctx, c))
	}
	return outcome
}

// diagnostic reports a partial failure: lead, then what was done, what failed and why, and what
// was not tried.
func (o *writeOutcome) diagnostic(lead string) diag.Diagnostic {
	if len(o.failed) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString(lead + "\n")
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
