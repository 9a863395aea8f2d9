package mockserver

import (
	"fmt"
	"net/http"
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
// blurred by HTTP: with an index, adding and finding members is O(1) each.
func TestStoreScalesLinearly(t *testing.T) {
	const n = 20000
	st := newStore()
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
	if elapsed > 2*time.Second {
		t.Fatalf("%d additions and lookups took %v", n, elapsed)
	}
}
