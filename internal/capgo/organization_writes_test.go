package capgo

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// gateProbe records how the writes of a test overlapped.
type gateProbe struct {
	mu        sync.Mutex
	running   int
	exclusive bool
	overlaps  int // a write that ran beside an exclusive one
	order     []string
}

func (p *gateProbe) enter(name string, exclusive bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.exclusive || (exclusive && p.running > 0) {
		p.overlaps++
	}
	p.running++
	p.exclusive = p.exclusive || exclusive
	p.order = append(p.order, name)
}

func (p *gateProbe) leave(exclusive bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running--
	if exclusive {
		p.exclusive = false
	}
}

// gateClient is a client of a documented-API mock holding one organization.
func gateClient(t *testing.T) (*Client, string) {
	t.Helper()
	ts := mockserver.NewTestServer(t, mockserver.Options{})
	c, err := NewClient(Config{BaseURL: ts.URL, APIKey: mockserver.AdminAPIKey, OrganizationSettle: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	id, err := c.CreateOrganization(t.Context(), CreateOrganizationRequest{Name: "Gate"})
	if err != nil {
		t.Fatal(err)
	}
	return c, id
}

// meeting lets goroutines go on only once n of them have arrived, so that a test knows they ran
// at the same time rather than hopes that they overlapped.
type meeting struct {
	n       int
	mu      sync.Mutex
	arrived int
	all     chan struct{}
}

func newMeeting(n int) *meeting {
	return &meeting{n: n, all: make(chan struct{})}
}

// arrive waits for the others, for at most patience, and reports whether they all came: a
// goroutine that waits in vain shows that the others could not run beside it.
func (m *meeting) arrive(patience time.Duration) bool {
	m.mu.Lock()
	m.arrived++
	if m.arrived == m.n {
		close(m.all)
	}
	m.mu.Unlock()
	timer := time.NewTimer(patience)
	defer timer.Stop()
	select {
	case <-m.all:
		return true
	case <-timer.C:
		return false
	}
}

// patience bounds how long a test waits for something that should happen at once.
const patience = 10 * time.Second

// waitForGuardedWrites waits until n guarded writes wait for their turn at the gate of orgID.
func waitForGuardedWrites(t *testing.T, c *Client, orgID string, n int) {
	t.Helper()
	gate := c.gates.gate(orgID)
	timer := time.NewTimer(patience)
	defer timer.Stop()
	for {
		gate.mu.Lock()
		waiting, changed := gate.guardedWaiting, gate.changed
		gate.mu.Unlock()
		if waiting == n {
			return
		}
		select {
		case <-changed:
		case <-timer.C:
			t.Fatalf("%d guarded writes wait at the gate after %v, want %d", waiting, patience, n)
		}
	}
}

// Ordinary writes run side by side; guarded writes run alone, after the ordinary writes that
// were started with them, and a write on the key's own membership goes last of all.
//
// "Started with them" is within the settle time of the guarded write's arrival. A round in which
// the machine took longer than that to start the ordinary writes cannot tell, and is played again
// with four times the settle time, so that a busy machine makes the test slower, never silent.
func TestWriteToOrganizationOrdersGuardedWrites(t *testing.T) {
	t.Parallel()
	settle := 50 * time.Millisecond
	for round, conclusive := 0, 0; conclusive < 5; round++ {
		if settle > 10*time.Second {
			t.Fatalf("round %d: the ordinary writes never started within %v of the guarded ones", round, settle/4)
		}
		c, orgID := gateClient(t)
		c.settle = settle
		probe := &gateProbe{}
		together := newMeeting(4)
		var late atomic.Bool
		var wg sync.WaitGroup
		start := time.Now()
		write := func(name string, guarded bool, guard Guard) {
			defer wg.Done()
			err := c.WriteToOrganization(t.Context(), orgID, func(context.Context) Guard { return guard },
				func(_ context.Context, exclusive bool) error {
					if guarded && !exclusive {
						return ErrNeedsExclusive
					}
					probe.enter(name, exclusive)
					defer probe.leave(exclusive)
					if exclusive {
						// Room for a write let in beside it to show.
						time.Sleep(20 * time.Millisecond)
						return nil
					}
					if time.Since(start) >= c.settle {
						late.Store(true)
					}
					if !together.arrive(patience) {
						t.Errorf("round %d: the four ordinary writes never ran side by side", round)
					}
					return nil
				})
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
		// The key's own membership and a guarded write start first, four ordinary writes once the
		// guarded one waits at the gate.
		wg.Add(6)
		go write("own", true, GuardOwn)
		go write("guarded", true, GuardOther)
		waitForGuardedWrites(t, c, orgID, 1)
		for range 4 {
			go write("ordinary", false, GuardOther)
		}
		wg.Wait()

		if probe.overlaps != 0 {
			t.Fatalf("round %d: %d writes ran beside a guarded one; order %v", round, probe.overlaps, probe.order)
		}
		if late.Load() {
			t.Logf("round %d: the ordinary writes started more than %v after the guarded ones; order %v", round, c.settle, probe.order)
			settle *= 4
			continue
		}
		conclusive++
		want := []string{"ordinary", "ordinary", "ordinary", "ordinary", "guarded", "own"}
		for i := range want {
			if probe.order[i] != want[i] {
				t.Fatalf("round %d: order %v, want %v", round, probe.order, want)
			}
		}
	}
}

// Writes to different organizations never wait for each other, guarded or not.
func TestWriteToOrganizationKeepsOrganizationsApart(t *testing.T) {
	t.Parallel()
	c, first := gateClient(t)
	second, err := c.CreateOrganization(t.Context(), CreateOrganizationRequest{Name: "Other"})
	if err != nil {
		t.Fatal(err)
	}
	together := newMeeting(2)
	var wg sync.WaitGroup
	for _, id := range []string{first, second} {
		wg.Go(func() {
			_ = c.WriteToOrganization(t.Context(), id, nil, func(_ context.Context, exclusive bool) error {
				if !exclusive {
					return ErrNeedsExclusive
				}
				if !together.arrive(patience) {
					t.Errorf("the guarded write to %s waited %v in vain for the one to the other organization", id, patience)
				}
				return nil
			})
		})
	}
	wg.Wait()
}

// A guarded write after which the key no longer sees the organization marks the access as lost,
// and every later write to it fails without running.
func TestWriteToOrganizationNoticesLostAccess(t *testing.T) {
	t.Parallel()
	c, orgID := gateClient(t)
	other, err := NewClient(Config{BaseURL: c.baseURL.String(), APIKey: mockserver.AdminAPIKey})
	if err != nil {
		t.Fatal(err)
	}
	err = c.WriteToOrganization(t.Context(), orgID, nil, func(ctx context.Context, exclusive bool) error {
		if !exclusive {
			return ErrNeedsExclusive
		}
		// What the key sees after removing its own membership: no organization.
		return other.DeleteOrganization(ctx, orgID)
	})
	if err != nil {
		t.Fatal(err)
	}
	if !c.AccessLost(orgID) {
		t.Fatal("AccessLost is false after the organization vanished from the key's sight")
	}
	ran := false
	err = c.WriteToOrganization(t.Context(), orgID, nil, func(context.Context, bool) error { ran = true; return nil })
	if !errors.Is(err, ErrAccessLost) || ran {
		t.Fatalf("a write after the access was lost: err %v, ran %v; want ErrAccessLost without running", err, ran)
	}
	if c.DeletedOrganization(orgID) {
		t.Error("DeletedOrganization is true for an organization this client did not delete")
	}
}
