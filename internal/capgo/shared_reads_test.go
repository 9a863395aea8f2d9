package capgo

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// gatedMembers answers member lists only once release is closed, so that readers pile up behind
// the first request. Each organization's list holds one member named after it.
func gatedMembers(release <-chan struct{}) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, r *http.Request, _ int) {
		<-release
		org := r.URL.Query().Get("orgId")
		reply(w, http.StatusOK, `{"data":[{"uid":"u-`+org+`","email":"`+org+`@example.com","role":"read","image_url":null}]}`)
	}
}

// The tests of readers waiting on each other run in a synctest bubble, against a stub called
// in process (newStubInProcess): synctest.Wait then returns once every reader is blocked, which
// proves they all arrived while the first request was held, where sleeping for a while would only
// make it likely.

func TestListMembersSharedConcurrentReadersMakeOneRequest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const readers = 50
		release := make(chan struct{})
		releaseOnce := sync.OnceFunc(func() { close(release) })
		// A failed check must still let the readers finish: a bubble may not end with any blocked.
		defer releaseOnce()
		api := newStubInProcess(t, gatedMembers(release))
		c := api.client()

		var finished sync.WaitGroup
		results := make([][]Member, readers)
		errs := make([]error, readers)
		for i := range readers {
			finished.Go(func() {
				results[i], errs[i] = c.ListMembersShared(t.Context(), "org-a")
			})
		}
		// Every reader now waits: for the one request, held until release, or, were reads not
		// shared, each on a request of its own, held all the same.
		synctest.Wait()
		if got := api.count(); got != 1 {
			t.Fatalf("%d concurrent readers made %d requests, want 1", readers, got)
		}
		releaseOnce()
		finished.Wait()

		if got := api.count(); got != 1 {
			t.Fatalf("%d concurrent readers made %d requests, want 1", readers, got)
		}
		for i := range readers {
			if errs[i] != nil {
				t.Fatalf("reader %d: %v", i, errs[i])
			}
			if len(results[i]) != 1 || results[i][0].Email != "org-a@example.com" {
				t.Fatalf("reader %d got %+v, want the one member of org-a", i, results[i])
			}
		}

		// Later readers reuse the answer.
		if _, err := c.ListMembersShared(t.Context(), "org-a"); err != nil {
			t.Fatal(err)
		}
		if got := api.count(); got != 1 {
			t.Fatalf("a later read made a request: %d in all, want 1", got)
		}
	})
}

func TestListMembersSharedOneRequestPerOrganization(t *testing.T) {
	release := make(chan struct{})
	close(release)
	s := newStub(t, gatedMembers(release))
	c := s.client()

	orgs := []string{"org-a", "org-b", "org-c"}
	var wg sync.WaitGroup
	for range 10 {
		for _, org := range orgs {
			wg.Go(func() {
				members, err := c.ListMembersShared(t.Context(), org)
				if err != nil {
					t.Errorf("%s: %v", org, err)
					return
				}
				if len(members) != 1 || members[0].Email != org+"@example.com" {
					t.Errorf("%s: got %+v, want its own member", org, members)
				}
			})
		}
	}
	wg.Wait()

	perOrg := map[string]int{}
	for _, r := range s.requests() {
		perOrg[r.query["orgId"][0]]++
	}
	for _, org := range orgs {
		if perOrg[org] != 1 {
			t.Errorf("%s was listed %d times, want 1 (requests per organization: %v)", org, perOrg[org], perOrg)
		}
	}
}

func TestListMembersSharedAnswersAreCopies(t *testing.T) {
	release := make(chan struct{})
	close(release)
	c := newStub(t, gatedMembers(release)).client()

	first, err := c.ListMembersShared(t.Context(), "org-a")
	if err != nil {
		t.Fatal(err)
	}
	first[0].Email = "changed@example.com"
	second, err := c.ListMembersShared(t.Context(), "org-a")
	if err != nil {
		t.Fatal(err)
	}
	if second[0].Email != "org-a@example.com" {
		t.Fatalf("one caller's change reached another: %q", second[0].Email)
	}
}

func TestListMembersSharedDoesNotKeepFailures(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			reply(w, http.StatusInternalServerError, `{"error":"Internal server error","status":"KO"}`)
			return
		}
		reply(w, http.StatusOK, `{"data":[]}`)
	})
	c := s.client(noRetries)

	if _, err := c.ListMembersShared(t.Context(), "org-a"); err == nil {
		t.Fatal("first read: no error, want the 500")
	}
	if _, err := c.ListMembersShared(t.Context(), "org-a"); err != nil {
		t.Fatalf("second read: %v, want it to ask again and succeed", err)
	}
	if got := s.count(); got != 2 {
		t.Fatalf("%d requests, want 2", got)
	}
}

