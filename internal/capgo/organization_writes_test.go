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
	maxShared int
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
	if !exclusive {
		p.maxShared = max(p.maxShared, p.running)
	}
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

// Ordinary writes run side by side; guarded writes run alone, after the ordinary writes that
// were started with them, and a write on the key's own membership goes last of all.
func TestWriteToOrganizationOrdersGuardedWrites(t *testing.T) {
	t.Parallel()
	for round := range 5 {
		c, orgID := gateClient(t)
		probe := &gateProbe{}
		var wg sync.WaitGroup
		write := func(name string, guarded bool, guard Guard) {
			defer wg.Done()
			err := c.WriteToOrganization(t.Context(), orgID, func(context.Context) Guard { return guard },
				func(_ context.Context, exclusive bool) error {
					if guarded && !exclusive {
						return ErrNeedsExclusive
					}
					probe.enter(name, exclusive)
					time.Sleep(20 * time.Millisecond)
					probe.leave(exclusive)
					return nil
				})
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
		// The key's own membership and a guarded write start first, four ordinary writes after.
		wg.Add(6)
		go write("own", true, GuardOwn)
		go write("guarded", true, GuardOther)
		time.Sleep(5 * time.Millisecond)
		for range 4 {
			go write("ordinary", false, GuardOther)
		}
		wg.Wait()

		if probe.overlaps != 0 {
			t.Fatalf("round %d: %d writes ran beside a guarded one; order %v", round, probe.overlaps, probe.order)
		}
		if probe.maxShared < 2 {
			t.Errorf("round %d: ordinary writes never ran side by side (at most %d)", round, probe.maxShared)
		}
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
	var inside atomic.Int32
	var both atomic.Bool
	var wg sync.WaitGroup
	for _, id := range []string{first, second} {
		wg.Go(func() {
			_ = c.WriteToOrganization(t.Context(), id, nil, func(_ context.Context, exclusive bool) error {
				if !exclusive {
					return ErrNeedsExclusive
				}
				if inside.Add(1) == 2 {
					both.Store(true)
				}
				time.Sleep(100 * time.Millisecond)
				inside.Add(-1)
				return nil
			})
		})
	}
	wg.Wait()
	if !both.Load() {
		t.Error("guarded writes to two organizations ran one after the other")
	}
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
