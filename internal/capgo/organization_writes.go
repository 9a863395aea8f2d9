package capgo

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Terraform applies up to -parallelism changes at once in one provider process. Two of them can
// each check "is this the last accepted super admin?" against the same member list, both see
// another one, and both remove: the organization is left without one (the documented API refuses
// the second removal, Capgo's production API deletes the whole organization). A removal can also
// take away the very membership the API key acts through, after which nothing this process does
// in the organization can be verified.
//
// WriteToOrganization makes a check and the write it guards one step with respect to this
// client's other writes to the same organization:
//   - Ordinary writes (an invitation, removing or re-inviting someone without control of the
//     organization) hold the organization's lock shared: they run in parallel, and never alongside
//     a guarded write.
//   - Guarded writes (anything that removes or demotes an accepted member who controls the
//     organization, and so could be the last super admin or the API key's own user) hold it
//     exclusively, one at a time, and only once the organization has been quiet for a moment, so
//     that they come after the other writes Terraform has started in the same run. A write on the
//     API key's own membership, when the client knows it, waits for the other guarded writes too.
//   - After a guarded write the organization is read again. If the key can no longer see it, the
//     key has lost access; every later write to it fails with ErrAccessLost instead of mistaking
//     "not visible" for "gone".
//
// Writes to different organizations never wait for each other.

// ErrNeedsExclusive is what a write function returns, when called with exclusive false, to be
// run again with the organization to itself.
var ErrNeedsExclusive = errors.New("capgo: this write needs the organization to itself")

// ErrAccessLost reports a write not sent because the API key lost access to the organization
// earlier in this process.
var ErrAccessLost = errors.New("the API key's user lost access to this organization earlier in this run")

// Guard tells WriteToOrganization how an exclusive write relates to the API key's own membership.
type Guard int

const (
	// GuardOther is a guarded write on someone else's membership, or one the client cannot tell.
	GuardOther Guard = iota
	// GuardOwn is a guarded write on the API key's own membership: it goes after every other.
	GuardOwn
)

// DefaultOrganizationSettle is how long an organization must have seen no ordinary write before a
// guarded write starts. Terraform starts the changes it has ready within milliseconds of each
// other, and the next one as soon as a slot frees up; this is well above both.
const DefaultOrganizationSettle = 300 * time.Millisecond

// organizationGate coordinates this client's writes to one organization.
type organizationGate struct {
	rw sync.RWMutex

	mu sync.Mutex
	// ordinary counts ordinary writes running or waiting; lastOrdinary is when one last ended.
	ordinary     int
	lastOrdinary time.Time
	// guardedWaiting counts guarded writes on other members that wait for their turn.
	guardedWaiting int
	// lost is set once a guarded write left the key unable to see the organization.
	lost bool
	// changed is signalled whenever the counters move.
	changed chan struct{}
}

// organizationGates holds one gate per organization, and the organizations this client deleted.
type organizationGates struct {
	mu      sync.Mutex
	gates   map[string]*organizationGate
	deleted map[string]bool
}

func (g *organizationGates) gate(id string) *organizationGate {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.gates == nil {
		g.gates = map[string]*organizationGate{}
	}
	gate, ok := g.gates[id]
	if !ok {
		gate = &organizationGate{changed: make(chan struct{})}
		g.gates[id] = gate
	}
	return gate
}

func (g *organizationGates) markDeleted(id string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.deleted == nil {
		g.deleted = map[string]bool{}
	}
	g.deleted[id] = true
}

func (g *organizationGates) wasDeleted(id string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.deleted[id]
}

// update changes the gate's counters under its lock and wakes whoever waits on them.
func (gate *organizationGate) update(change func()) {
	gate.mu.Lock()
	defer gate.mu.Unlock()
	change()
	close(gate.changed)
	gate.changed = make(chan struct{})
}

// DeletedOrganization reports whether this client deleted the organization: then not seeing it
// means it is gone, not that access was lost.
func (c *Client) DeletedOrganization(id string) bool {
	return c.gates.wasDeleted(id)
}

