package capgo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// serverClockSkew is how far apart the clock behind an answer's Date header and the one that
// stamps created_at are taken to be: in Capgo's production API the first is the edge's, the
// second the database's. An organization created earlier than the before-list's Date minus this
// is not taken for one this call made. Too small a value can only make the read-back report that
// it cannot tell, never make it adopt an older organization.
const serverClockSkew = time.Second

// CreateOrganizationOnce creates an organization and returns its id, making at most one
// organization however the answers get lost.
//
// After an ambiguous failure it looks for the organization that this very request made, and
// adopts it instead of creating a second one. Names are not unique, so a name alone proves
// nothing: the organization adopted must
//   - have the requested name,
//   - not have existed before this call: it is absent from a list taken first and, when that
//     list may be cut at OrganizationListLimit (absence from it then proves nothing), its
//     created_at is later than the server's Date on that list's answer, less serverClockSkew,
//   - have been created by the key's own user: its creator is its only member. The list shows
//     only organizations the key's user has joined, so when that sole member is the creator,
//     the creator is the key's user, and a new organization nobody else has touched yet,
//   - be the only one to qualify.
//
// The request is sent again only when a complete list shows that it made nothing. When the list
// may be cut, so that the new organization may exist without showing, or several organizations
// qualify, it fails with an error that names what may exist and what to do, and sends nothing
// more: a second organization would be worse.
//
// Within one client, creates of the same name are serialised, so that two resources with the same
// name in one Terraform run can never adopt each other's organization.
func (c *Client) CreateOrganizationOnce(ctx context.Context, req CreateOrganizationRequest) (string, error) {
	unlock := c.lockName(req.Name)
	defer unlock()

	dateCtx, date := withServerDate(ctx)
	list, err := c.ListOrganizations(dateCtx)
	if err != nil {
		return "", fmt.Errorf("listing organizations before creating one: %w", err)
	}
	before := newBeforeCreate(list, date.get())

	var id string
	var writeErr error
	err = c.WriteConfirmed(ctx,
		func(ctx context.Context) error {
			id, writeErr = c.CreateOrganization(ctx, req)
			return writeErr
		},
		func(ctx context.Context) (bool, error) {
			adopted, err := c.findOwnNewOrganization(ctx, req.Name, before)
			if undecided, ok := errors.AsType[*undecidedCreateError](err); ok {
				undecided.cause = writeErr
			}
			if adopted != "" {
				id = adopted
			}
			return adopted != "", err
		})
	if undecided, ok := errors.AsType[*undecidedCreateError](err); ok {
		tflog.SubsystemWarn(ctx, logSubsystem, "cannot tell whether the lost create made an organization; not sending it again", map[string]any{
			"candidates": undecided.candidates,
		})
		return "", undecided
	}
	if err != nil {
		return "", err
	}
	return id, nil
}

// beforeCreate is what the list taken before a create proves about the organizations a later
// list shows.
type beforeCreate struct {
	known map[string]bool // the ids listed
	// truncated: the list may have been cut, so that absence from it proves nothing.
	truncated bool
	// createdAfter is a time on the server's clock before this call's create: an organization
	// created at or before it is not the create's. Zero when the server gave no time.
	createdAfter time.Time
}

func newBeforeCreate(list []Organization, date time.Time) beforeCreate {
	b := beforeCreate{known: make(map[string]bool, len(list)), truncated: OrganizationListMayBeTruncated(len(list))}
	for _, org := range list {
		b.known[org.ID] = true
	}
	if date.IsZero() {
		return b
	}
	// Date is rounded down to the second and its clock may not be created_at's; every
	// organization listed was created before the create, on created_at's own clock.
	b.createdAfter = date.Add(-serverClockSkew)
	for _, org := range list {
		if created, ok := parseCreatedAt(org.CreatedAt); ok && created.After(b.createdAfter) {
			b.createdAfter = created
		}
	}
	return b
}

// newness is whether an organization can be the one a create made.
type newness int

const (
	existedBefore newness = iota
	createdSince
	unknownAge // neither can be shown
)

