package capgo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// loseFirstCreate forwards every request to the server, but for the first POST /organization/
// it drops the server's answer and fails as a connection closed after the request went out
// would: the organization is made, and the client cannot know it.
type loseFirstCreate struct {
	base http.RoundTripper
	// during, when set, runs once the lost create has been carried out, before the failure is
	// returned.
	during func()

	mu    sync.Mutex
	posts int
}

func (l *loseFirstCreate) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := l.base.RoundTrip(req)
	if req.Method != http.MethodPost || req.URL.Path != organizationRoute {
		return resp, err
	}
	l.mu.Lock()
	l.posts++
	first := l.posts == 1
	l.mu.Unlock()
	if !first || err != nil {
		return resp, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if l.during != nil {
		l.during()
	}
	return nil, errors.New("connection reset by peer")
}

func (l *loseFirstCreate) creates() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.posts
}

// manyOrganizations starts an rbac mock where the admin account owns fillers organizations
// named "Filler NN", followed by one organization for each of extra, in that order (the mock
// lists the 50 oldest).
func manyOrganizations(t *testing.T, fillers int, extra ...string) *mockserver.TestServer {
	t.Helper()
	seed := mockserver.DefaultSeed()
	for i := range fillers {
		seed.Organizations = append(seed.Organizations, mockserver.SeedOrganization{
			Name: fmt.Sprintf("Filler %02d", i+1), Owner: mockserver.AdminEmail,
		})
	}
	for _, name := range extra {
		seed.Organizations = append(seed.Organizations, mockserver.SeedOrganization{Name: name, Owner: mockserver.AdminEmail})
	}
	return mockserver.NewTestServer(t, mockserver.Options{Dialect: mockserver.DialectRBAC, Seed: seed})
}

// adminClient returns a client of the mock's admin account whose requests go through rt (the
// default transport when nil).
func adminClient(t *testing.T, ts *mockserver.TestServer, rt http.RoundTripper) *Client {
	t.Helper()
	return newTestClient(t, ts.URL, func(cfg *Config) {
		cfg.APIKey = mockserver.AdminAPIKey
		if rt != nil {
			cfg.HTTPClient = &http.Client{Transport: rt}
		}
	})
}

// createdName is the name of the organization the tests create.
const createdName = "Mobile"

// organizationsNamedLikeCreated returns the mock's organizations named createdName, oldest first.
func organizationsNamedLikeCreated(ts *mockserver.TestServer) []mockserver.StateOrganization {
	var out []mockserver.StateOrganization
	for _, org := range ts.State().Organizations {
		if org.Name == createdName {
			out = append(out, org)
		}
	}
	return out
}

// deleteOldest deletes the n oldest organizations of the mock, as another client would. Capgo's
// production API lists 50 organizations in no defined order, so which ones a list shows can
// change from one call to the next; the mock lists the 50 oldest, and deleting some of them
// brings younger ones into the list.
func deleteOldest(t *testing.T, ts *mockserver.TestServer, n int) {
	t.Helper()
	other := adminClient(t, ts, nil)
	for _, org := range ts.State().Organizations[:n] {
		if err := other.DeleteOrganization(context.Background(), org.ID); err != nil {
			t.Errorf("deleting %s: %v", org.Name, err)
		}
	}
}

// waitUntilOlderThanSkew waits until an organization created at createdAt can no longer pass for
// one made by a call starting now: older than the allowance for clock skew, plus the second the
// Date header rounds down.
func waitUntilOlderThanSkew(t *testing.T, createdAt string) {
	t.Helper()
	created, err := time.Parse(time.RFC3339Nano, createdAt)
	if err != nil {
		t.Fatalf("created_at %q: %v", createdAt, err)
	}
	time.Sleep(time.Until(created.Add(serverClockSkew + time.Second + 50*time.Millisecond)))
}

