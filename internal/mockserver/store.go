package mockserver

import (
	"container/list"
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// store is the state the mock keeps in memory: accounts, organizations and
// memberships. It knows nothing of any dialect's wire format or role
// vocabulary; roles are kept as the dialect's plain role names and the dialect
// decides what they allow. The store is not safe for concurrent use: the
// Server guards it with its mutex.
type store struct {
	users        []*user          // in creation order
	usersByEmail map[string]*user // keyed by lower-cased email
	usersByKey   map[string]*user // keyed by API key

	orgs     []*organization // in creation order, so "oldest first" needs no sort
	orgsByID map[string]*organization

	// keySeq numbers API keys, auditSeq audit entries, as the backend's
	// tables number their rows.
	keySeq, auditSeq int64

	// webhooks and deliveries index those of every organization by id
	// (README.md, 2.5).
	webhooks   map[string]*webhook
	deliveries map[string]*delivery
	// deliver sends a new pending delivery; the Server sets it, and a store
	// without one keeps its deliveries pending.
	deliver func(*delivery)

	now func() time.Time
}

type user struct {
	uid      string
	email    string // as the account registered it
	apiKey   string // empty when the account has no key
	imageURL *string

	// The facts of dialect rbac about the account and its key (README.md,
	// 2.4); docs ignores them.
	// orgCreate: the key holds the organization-creation grant.
	orgCreate bool
	// twoFactor: the account has two-factor authentication on.
	twoFactor bool
	// apiKeyExpires: the key has an expiry date.
	apiKeyExpires bool
	// apiKeyID numbers the key, for the audit log.
	apiKeyID int64
	// appScoped: the key holds an app- or channel-level role somewhere,
	// which bars it from managing webhooks (2.5).
	appScoped bool
}

type organization struct {
	id              string
	createdBy       string
	createdAt       time.Time
	updatedAt       time.Time
	logo            *string
	name            string
	managementEmail string
	customerID      *string
	// website and the security settings are dialect rbac's only; docs
	// neither shows nor sets them.
	website  *string
	security SecuritySettings
	// intent is the onboarding intent given at creation (rbac): the row keeps it as
	// onboarding {"intent": …}, which PUT's answer shows.
	intent string

	// members keeps *member values in the order they were added; byEmail
	// indexes its elements by lower-cased email so that lookups, additions and
	// removals stay O(1) however large the organization grows.
	members *list.List
	byEmail map[string]*list.Element
	// accepted counts accepted members per role, so invariants such as "at
	// least one accepted super admin" need no scan of the member list.
	accepted map[string]int

	// audit is the organization's audit log, oldest first; it goes with the
	// organization.
	audit []auditEntry

	// webhooks are oldest first (rbac); they go with the organization.
	webhooks []*webhook
}

type member struct {
	// id numbers the membership as the backend's org_users rows are numbered, for the audit log's
	// record_id (README.md, 2.6).
	id      int64
	user    *user
	role    string // the dialect's plain role, never prefixed
	pending bool
}

// membershipSeq numbers memberships across the process: ids stay unique through resets.
var membershipSeq atomic.Int64

// newStore returns an empty store whose timestamps come from now.
func newStore(now func() time.Time) *store {
	return &store{
		usersByEmail: make(map[string]*user),
		usersByKey:   make(map[string]*user),
		orgsByID:     make(map[string]*organization),
		webhooks:     make(map[string]*webhook),
		deliveries:   make(map[string]*delivery),
		now:          now,
	}
}

// emailKey is how emails are indexed: the store always matches them without
// regard to case; a dialect that matches exactly checks the result itself.
func emailKey(email string) string {
	return strings.ToLower(email)
}

// addUser creates an account. Emails are unique without regard to case, and
// API keys are unique; an empty apiKey means the account has none.
func (s *store) addUser(email, apiKey string) (*user, error) {
	if _, ok := s.usersByEmail[emailKey(email)]; ok {
		return nil, fmt.Errorf("user %s already exists", email)
	}
	if apiKey != "" {
		if _, ok := s.usersByKey[apiKey]; ok {
			return nil, fmt.Errorf("api key of %s is already used by another user", email)
		}
	}
	u := &user{uid: newID(), email: email, apiKey: apiKey, orgCreate: true}
	if apiKey != "" {
		s.keySeq++
		u.apiKeyID = s.keySeq
	}
	s.users = append(s.users, u)
	s.usersByEmail[emailKey(email)] = u
	if apiKey != "" {
		s.usersByKey[apiKey] = u
	}
	return u, nil
}

func (s *store) userByEmail(email string) *user {
	return s.usersByEmail[emailKey(email)]
}

func (s *store) userByAPIKey(key string) *user {
	if key == "" {
		return nil
	}
	return s.usersByKey[key]
}

// createOrganization creates an organization whose creator is its first,
// accepted member with ownerRole.
func (s *store) createOrganization(name string, creator *user, ownerRole string) *organization {
	now := s.now()
	o := &organization{
		id:              newID(),
		createdBy:       creator.uid,
		createdAt:       now,
		updatedAt:       now,
		name:            name,
		managementEmail: creator.email,
		members:         list.New(),
		byEmail:         make(map[string]*list.Element),
		accepted:        make(map[string]int),
	}
	s.orgs = append(s.orgs, o)
	s.orgsByID[o.id] = o
	o.addMember(creator, ownerRole, false)
	return o
}

func (s *store) organization(id string) *organization {
	return s.orgsByID[id]
}

// organizations returns every organization, oldest first.
func (s *store) organizations() []*organization {
	return s.orgs
}

// organizationsOf returns the organizations in which u is an accepted
// member, oldest first.
func (s *store) organizationsOf(u *user) []*organization {
	var out []*organization
	for _, o := range s.orgs {
		if o.acceptedMember(u.email) != nil {
			out = append(out, o)
		}
	}
	return out
}

// deleteOrganization removes an organization with all its members and
// webhooks. The scan is over organizations, never over members.
func (s *store) deleteOrganization(id string) {
	o, ok := s.orgsByID[id]
	if !ok {
		return
	}
	for _, w := range slices.Clone(o.webhooks) {
		s.removeWebhook(w)
	}
	delete(s.orgsByID, id)
	for i, o := range s.orgs {
		if o.id == id {
			s.orgs = append(s.orgs[:i], s.orgs[i+1:]...)
			break
		}
	}
}

// touch records a successful update. updated_at strictly increases, even when
// two updates fall within the clock's resolution, so clients can rely on it
// changing.
func (s *store) touch(o *organization) {
	now := s.now()
	if !now.After(o.updatedAt) {
		now = o.updatedAt.Add(time.Microsecond)
	}
	o.updatedAt = now
}

// member returns the member or pending invitee with this email, or nil.
func (o *organization) member(email string) *member {
	if e, ok := o.byEmail[emailKey(email)]; ok {
		return memberAt(e)
	}
	return nil
}

// acceptedMember returns the accepted member with this email, or nil for a
// pending invitee or someone who is not a member: only accepted members have
// rights.
func (o *organization) acceptedMember(email string) *member {
	if m := o.member(email); m != nil && !m.pending {
		return m
	}
	return nil
}

// memberAt is the member an element of the members list holds: the list holds nothing else.
func memberAt(e *list.Element) *member {
	m, _ := e.Value.(*member)
	return m
}

// memberList returns members and pending invitees in the order they were added.
func (o *organization) memberList() []*member {
	out := make([]*member, 0, o.members.Len())
	for e := o.members.Front(); e != nil; e = e.Next() {
		out = append(out, memberAt(e))
	}
	return out
}

func (o *organization) addMember(u *user, role string, pending bool) *member {
	m := &member{id: membershipSeq.Add(1), user: u, role: role, pending: pending}
	o.byEmail[emailKey(u.email)] = o.members.PushBack(m)
	if !pending {
		o.accepted[role]++
	}
	return m
}

func (o *organization) setRole(m *member, role string) {
	if !m.pending {
		o.accepted[m.role]--
		o.accepted[role]++
	}
	m.role = role
}

func (o *organization) accept(m *member) {
	if m.pending {
		m.pending = false
		o.accepted[m.role]++
	}
}

func (o *organization) removeMember(m *member) {
	key := emailKey(m.user.email)
	e, ok := o.byEmail[key]
	if !ok {
		return
	}
	o.members.Remove(e)
	delete(o.byEmail, key)
	if !m.pending {
		o.accepted[m.role]--
	}
}

// acceptedWithRole is the number of accepted members holding role.
func (o *organization) acceptedWithRole(role string) int {
	return o.accepted[role]
}

// isLastAccepted reports whether m is the only accepted member holding role:
// with role the dialect's owner role, the one member the organization cannot
// lose (docs refuses the change, rbac deletes the organization).
func (o *organization) isLastAccepted(m *member, role string) bool {
	return !m.pending && m.role == role && o.accepted[role] <= 1
}

// newID returns a random UUID (version 4). IDs are opaque to clients; a UUID
// looks like what the real service hands out.
func newID() string {
	var b [16]byte
	// crypto/rand.Read never returns an error on supported platforms.
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// timestamp formats a time as RFC 3339 in UTC with a fixed microsecond
// precision, fine enough for updated_at to change on every update.
func timestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000Z07:00")
}
