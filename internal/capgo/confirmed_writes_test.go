package capgo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

var errStubAmbiguous = &APIError{StatusCode: http.StatusBadGateway, Method: http.MethodPost, Path: "/organization/", Message: "Bad Gateway"}

func TestWriteConfirmed(t *testing.T) {
	badRequest := &APIError{StatusCode: http.StatusBadRequest, Method: http.MethodPost, Path: "/organization/", Message: "Name is required"}
	tests := []struct {
		name        string
		writes      []error // what each attempt returns; the last repeats
		confirms    []bool  // what each read-back says
		confirmErr  error
		wantErr     string
		wantWrites  int
		wantConfirm int
	}{
		{name: "success", writes: []error{nil}, wantWrites: 1},
		{name: "clear failure is returned at once", writes: []error{badRequest}, wantErr: "Name is required", wantWrites: 1},
		{name: "lost answer, write took effect", writes: []error{errStubAmbiguous}, confirms: []bool{true}, wantWrites: 1, wantConfirm: 1},
		{name: "lost answer, write did not happen: sent again", writes: []error{errStubAmbiguous, nil}, confirms: []bool{false}, wantWrites: 2, wantConfirm: 1},
		{name: "read-back fails", writes: []error{errStubAmbiguous}, confirmErr: errors.New("list failed"), wantErr: "list failed", wantWrites: 1, wantConfirm: 1},
		{name: "gives up after the retry limit", writes: []error{errStubAmbiguous}, confirms: []bool{false}, wantErr: "Bad Gateway", wantWrites: 3, wantConfirm: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestClient(t, "http://127.0.0.1:1", func(cfg *Config) { cfg.MaxRetries = ptr(2) })
			writes, confirms := 0, 0
			err := c.WriteConfirmed(context.Background(),
				func(context.Context) error {
					writes++
					return tt.writes[min(writes, len(tt.writes))-1]
				},
				func(context.Context) (bool, error) {
					confirms++
					if tt.confirmErr != nil {
						return false, tt.confirmErr
					}
					return tt.confirms[min(confirms, len(tt.confirms))-1], nil
				})
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
			}
			if writes != tt.wantWrites || confirms != tt.wantConfirm {
				t.Errorf("writes = %d, read-backs = %d; want %d and %d", writes, confirms, tt.wantWrites, tt.wantConfirm)
			}
		})
	}
}

// In a synctest bubble, whose clock moves only when every goroutine waits: the wait ends exactly
// when the context does, not a minute later.
func TestWriteConfirmedStopsWaitingWhenCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newTestClient(t, "http://127.0.0.1:1", func(cfg *Config) {
			cfg.RetryWaitMin, cfg.RetryWaitMax = time.Minute, time.Minute
		})
		const patience = 50 * time.Millisecond
		ctx, cancel := context.WithTimeout(t.Context(), patience)
		defer cancel()
		start := time.Now()
		err := c.WriteConfirmed(ctx,
			func(context.Context) error { return errStubAmbiguous },
			func(context.Context) (bool, error) { return false, nil })
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("error = %v, want the context's", err)
		}
		if elapsed := time.Since(start); elapsed != patience {
			t.Fatalf("returned after %v, want when the context ended, after %v", elapsed, patience)
		}
	})
}

// orgServer is a small stateful stand-in for the organizations API whose create can be told to
// commit and then answer 502, as a proxy timing out after the server acted would.
type orgServer struct {
	mu       sync.Mutex
	orgs     []Organization
	members  map[string][]Member
	posts    int
	loseNext int // creates to commit and answer 502
	failNext int // creates to refuse with 503 without committing
}

func (s *orgServer) handle(w http.ResponseWriter, r *http.Request, _ int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/organization/":
		raw, _ := json.Marshal(map[string]any{"data": s.orgs})
		reply(w, http.StatusOK, string(raw))
	case r.Method == http.MethodGet && r.URL.Path == "/organization/members/":
		raw, _ := json.Marshal(map[string]any{"data": s.members[r.URL.Query().Get("orgId")]})
		reply(w, http.StatusOK, string(raw))
	case r.Method == http.MethodPost && r.URL.Path == "/organization/":
		s.posts++
		if s.failNext > 0 {
			s.failNext--
			reply(w, http.StatusServiceUnavailable, `{"error":"Service unavailable","status":"KO"}`)
			return
		}
		var body struct{ Name string }
		_ = json.NewDecoder(r.Body).Decode(&body)
		id := fmt.Sprintf("org-%d", len(s.orgs)+1)
		s.add(Organization{ID: id, Name: body.Name, CreatedBy: "me"}, Member{UID: "me", Email: "me@example.com", Role: "super_admin"})
		if s.loseNext > 0 {
			s.loseNext--
			reply(w, http.StatusBadGateway, `<html>502 Bad Gateway</html>`)
			return
		}
		reply(w, http.StatusOK, `{"status":"Organization created","id":"`+id+`"}`)
	default:
		reply(w, http.StatusNotFound, `{"error":"Not found","status":"KO"}`)
	}
}

func (s *orgServer) add(org Organization, members ...Member) {
	s.orgs = append(s.orgs, org)
	if s.members == nil {
		s.members = map[string][]Member{}
	}
	s.members[org.ID] = members
}

