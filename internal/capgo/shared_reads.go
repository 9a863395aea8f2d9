package capgo

import (
	"context"
	"slices"
	"sync"
)

// The API has no call to read one member: a naive refresh of N members lists the organization N
// times, N² entries in all, and burns the rate limit. Reads through the Shared methods below share
// one list per organization instead: concurrent readers wait for the request already under way,
// later readers reuse its answer, and every write through this client drops the answers it may
// have changed, so a read after a write is never stale. The answers live as long as the client,
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
}

// get returns the list for key, fetching it only if no answer is held or under way. Failed
// answers are not kept: the next reader asks again.
func (s *sharedLists[T]) get(ctx context.Context, key string, fetch func(context.Context) ([]T, error)) ([]T, error) {
	s.mu.Lock()
	if s.entries == nil {
		s.entries = map[string]*sharedList[T]{}
	}
	entry, found := s.entries[key]
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
	return c.memberLists.get(ctx, organizationID, func(ctx context.Context) ([]Member, error) {
		return c.ListMembers(ctx, organizationID)
	})
}

// ListOrganizationsShared is ListOrganizations through the shared answers.
func (c *Client) ListOrganizationsShared(ctx context.Context) ([]Organization, error) {
	return c.orgLists.get(ctx, allOrganizations, c.ListOrganizations)
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

// changedMembers drops what a write to organizationID's members may have changed.
func (c *Client) changedMembers(organizationID string) {
	c.memberLists.invalidate(organizationID)
}

// changedOrganizations drops what a write to an organization may have changed: the list, and
// for a deleted organization its members too.
func (c *Client) changedOrganizations(deletedID string) {
	c.orgLists.invalidateAll()
	if deletedID != "" {
		c.memberLists.invalidate(deletedID)
	}
}