// AccessLost reports whether a guarded write of this client left the API key unable to see the
// organization.
func (c *Client) AccessLost(id string) bool {
	return c.gates.gate(id).isLost()
}

// WriteToOrganization runs write as one step with respect to this client's other writes to the
// organization (see the top of this file). write is first called with exclusive false, holding
// the organization shared; it returns ErrNeedsExclusive when what it found makes it a guarded
// write, and is then called again with exclusive true once the organization is its own. guard
// says whether that guarded write is on the API key's own membership; it is asked only then.
//
// After a guarded write that succeeded, the organization is read again; when the key can no
// longer see it, AccessLost reports so from then on.
func (c *Client) WriteToOrganization(ctx context.Context, organizationID string, guard func(ctx context.Context) Guard,
	write func(ctx context.Context, exclusive bool) error,
) error {
	gate := c.gates.gate(organizationID)
	if err := c.ordinaryWrite(ctx, gate, write); !errors.Is(err, ErrNeedsExclusive) {
		return err
	}

	own := guard != nil && guard(ctx) == GuardOwn
	if err := c.waitForTurn(ctx, gate, own); err != nil {
		return err
	}
	defer gate.rw.Unlock()
	if gate.isLost() {
		return ErrAccessLost
	}
	if err := write(ctx, true); err != nil {
		return err
	}
	c.checkStillVisible(ctx, gate, organizationID)
	return nil
}

// ordinaryWrite runs write holding the gate shared.
func (c *Client) ordinaryWrite(ctx context.Context, gate *organizationGate, write func(context.Context, bool) error) error {
	gate.update(func() { gate.ordinary++ })
	defer gate.update(func() {
		gate.ordinary--
		gate.lastOrdinary = time.Now()
	})
	gate.rw.RLock()
	defer gate.rw.RUnlock()
	if gate.isLost() {
		return ErrAccessLost
	}
	return write(ctx, false)
}

func (gate *organizationGate) isLost() bool {
	gate.mu.Lock()
	defer gate.mu.Unlock()
	return gate.lost
}

// waitForTurn returns holding the gate exclusively, once no ordinary write has run for the settle
// time and, for a write on the key's own membership, no other guarded write waits.
func (c *Client) waitForTurn(ctx context.Context, gate *organizationGate, own bool) error {
	if !own {
		gate.update(func() { gate.guardedWaiting++ })
		defer gate.update(func() { gate.guardedWaiting-- })
	}
	// Quiet counts from this write's arrival too: the writes Terraform started along with it
	// may not have reached the gate yet.
	arrived := time.Now()
	for {
		gate.mu.Lock()
		quietFor := time.Since(later(gate.lastOrdinary, arrived))
		ready := gate.ordinary == 0 && quietFor >= c.settle && (!own || gate.guardedWaiting == 0)
		changed := gate.changed
		gate.mu.Unlock()

		if ready {
			gate.rw.Lock()
			// An ordinary write may have slipped in between; if so, go round again.
			gate.mu.Lock()
			stillReady := gate.ordinary == 0 && (!own || gate.guardedWaiting == 0)
			gate.mu.Unlock()
			if stillReady {
				return nil
			}
			gate.rw.Unlock()
			continue
		}
		wait := c.settle - quietFor
		if wait <= 0 {
			wait = c.settle
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return fmt.Errorf("waiting for the other changes to the organization: %w", ctx.Err())
		case <-changed:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// checkStillVisible reads the organization after a guarded write, and records a lost access.
func (c *Client) checkStillVisible(ctx context.Context, gate *organizationGate, organizationID string) {
	c.orgLists.invalidateAll()
	_, err := c.GetOrganization(ctx, organizationID)
	if KindOf(err) != KindNotFound {
		return
	}
	tflog.SubsystemWarn(ctx, logSubsystem, "the API key can no longer see the organization after a guarded write", map[string]any{
		"organization_id": organizationID,
	})
	gate.update(func() { gate.lost = true })
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