func (b beforeCreate) newness(org Organization) newness {
	switch {
	case b.known[org.ID]:
		return existedBefore
	case !b.truncated:
		return createdSince
	}
	created, ok := parseCreatedAt(org.CreatedAt)
	switch {
	case !ok || b.createdAfter.IsZero():
		return unknownAge
	case created.After(b.createdAfter):
		return createdSince
	default:
		return existedBefore
	}
}

// parseCreatedAt reads a created_at: RFC 3339, or PostgreSQL's text form of a timestamptz.
func parseCreatedAt(s string) (time.Time, bool) {
	for _, layout := range []string{
		time.RFC3339Nano,
		"2006-01-02T15:04:05.999999999Z07",
		"2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999Z07",
	} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// findOwnNewOrganization returns the id of the one organization named name that was created
// since before was listed and whose only member is its creator; "" when a complete list shows
// none. When it cannot tell (the list may be cut and shows none, or several qualify, or the age
// of one cannot be read), the error is an *undecidedCreateError.
func (c *Client) findOwnNewOrganization(ctx context.Context, name string, before beforeCreate) (string, error) {
	orgs, err := c.ListOrganizations(ctx)
	if err != nil {
		return "", err
	}
	var found, unsure []string
	for _, org := range orgs {
		if org.Name != name {
			continue
		}
		age := before.newness(org)
		if age == existedBefore {
			continue
		}
		members, err := c.ListMembers(ctx, org.ID)
		if err != nil {
			return "", err
		}
		if len(members) != 1 || members[0].UID != org.CreatedBy || members[0].Pending() {
			continue
		}
		if age == unknownAge {
			unsure = append(unsure, org.ID)
		} else {
			found = append(found, org.ID)
		}
	}
	truncated := before.truncated || OrganizationListMayBeTruncated(len(orgs))
	switch {
	case len(found) == 1 && len(unsure) == 0:
		tflog.SubsystemInfo(ctx, logSubsystem, "adopting the organization the lost create made", map[string]any{
			"organization_id": found[0],
		})
		return found[0], nil
	case len(found)+len(unsure) > 0:
		return "", &undecidedCreateError{name: name, candidates: append(found, unsure...), truncated: truncated}
	case OrganizationListMayBeTruncated(len(orgs)):
		return "", &undecidedCreateError{name: name, truncated: true}
	default:
		return "", nil
	}
}

// undecidedCreateError reports a create whose answer was lost and whose outcome the read-back
// cannot establish. It wraps the create's own failure, so IsAmbiguous holds for it.
type undecidedCreateError struct {
	name string
	// candidates are the organizations that may be the one the create made; none when the list
	// may not show it.
	candidates []string
	truncated  bool // the lists may leave organizations out
	cause      error
}

func (e *undecidedCreateError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "organization %q may have been created: the answer to the create request was lost", e.name)
	if e.cause != nil {
		fmt.Fprintf(&b, " (%v)", e.cause)
	}
	switch {
	case e.truncated && len(e.candidates) == 0:
		fmt.Fprintf(&b, ", and the API key sees more organizations than the API lists (at most %d), so the provider cannot tell whether it exists.", OrganizationListLimit)
	case e.truncated:
		fmt.Fprintf(&b, ", and the API key sees more organizations than the API lists (at most %d), so the provider cannot tell which of the organizations named %q it made, if any: %s.",
			OrganizationListLimit, e.name, strings.Join(e.candidates, ", "))
	default:
		fmt.Fprintf(&b, ", and several organizations named %q were created since it was sent (%s), so the provider cannot tell which one it made.",
			e.name, strings.Join(e.candidates, ", "))
	}
	fmt.Fprintf(&b, " The request was not sent again, so as not to make a second organization."+
		" Look for an organization named %q in the Capgo console (the capgo_organizations data source lists at most %d):"+
		" if it exists, import it with `terraform import capgo_organization.<name> <id>`, or delete it; then apply again.",
		e.name, OrganizationListLimit)
	return b.String()
}

func (e *undecidedCreateError) Unwrap() error { return e.cause }

// lockName serialises work on one organization name and returns the unlock.
func (c *Client) lockName(name string) func() {
	value, _ := c.nameLocks.LoadOrStore(name, &sync.Mutex{})
	mu, _ := value.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}
