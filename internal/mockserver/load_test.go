package mockserver

import (
	"encoding/json"
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

// TestManyMembers adds thousands of members to one organization over HTTP, ten
// at a time as Terraform does, then lists them and changes the last one. How
// the cost of a request grows with the organization is TestRequestsScaleLinearly's
// to tell: a time budget here would be missed by a busy machine first.
func TestManyMembers(t *testing.T) {
	const n = 5000
	seed := DefaultSeed()
	for i := range n {
		seed.Users = append(seed.Users, SeedUser{Email: fmt.Sprintf("Member%04d@Example.com", i)})
	}
	ts := NewTestServer(t, Options{Seed: seed})
	admin := newClient(t, ts, AdminAPIKey)
	id := admin.createOrg("Big")

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

	members := admin.members(id)
	seen := make(map[string]bool, len(members))
	for _, m := range members {
		seen[m.Email] = true
	}
	if len(members) != n+1 || len(seen) != n+1 || !seen[fmt.Sprintf("Member%04d@Example.com", n-1)] {
		t.Fatalf("%d members (%d distinct), want %d", len(members), len(seen), n+1)
	}
	admin.setMember(id, fmt.Sprintf("member%04d@example.com", n-1), "write")
	admin.do(http.MethodDelete, "/organization/members/", map[string]string{"orgId": id, "email": "member0000@example.com"}).wantOK(t)
}

// TestRequestsScaleLinearly is TestStoreScalesLinearly for whole requests:
// what the dialect does around the store (authentication, checks, answers)
// must not scan the members either. The requests are served in process, so
// that the network does not drown what is measured, and the time per
// request is compared at two sizes a hundred times apart rather than held
// to a budget.
func TestRequestsScaleLinearly(t *testing.T) {
	const small, large = 100, 10000
	seed := DefaultSeed()
	for i := range large {
		seed.Users = append(seed.Users, SeedUser{Email: fmt.Sprintf("member%05d@example.com", i)})
	}
	s, err := New(Options{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	fastestSmall, fastestLarge := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
	// As in TestStoreScalesLinearly, the sizes take turns and the fastest round
	// of each counts.
	for range 3 {
		fastestSmall = min(fastestSmall, timePerRequest(t, s, small, large))
		fastestLarge = min(fastestLarge, timePerRequest(t, s, large, large))
	}
	ratio := float64(fastestLarge) / float64(fastestSmall)
	t.Logf("per request: %v in organizations of %d, %v in one of %d (ratio %.2f)", fastestSmall, small, fastestLarge, large, ratio)
	// A scan of the members per request would make the larger size tens of
	// times slower per request; O(1) work gives a ratio near 1.
	if ratio > 4 {
		t.Fatalf("a request costs %.1f times as much in an organization of %d as in one of %d: %v against %v",
			ratio, large, small, fastestLarge, fastestSmall)
	}
}

// timePerRequest adds the first size seeded accounts to fresh organizations
// of s, one organization per size members, until total members have been
// added, each request served in process, and returns the time per request.
func timePerRequest(t *testing.T, s *Server, size, total int) time.Duration {
	t.Helper()
	runtime.GC()
	var elapsed time.Duration
	for range total / size {
		rec := serveInProcess(t.Context(), s, http.MethodPost, "/organization/", `{"name":"Big"}`)
		var created struct{ ID string }
		if err := json.Unmarshal(rec.Body.Bytes(), &created); rec.Code != http.StatusOK || err != nil || created.ID == "" {
			t.Fatalf("creating an organization: %d %s", rec.Code, rec.Body)
		}
		start := time.Now()
		for i := range size {
			body := fmt.Sprintf(`{"orgId":%q,"email":"member%05d@example.com","role":"read"}`, created.ID, i)
			if rec := serveInProcess(t.Context(), s, http.MethodPost, "/organization/members/", body); rec.Code != http.StatusOK {
				t.Fatalf("adding member %d: %d %s", i, rec.Code, rec.Body)
			}
		}
		elapsed += time.Since(start)
	}
	return elapsed / time.Duration(total)
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
