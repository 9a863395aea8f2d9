package capgo

import (
	"context"
	"slices"
	"strings"
	"sync"
)

// The API has no call to read one member: a naive refresh of N members lists the organization N
// times, N² entries in all, and burns the rate limit. Reads through the Shared methods below share
// one list per organization instead: concurrent readers wait for the request already under way,
// later readers reuse its answer, and every write through this client marks what it may have
// changed, so a read after a write is never stale. The answers live as long as the client,
// which Terraform builds anew for each plan and apply.

// sharedLists holds one list answer per key.
type sharedLists[T any] struct {
	mu      sync.Mutex
	entries map[string]*sharedList[T]
}

// sharedList is one list answer, or the request that will produce it.
type sharedList[T any] struct {
	done  chan struct{} // closed when items and err are set
	items []T
	err   error
	// changed holds the items (lower-case emails) this client has written to since the request
	// was sent: the answer may be stale for them, and only for them. Guarded by sharedLists.mu.
	changed map[string]bool
}

// anyChanged is a usable func for readers of the whole list.
func anyChanged[T any](entry *sharedList[T]) bool { return len(entry.changed) > 0 }

// get returns the list for key, fetching it only if no answer is held or under way, or if the one
// held is stale for this reader. Failed answers are not kept: the next reader asks again.
func (s *sharedLists[T]) get(ctx context.Context, key string, stale func(*sharedList[T]) bool,
	fetch func(context.Context) ([]T, error),
) ([]T, error) {
	s.mu.Lock()
	if s.entries == nil {
		s.entries = map[string]*sharedList[T]{}
	}
	entry, found := s.entries[key]
	if found && stale != nil && stale(entry) {
		found = false
	}
	if !found {
		entry = &sharedList[T]{done: make(chan struct{})}
		s.entries[key] = entry
		// The request serves every reader that comes while it runs, so one reader's
		// cancellation must not cancel it; each reader stops waiting on its own context.
		go func() {
			entry.items, entry.err = fetch(context.WithoutCancel(ctx))
			if entry.err != nil {
				s.forget(key, entry)
			}
			close(entry.done)
		}()
	}
	s.mu.Unlock()

	select {
	case <-entry.done:
		// A copy, so that no caller can change what the others see.
		return slices.Clone(entry.items), entry.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// invalidate drops the answer for key; readers already waiting for it still get it.
func (s *sharedLists[T]) invalidate(key string) {
	s.forget(key, nil)
}

// markChanged notes that item of key's list was written to: readers of the whole list, and of
// that item, ask again; readers of other items keep the answer.
func (s *sharedLists[T]) markChanged(key, item string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if entry, ok := s.entries[key]; ok {
		if entry.changed == nil {
			entry.changed = map[string]bool{}
		}
		entry.changed[item] = true
	}
}

// forget drops key's answer if it is entry, or whatever it is when entry is nil.
func (s *sharedLists[T]) forget(key string, entry *sharedList[T]) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if current, ok := s.entries[key]; ok && (entry == nil || current == entry) {
		delete(s.entries, key)
	}
}

// invalidateAll drops every answer.
func (s *sharedLists[T]) invalidateAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries = nil
}

// allOrganizations is the key of the organization list.
const allOrganizations = ""

// ListMembersShared is ListMembers through the shared answers: meant for refreshing state. Use
// ListMembers where the answer must be fresh, such as reading back after a write.
func (c *Client) ListMembersShared(ctx context.Context, organizationID string) ([]Member, error) {
	return c.memberLists.get(ctx, organizationID, anyChanged[Member], c.membersFetch(organizationID))
}

// ListMembersSharedFor is ListMembersShared for a reader that cares only about email: an answer
// this client has since written to is still good for it when the writes were about other
// members, because a write changes only the member it names. Creating many members of one
// organization then lists it once, not once per member.
func (c *Client) ListMembersSharedFor(ctx context.Context, organizationID, email string) ([]Member, error) {
	key := strings.ToLower(email)
	return c.memberLists.get(ctx, organizationID, func(entry *sharedList[Member]) bool { return entry.changed[key] },
		c.membersFetch(organizationID))
}

func (c *Client) membersFetch(organizationID string) func(context.Context) ([]Member, error) {
	return func(ctx context.Context) ([]Member, error) { return c.ListMembers(ctx, organizationID) }
}

// ListOrganizationsShared is ListOrganizations through the shared answers.
func (c *Client) ListOrganizationsShared(ctx context.Context) ([]Organization, error) {
	return c.orgLists.get(ctx, allOrganizations, nil, c.ListOrganizations)
}

// GetOrganizationShared is GetOrganization served from the shared organization list when the
// organization is in it; one list answers many organizations. An organization the list does not
// hold (the production API returns at most 50) is asked for on its own.
func (c *Client) GetOrganizationShared(ctx context.Context, id string) (*Organization, error) {
	orgs, err := c.ListOrganizationsShared(ctx)
	if err != nil {
		return nil, err
	}
	for _, org := range orgs {
		if org.ID == id {
			return &org, nil
		}
	}
	return c.GetOrganization(ctx, id)
}

// changedMember marks what a write to one member of organizationID may have changed.
func (c *Client) changedMember(organizationID, email string) {
	c.memberLists.markChanged(organizationID, strings.ToLower(email))
}

// changedOrganizations drops what a write to an organization may have changed: the list, and
// for a deleted organization its members too.
func (c *Client) changedOrganizations(deletedID string) {
	c.orgLists.invalidateAll()
	if deletedID != "" {
		c.memberLists.invalidate(deletedID)
	}
}