func TestListMembersSharedCancelledReaderStopsWaitingAlone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		releaseOnce := sync.OnceFunc(func() { close(release) })
		// A failed check must still let the readers finish: a bubble may not end with any blocked.
		defer releaseOnce()
		api := newStubInProcess(t, gatedMembers(release))
		c := api.client()

		patient := make(chan error, 1)
		go func() {
			_, err := c.ListMembersShared(t.Context(), "org-a")
			patient <- err
		}()
		ctx, cancel := context.WithCancel(t.Context())
		impatient := make(chan error, 1)
		go func() {
			_, err := c.ListMembersShared(ctx, "org-a")
			impatient <- err
		}()
		// Both readers wait for the request, held until release.
		synctest.Wait()

		cancel()
		synctest.Wait()
		select {
		case err := <-impatient:
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled reader: %v, want context.Canceled", err)
			}
		default:
			t.Fatal("the cancelled reader kept waiting for the answer")
		}

		releaseOnce()
		if err := <-patient; err != nil {
			t.Fatalf("the other reader lost its answer: %v", err)
		}
		if got := api.count(); got != 1 {
			t.Fatalf("%d requests, want 1", got)
		}
	})
}

// sharedMock is a mock Capgo server in one dialect with an organization holding the admin as
// super_admin and dev as a pending reader.
func sharedMock(t *testing.T, dialect string) (*mockserver.TestServer, *Client, string) {
	t.Helper()
	mock := mockserver.NewTestServer(t, mockserver.Options{Dialect: dialect})
	c, err := NewClient(Config{BaseURL: mock.URL, APIKey: mockserver.AdminAPIKey, UserAgent: "test"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := c.CreateOrganization(t.Context(), CreateOrganizationRequest{Name: "Shared reads"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddMember(t.Context(), AddMemberRequest{OrganizationID: id, Email: mockserver.DevEmail, Role: "read"}); err != nil {
		t.Fatal(err)
	}
	return mock, c, id
}

// routeCount is how many requests the mock got on route since it started.
func routeCount(t *testing.T, mock *mockserver.TestServer, route string) int {
	t.Helper()
	return int(mock.Stats().ByRoute[route])
}

const (
	listMembersRoute = "GET /organization/members/"
	getOrgRoute      = "GET /organization/"
)

func hasMember(members []Member, email string) bool {
	for _, m := range members {
		if m.Email == email {
			return true
		}
	}
	return false
}

func TestSharedReadsSeeTheClientsOwnWrites(t *testing.T) {
	for _, dialect := range []string{"docs", "rbac"} {
		t.Run(dialect, func(t *testing.T) {
			mock, c, id := sharedMock(t, dialect)
			ctx := t.Context()

			for range 3 {
				members, err := c.ListMembersShared(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if !hasMember(members, mockserver.DevEmail) || hasMember(members, mockserver.OpsEmail) {
					t.Fatalf("members before the write: %+v", members)
				}
			}
			if got := routeCount(t, mock, listMembersRoute); got != 1 {
				t.Fatalf("three reads listed the members %d times, want 1", got)
			}

			if _, err := c.AddMember(ctx, AddMemberRequest{OrganizationID: id, Email: mockserver.OpsEmail, Role: "write"}); err != nil {
				t.Fatal(err)
			}
			members, err := c.ListMembersShared(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !hasMember(members, mockserver.OpsEmail) {
				t.Fatalf("the read after adding %s does not show them: %+v", mockserver.OpsEmail, members)
			}

			if err := c.RemoveMember(ctx, id, mockserver.DevEmail); err != nil {
				t.Fatal(err)
			}
			members, err = c.ListMembersShared(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if hasMember(members, mockserver.DevEmail) {
				t.Fatalf("the read after removing %s still shows them: %+v", mockserver.DevEmail, members)
			}
			if got := routeCount(t, mock, listMembersRoute); got != 3 {
				t.Fatalf("members listed %d times, want 3: once, then once after each write", got)
			}
		})
	}
}

func TestSharedReadsAWriteLeavesOtherOrganizationsShared(t *testing.T) {
	mock, c, first := sharedMock(t, "docs")
	ctx := t.Context()
	second, err := c.CreateOrganization(ctx, CreateOrganizationRequest{Name: "Second"})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{first, second} {
		if _, err := c.ListMembersShared(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.AddMember(ctx, AddMemberRequest{OrganizationID: first, Email: mockserver.OpsEmail, Role: "read"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListMembersShared(ctx, second); err != nil {
		t.Fatal(err)
	}
	if got := routeCount(t, mock, listMembersRoute); got != 2 {
		t.Fatalf("members listed %d times, want 2: a write to one organization re-listed another", got)
	}
}

func TestGetOrganizationSharedUsesOneList(t *testing.T) {
	for _, dialect := range []string{"docs", "rbac"} {
		t.Run(dialect, func(t *testing.T) {
			mock, c, first := sharedMock(t, dialect)
			ctx := t.Context()
			second, err := c.CreateOrganization(ctx, CreateOrganizationRequest{Name: "Second"})
			if err != nil {
				t.Fatal(err)
			}
			before := routeCount(t, mock, getOrgRoute)

			var wg sync.WaitGroup
			for range 10 {
				for _, id := range []string{first, second} {
					wg.Go(func() {
						org, err := c.GetOrganizationShared(ctx, id)
						if err != nil {
							t.Errorf("%s: %v", id, err)
							return
						}
						if org.ID != id {
							t.Errorf("asked for %s, got %s", id, org.ID)
						}
					})
				}
			}
			wg.Wait()
			if got := routeCount(t, mock, getOrgRoute) - before; got != 1 {
				t.Fatalf("20 organization reads made %d requests, want 1 list", got)
			}

			if _, err := c.UpdateOrganization(ctx, UpdateOrganizationRequest{ID: first, Name: ptr("Renamed")}); err != nil {
				t.Fatal(err)
			}
			org, err := c.GetOrganizationShared(ctx, first)
			if err != nil {
				t.Fatal(err)
			}
			if org.Name != "Renamed" {
				t.Fatalf("the read after the update shows name %q, want %q", org.Name, "Renamed")
			}

			if err := c.DeleteOrganization(ctx, second); err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetOrganizationShared(ctx, second); KindOf(err) != KindNotFound {
				t.Fatalf("the read after the delete: %v, want the organization gone", err)
			}
		})
	}
}

func TestGetOrganizationSharedAsksForOrganizationsTheListLacks(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.URL.Query().Get("orgId") == "" {
			reply(w, http.StatusOK, `{"data":[{"id":"listed","name":"Listed"}]}`)
			return
		}
		reply(w, http.StatusOK, `{"data":{"id":"unlisted","name":"Unlisted"}}`)
	})
	c := s.client()

	org, err := c.GetOrganizationShared(t.Context(), "unlisted")
	if err != nil {
		t.Fatal(err)
	}
	if org.Name != "Unlisted" {
		t.Fatalf("got %+v, want the organization asked for on its own", org)
	}
	reqs := s.requests()
	if len(reqs) != 2 || reqs[1].query["orgId"][0] != "unlisted" {
		t.Fatalf("requests: %+v, want the list, then a get of the unlisted organization", reqs)
	}
}

func TestListMembersSharedForKeepsAnswersOthersWritesCannotChange(t *testing.T) {
	for _, dialect := range []string{"docs", "rbac"} {
		t.Run(dialect, func(t *testing.T) {
			mock, c, id := sharedMock(t, dialect)
			ctx := t.Context()
			list := func(email string) []Member {
				t.Helper()
				members, err := c.ListMembersSharedFor(ctx, id, email)
				if err != nil {
					t.Fatal(err)
				}
				return members
			}

			list(mockserver.OpsEmail)
			if _, err := c.AddMember(ctx, AddMemberRequest{OrganizationID: id, Email: mockserver.OpsEmail, Role: "read"}); err != nil {
				t.Fatal(err)
			}
			// dev's membership cannot have changed by inviting ops: the answer still serves.
			list(mockserver.DevEmail)
			if got := routeCount(t, mock, listMembersRoute); got != 1 {
				t.Fatalf("members listed %d times, want 1: a write about ops re-listed for dev", got)
			}
			// ops's can, whatever the letter case: asked again, and the invitation shows.
			if !hasMember(list("OPS@example.com"), mockserver.OpsEmail) {
				t.Fatal("the read for ops after inviting them does not show them")
			}
			if got := routeCount(t, mock, listMembersRoute); got != 2 {
				t.Fatalf("members listed %d times, want 2", got)
			}

			// A reader of the whole list never gets an answer older than a write.
			if err := c.RemoveMember(ctx, id, mockserver.DevEmail); err != nil {
				t.Fatal(err)
			}
			list(mockserver.OpsEmail) // still good for ops
			members, err := c.ListMembersShared(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if hasMember(members, mockserver.DevEmail) {
				t.Fatal("the whole list after removing dev still shows them")
			}
			if got := routeCount(t, mock, listMembersRoute); got != 3 {
				t.Fatalf("members listed %d times, want 3", got)
			}
		})
	}
}
