package mockserver

import (
	"fmt"
	"math"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"
)

func TestConcurrentMemberAdds(t *testing.T) {
	const n = 50
	ts := NewTestServer(t, Options{})
	admin := newClient(t, ts, AdminAPIKey)
	id := admin.createOrg("Busy")
	users := make([]User, n)
	for i := range users {
		users[i] = ts.CreateUser(fmt.Sprintf("user%02d@example.com", i))
	}

	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for _, u := range users {
		wg.Go(func() {
			r, err := admin.try(http.MethodPost, "/organization/members/", map[string]string{"orgId": id, "email": u.Email, "role": "write"})
			if err == nil && r.status != http.StatusOK {
				err = fmt.Errorf("adding %s: status %d %s", u.Email, r.status, r.body)
			}
			if err != nil {
				errs <- err
				return
			}
			// Readers run alongside the writers.
			if r, err := admin.try(http.MethodGet, "/organization/members/?orgId="+id, nil); err != nil || r.status != http.StatusOK {
				errs <- fmt.Errorf("listing: status %d, error %w", r.status, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	roles := admin.memberRoles(id)
	if len(roles) != n+1 {
		t.Fatalf("%d members, want %d", len(roles), n+1)
	}
	for _, u := range users {
		if roles[u.Email] != "invite_write" {
			t.Fatalf("%s has role %q, want invite_write", u.Email, roles[u.Email])
		}
	}
	if s := ts.Stats(); s.ByRoute["POST /organization/members/"] != n || s.ByRoute["GET /organization/members/"] != n+1 {
		t.Fatalf("stats %+v", s)
	}
}

// TestManyMembersStayFast adds thousands of members to one organization over
// HTTP, ten at a time as Terraform does. With indexed lookups this takes well
// under a second; a scan of the members per request would make it quadratic.
func TestManyMembersStayFast(t *testing.T) {
	const n = 5000
	seed := DefaultSeed()
	for i := range n {
		seed.Users = append(seed.Users, SeedUser{Email: fmt.Sprintf("Member%04d@Example.com", i)})
	}
	ts := NewTestServer(t, Options{Seed: seed})
	admin := newClient(t, ts, AdminAPIKey)
	id := admin.createOrg("Big")

	start := time.Now()
	emails := make(chan string)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			for email := range emails {
				r, err := admin.try(http.MethodPost, "/organization/members/", map[string]string{"orgId": id, "email": email, "role": "read"})
				if err == nil && r.status != http.StatusOK {
					err = fmt.Errorf("adding %s: status %d %s", email, r.status, r.body)
				}
				if err != nil {
					errs <- err
				}
			}
		})
	}
	for i := range n {
		emails <- fmt.Sprintf("member%04d@example.com", i)
	}
	close(emails)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	added := time.Since(start)

	start = time.Now()
	members := admin.members(id)
	listed := time.Since(start)
	seen := make(map[string]bool, len(members))
	for _, m := range members {
		seen[m.Email] = true
	}
	if len(members) != n+1 || len(seen) != n+1 || !seen[fmt.Sprintf("Member%04d@Example.com", n-1)] {
		t.Fatalf("%d members (%d distinct), want %d", len(members), len(seen), n+1)
	}
	// A change near the end of a large organization is as quick as any.
	admin.setMember(id, fmt.Sprintf("member%04d@example.com", n-1), "write")
	admin.do(http.MethodDelete, "/organization/members/", map[string]string{"orgId": id, "email": "member0000@example.com"}).wantOK(t)

	t.Logf("added %d members in %v, listed them in %v", n, added, listed)
	if added > 10*time.Second || listed > 2*time.Second {
		t.Fatalf("too slow: added %d members in %v, listed them in %v", n, added, listed)
	}
}

// TestStoreScalesLinearly checks the store directly, where timing is not
// blurred by HTTP: with an index, adding, finding and removing a member costs
// as much in a large organization as in a small one. Rather than hold one
// size to a time budget, which a slow or busy machine could miss, it compares
// the time per member at two sizes ten times apart: a scan of the members per
// lookup would make the larger size about ten times slower per member.
func TestStoreScalesLinearly(t *testing.T) {
	const small, large = 1000, 10000
	fastestSmall, fastestLarge := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
	// Each size handles as many members in all, and the sizes take turns, so
	// that load elsewhere on the machine weighs on both alike; the fastest
	// round of each is the one least disturbed by it.
	for range 3 {
		fastestSmall = min(fastestSmall, timePerMember(t, small, large))
		fastestLarge = min(fastestLarge, timePerMember(t, large, large))
	}
	ratio := float64(fastestLarge) / float64(fastestSmall)
	t.Logf("per member: %v in organizations of %d, %v in one of %d (ratio %.2f)", fastestSmall, small, fastestLarge, large, ratio)
	// Work that is O(1) per member gives a ratio near 1; the margin is for
	// the larger maps missing the CPU caches more often, and for noise.
	if ratio > 4 {
		t.Fatalf("a member costs %.1f times as much in an organization of %d as in one of %d: %v against %v",
			ratio, large, small, fastestLarge, fastestSmall)
	}
}

// timePerMember runs the store workload on organizations of size members
// until total members have been handled, and returns the time per member.
func timePerMember(t *testing.T, size, total int) time.Duration {
	t.Helper()
	runtime.GC()
	var elapsed time.Duration
	for range total / size {
		elapsed += storeWorkload(t, size)
	}
	return elapsed / time.Duration(total)
}

// storeWorkload adds n members to one organization, finding each as it is
// added whatever the letter case, removes every other one, checks what is
// left, and returns how long the additions, lookups and removals took.
func storeWorkload(t *testing.T, n int) time.Duration {
	t.Helper()
	st := newStore(systemClock)
	owner, err := st.addUser(AdminEmail, "")
	if err != nil {
		t.Fatal(err)
	}
	o := st.createOrganization("Big", owner, docsRoleSuperAdmin)
	start := time.Now()
	for i := range n {
		u, err := st.addUser(fmt.Sprintf("m%d@example.com", i), "")
		if err != nil {
			t.Fatal(err)
		}
		o.addMember(u, docsRoleRead, i%2 == 0)
		if o.member(fmt.Sprintf("M%d@EXAMPLE.com", i)) == nil {
			t.Fatalf("member %d not found", i)
		}
	}
	for i := 0; i < n; i += 2 {
		o.removeMember(o.member(fmt.Sprintf("m%d@example.com", i)))
	}
	elapsed := time.Since(start)
	if got := len(o.memberList()); got != n/2+1 {
		t.Fatalf("%d members, want %d", got, n/2+1)
	}
	if got := o.acceptedWithRole(docsRoleRead); got != n/2 {
		t.Fatalf("%d accepted readers, want %d", got, n/2)
	}
	return elapsed
}