// checkUndecidedError checks that err is the failure that says what may exist and what to do.
func checkUndecidedError(t *testing.T, err error, name string) {
	t.Helper()
	msg := err.Error()
	for _, want := range []string{
		`"` + name + `"`,
		"may have been created",
		"more organizations than the API lists",
		"capgo_organizations",
		"terraform import capgo_organization.",
		"delete it",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
	if !IsAmbiguous(err) {
		t.Errorf("IsAmbiguous(%v) = false, want true: the create's outcome is unknown", err)
	}
}

// With 50 or more organizations the list may not show the new one. The lost create must be
// adopted or reported, never sent again.
func TestCreateOrganizationOnceLostAnswerAmongManyOrganizations(t *testing.T) {
	for _, fillers := range []int{OrganizationListLimit - 1, OrganizationListLimit, OrganizationListLimit + 25} {
		t.Run(fmt.Sprintf("%d organizations before", fillers), func(t *testing.T) {
			ts := manyOrganizations(t, fillers)
			rt := &loseFirstCreate{base: http.DefaultTransport}
			c := adminClient(t, ts, rt)

			id, err := c.CreateOrganizationOnce(context.Background(), CreateOrganizationRequest{Name: "Mobile"})

			made := organizationsNamedLikeCreated(ts)
			if len(made) != 1 {
				t.Fatalf("the mock holds %d organizations named Mobile after %d creates, want 1 (error: %v)",
					len(made), rt.creates(), err)
			}
			if rt.creates() != 1 {
				t.Errorf("create sent %d times, want 1", rt.creates())
			}
			if err != nil {
				checkUndecidedError(t, err, "Mobile")
				return
			}
			if id != made[0].ID {
				t.Errorf("id = %q, want %q, the organization the lost create made", id, made[0].ID)
			}
		})
	}
}

// With a list that shows everything, the organization the lost create made is adopted.
func TestCreateOrganizationOnceLostAnswerAmongFewOrganizations(t *testing.T) {
	ts := manyOrganizations(t, 10, "Mobile") // an older namesake, not to be adopted
	rt := &loseFirstCreate{base: http.DefaultTransport}
	c := adminClient(t, ts, rt)

	id, err := c.CreateOrganizationOnce(context.Background(), CreateOrganizationRequest{Name: "Mobile"})
	if err != nil {
		t.Fatal(err)
	}
	made := organizationsNamedLikeCreated(ts)
	if len(made) != 2 || rt.creates() != 1 {
		t.Fatalf("%d organizations named Mobile after %d creates, want 2 (the old one and the new) after 1",
			len(made), rt.creates())
	}
	if id != made[1].ID {
		t.Errorf("id = %q, want %q, the new organization (the old one is %q)", id, made[1].ID, made[0].ID)
	}
}

// An organization of the same name made before the call, which a cut list did not show before
// the create and shows after it, is not the one the create made.
func TestCreateOrganizationOnceNeverAdoptsAnOldNamesakeFromTruncatedList(t *testing.T) {
	t.Parallel()
	ts := manyOrganizations(t, OrganizationListLimit, "Mobile")
	old := organizationsNamedLikeCreated(ts)[0]
	waitUntilOlderThanSkew(t, old.CreatedAt)
	// After the create, the list shows the old namesake and still not the new organization.
	rt := &loseFirstCreate{base: http.DefaultTransport, during: func() { deleteOldest(t, ts, 1) }}
	c := adminClient(t, ts, rt)

	id, err := c.CreateOrganizationOnce(context.Background(), CreateOrganizationRequest{Name: "Mobile"})
	if id == old.ID {
		t.Fatalf("adopted %q, the organization of the same name that existed before", old.ID)
	}
	if err == nil {
		t.Fatalf("got %q, want the failure that says the outcome is unknown", id)
	}
	checkUndecidedError(t, err, "Mobile")
	if made := organizationsNamedLikeCreated(ts); len(made) != 2 || rt.creates() != 1 {
		t.Errorf("%d organizations named Mobile after %d creates, want 2 after 1", len(made), rt.creates())
	}
}

// When a cut list shows both an old namesake and the new organization, the new one is adopted.
func TestCreateOrganizationOnceAdoptsFromTruncatedList(t *testing.T) {
	t.Parallel()
	ts := manyOrganizations(t, OrganizationListLimit, "Mobile")
	old := organizationsNamedLikeCreated(ts)[0]
	waitUntilOlderThanSkew(t, old.CreatedAt)
	// After the create, the list holds 48 fillers, the old namesake and the new organization.
	rt := &loseFirstCreate{base: http.DefaultTransport, during: func() { deleteOldest(t, ts, 2) }}
	c := adminClient(t, ts, rt)

	id, err := c.CreateOrganizationOnce(context.Background(), CreateOrganizationRequest{Name: "Mobile"})
	if err != nil {
		t.Fatal(err)
	}
	made := organizationsNamedLikeCreated(ts)
	if len(made) != 2 || rt.creates() != 1 {
		t.Fatalf("%d organizations named Mobile after %d creates, want 2 after 1", len(made), rt.creates())
	}
	if id != made[1].ID {
		t.Errorf("id = %q, want %q, the new organization (the old one is %q)", id, made[1].ID, made[0].ID)
	}
}

func TestOrganizationListMayBeTruncated(t *testing.T) {
	for n, want := range map[int]bool{0: false, 1: false, 49: false, 50: true, 51: false} {
		if got := OrganizationListMayBeTruncated(n); got != want {
			t.Errorf("OrganizationListMayBeTruncated(%d) = %v, want %v", n, got, want)
		}
	}
}

func TestBeforeCreateNewness(t *testing.T) {
	date := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	full := make([]Organization, OrganizationListLimit)
	for i := range full {
		full[i] = Organization{ID: fmt.Sprintf("listed-%d", i), CreatedAt: "2024-01-01T00:00:00.000000Z"}
	}
	tests := []struct {
		name      string
		list      []Organization
		date      time.Time
		createdAt string
		id        string
		want      newness
	}{
		{name: "listed before", list: full, date: date, id: "listed-3", createdAt: "2025-03-01T12:00:05Z", want: existedBefore},
		{name: "absent from a complete list", list: full[:10], date: date, createdAt: "2020-01-01T00:00:00Z", want: createdSince},
		{name: "cut list, created after the Date", list: full, date: date, createdAt: "2025-03-01T12:00:00.250000+00:00", want: createdSince},
		{name: "cut list, created within the skew allowance", list: full, date: date, createdAt: "2025-03-01T11:59:59.500000Z", want: createdSince},
		{name: "cut list, created before the Date less the allowance", list: full, date: date, createdAt: "2025-03-01T11:59:58.900000Z", want: existedBefore},
		{name: "cut list, PostgreSQL text form", list: full, date: date, createdAt: "2025-03-01 12:00:01.5+00", want: createdSince},
		{name: "cut list, created before one listed", list: append([]Organization{{ID: "recent", CreatedAt: "2025-03-01T12:00:00.500000Z"}}, full[1:]...), date: date, createdAt: "2025-03-01T12:00:00.200000Z", want: existedBefore},
		{name: "cut list, no Date from the server", list: full, createdAt: "2025-03-01T12:00:05Z", want: unknownAge},
		{name: "cut list, unreadable created_at", list: full, date: date, createdAt: "yesterday", want: unknownAge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := tt.id
			if id == "" {
				id = "new"
			}
			got := newBeforeCreate(tt.list, tt.date).newness(Organization{ID: id, CreatedAt: tt.createdAt})
			if got != tt.want {
				t.Errorf("newness = %d, want %d", got, tt.want)
			}
		})
	}
}