func TestCreateOrganizationOnce(t *testing.T) {
	me := Member{UID: "me", Email: "me@example.com", Role: "super_admin"}
	tests := []struct {
		name      string
		setup     func(s *orgServer)
		wantID    string
		wantPosts int
		wantOrgs  int
	}{
		{
			name:   "plain create",
			setup:  func(*orgServer) {},
			wantID: "org-1", wantPosts: 1, wantOrgs: 1,
		},
		{
			name:   "answer lost after the create: adopted, not created twice",
			setup:  func(s *orgServer) { s.loseNext = 1 },
			wantID: "org-1", wantPosts: 1, wantOrgs: 1,
		},
		{
			name:   "refused without effect: sent again",
			setup:  func(s *orgServer) { s.failNext = 2 },
			wantID: "org-1", wantPosts: 3, wantOrgs: 1,
		},
		{
			name: "an organization of the same name that existed before is not adopted",
			setup: func(s *orgServer) {
				s.add(Organization{ID: "old", Name: "Mobile", CreatedBy: "me"}, me)
				s.loseNext = 1
			},
			wantID: "org-2", wantPosts: 1, wantOrgs: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			server := &orgServer{}
			tt.setup(server)
			stub := newStub(t, server.handle)
			id, err := stub.client().CreateOrganizationOnce(context.Background(), CreateOrganizationRequest{Name: "Mobile"})
			if err != nil {
				t.Fatal(err)
			}
			if id != tt.wantID || server.posts != tt.wantPosts || len(server.orgs) != tt.wantOrgs {
				t.Errorf("id %q after %d creates, %d organizations; want %q, %d, %d",
					id, server.posts, len(server.orgs), tt.wantID, tt.wantPosts, tt.wantOrgs)
			}
		})
	}
}

// The read-back must not take another user's organization of the same name that appeared while
// the create's answer was lost.
func TestCreateOrganizationOnceLeavesOthersOrganizationsAlone(t *testing.T) {
	server := &orgServer{}
	var once sync.Once
	stub := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.Method == http.MethodPost {
			// The create fails without effect, and meanwhile an admin elsewhere created an
			// organization of the same name and added the key's user to it.
			once.Do(func() {
				server.mu.Lock()
				server.add(Organization{ID: "theirs", Name: "Mobile", CreatedBy: "them"},
					Member{UID: "them", Email: "them@example.com", Role: "super_admin"},
					Member{UID: "me", Email: "me@example.com", Role: "admin"})
				server.failNext = 1
				server.mu.Unlock()
			})
		}
		server.handle(w, r, n)
	})
	id, err := stub.client().CreateOrganizationOnce(context.Background(), CreateOrganizationRequest{Name: "Mobile"})
	if err != nil {
		t.Fatal(err)
	}
	if id == "theirs" || server.posts != 2 {
		t.Fatalf("got %q after %d creates; want a new organization after 2", id, server.posts)
	}
}

// One confirmed write sends its request at most max_retries+1 times in all, counting the
// transport's retries and WriteConfirmed's own resends; each read-back is a request of its own,
// with retries of its own. Every read-back here is answered 503 once, then "not done".
func TestWriteConfirmedSendsAtMostMaxRetriesPlusOne(t *testing.T) {
	const maxRetries = 3
	tests := []struct {
		name      string
		write     apiCall
		status    func(n int) int // the answer to the n-th write sent
		wantSends int
		wantReads int
	}{
		{
			name: "DELETE answered 500 every time", write: callDelete,
			status: func(int) int { return http.StatusInternalServerError },
			// The transport spends the budget; one read-back then ends it.
			wantSends: maxRetries + 1, wantReads: 2,
		},
		{
			name: "POST answered 502 every time", write: callCreate,
			status: func(int) int { return http.StatusBadGateway },
			// Each send is read back, then sent again while the budget lasts.
			wantSends: maxRetries + 1, wantReads: 2 * (maxRetries + 1),
		},
		{
			name: "POST answered 429, then 502", write: callCreate,
			status: func(n int) int {
				if n%2 == 1 {
					return http.StatusTooManyRequests
				}
				return http.StatusBadGateway
			},
			// A 429 is retried by the transport and uses up a send as well: two
			// operations of two sends each, each read back once.
			wantSends: maxRetries + 1, wantReads: 2 * 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			sends, reads := 0, 0
			s := newStub(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				mu.Lock()
				defer mu.Unlock()
				if r.Method == http.MethodGet {
					reads++
					if reads%2 == 1 {
						reply(w, http.StatusServiceUnavailable, `{"error":"Service unavailable","status":"KO"}`)
						return
					}
					reply(w, http.StatusOK, `{"data":`+docsOrgJSON+`}`)
					return
				}
				sends++
				w.Header().Set("Retry-After", "0")
				reply(w, tt.status(sends), `{"error":"Something went wrong","status":"KO"}`)
			})
			c := s.client(func(cfg *Config) { cfg.MaxRetries = ptr(maxRetries) })
			err := c.WriteConfirmed(t.Context(),
				func(ctx context.Context) error { return tt.write.run(ctx, c) },
				func(ctx context.Context) (bool, error) {
					_, err := c.GetOrganization(ctx, "org-1")
					return false, err
				})
			if !IsAmbiguous(err) {
				t.Errorf("error = %v, want the last ambiguous failure", err)
			}
			for _, req := range s.requests() {
				if req.method != tt.write.method && req.method != http.MethodGet {
					t.Errorf("unexpected request %s %s", req.method, req.path)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if sends != tt.wantSends || reads != tt.wantReads {
				t.Errorf("%s sent %d times, read-back GETs %d; want %d and %d",
					tt.write.method, sends, reads, tt.wantSends, tt.wantReads)
			}
		})
	}
}
