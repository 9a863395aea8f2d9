package capgo

import (
	"context"
	"sync"
)

// The API has no call that says whose key this is, yet removing that user's membership cuts the
// key off from the organization. The client works it out from what it sees:
//   - an organization this client created has the key's user as its creator (NoteKeyUser);
//   - the key's user is an accepted member of every organization the key can see, so the accepted
//     members common to all of them are the candidates, and when one is left, it is them. Capgo's
//     production API gives every account an organization of its own, where the key's user is
//     alone, so there this settles it at once; a key whose user belongs to a single organization
//     with several members cannot be told apart from its colleagues.

// keyUser is what the client knows of the API key's own user.
type keyUser struct {
	mu      sync.Mutex
	uid     string
	email   string // as a member list showed it, when one did
	known   bool
	scanned bool // the organizations were looked through without settling it
}

// NoteKeyUser records the API key's user ID, learnt for certain (the creator of an organization
// this client created).
func (c *Client) NoteKeyUser(uid string) {
	if uid == "" {
		return
	}
	c.keyUser.mu.Lock()
	defer c.keyUser.mu.Unlock()
	c.keyUser.uid, c.keyUser.known = uid, true
}

// KeyUser is the API key's own user, as far as the client can tell: Email is "" when no member
// list it has read showed them.
type KeyUser struct {
	UID   string
	Email string
}

// KeyUserOf returns the API key's user, when the client can tell it (see KeyUserID).
func (c *Client) KeyUserOf(ctx context.Context) (KeyUser, bool) {
	uid, known := c.KeyUserID(ctx)
	if !known {
		return KeyUser{}, false
	}
	c.keyUser.mu.Lock()
	defer c.keyUser.mu.Unlock()
	return KeyUser{UID: uid, Email: c.keyUser.email}, true
}

// KeyUserID returns the API key's user ID, when the client can tell it. It may list the
// organizations and their members (through the shared answers), once per client.
func (c *Client) KeyUserID(ctx context.Context) (string, bool) {
	c.keyUser.mu.Lock()
	defer c.keyUser.mu.Unlock()
	if c.keyUser.known || c.keyUser.scanned {
		return c.keyUser.uid, c.keyUser.known
	}
	uid, email, complete := c.commonAcceptedMember(ctx)
	if uid != "" {
		c.keyUser.uid, c.keyUser.email, c.keyUser.known = uid, email, true
	} else if complete {
		c.keyUser.scanned = true
	}
	return c.keyUser.uid, c.keyUser.known
}

// commonAcceptedMember returns the one user who is an accepted member of every organization the
// key can see, or "" when that is not one user. complete is false when a request failed, so
// that a later call may try again.
func (c *Client) commonAcceptedMember(ctx context.Context) (uid, email string, complete bool) {
	orgs, err := c.ListOrganizationsShared(ctx)
	if err != nil {
		return "", "", false
	}
	var candidates map[string]bool
	emails := map[string]string{}
	for _, org := range orgs {
		members, err := c.ListMembersShared(ctx, org.ID)
		if err != nil {
			// Some roles may not list members (org_billing_admin); that organization tells nothing.
			continue
		}
		accepted := map[string]bool{}
		for _, m := range members {
			if !m.Pending() && m.UID != "" && (candidates == nil || candidates[m.UID]) {
				accepted[m.UID] = true
				emails[m.UID] = m.Email
			}
		}
		candidates = accepted
		if len(candidates) <= 1 {
			break
		}
	}
	if len(candidates) != 1 {
		return "", "", true
	}
	for id := range candidates {
		uid = id
	}
	return uid, emails[uid], true
}
