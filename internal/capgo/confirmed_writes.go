package capgo

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// A write whose answer is lost (a timeout, a connection closed after the request went out, a 5xx)
// may or may not have been carried out. Sending it again blindly can do harm: a second POST
// /organization/ makes a second organization. The helpers here read the server's state back
// after such a failure, treat a write that took effect as done, and send it again only when the
// read-back shows it did not happen.

// Confirm reports whether a write that failed ambiguously has taken effect on the server.
type Confirm func(ctx context.Context) (done bool, err error)

// WriteConfirmed runs write. After an ambiguous failure it asks confirm whether the write took
// effect: if so, that is success; if not, the write is sent again after a backoff, up to the
// client's retry limit. Failures that surely changed nothing are returned at once (429 and
// refused connections have already been retried by the transport).
func (c *Client) WriteConfirmed(ctx context.Context, write func(ctx context.Context) error, confirm Confirm) error {
	for attempt := 0; ; attempt++ {
		err := write(ctx)
		if err == nil || !IsAmbiguous(err) {
			return err
		}
		tflog.SubsystemWarn(ctx, logSubsystem, "write failed without a clear answer; reading back", map[string]any{
			"error": err.Error(), "attempt": attempt + 1,
		})
		done, confirmErr := confirm(ctx)
		if confirmErr != nil {
			return fmt.Errorf("%w; reading back whether it took effect failed too: %w", err, confirmErr)
		}
		if done {
			tflog.SubsystemInfo(ctx, logSubsystem, "the server holds the result of the write; not sending it again")
			return nil
		}
		if attempt >= c.http.RetryMax {
			return err
		}
		if waitErr := c.sleep(ctx, attempt, err); waitErr != nil {
			return fmt.Errorf("%w (stopped waiting to try again: %w)", err, waitErr)
		}
	}
}

// sleep waits before attempt+1, as the transport's backoff would, or until ctx ends.
func (c *Client) sleep(ctx context.Context, attempt int, cause error) error {
	wait := waitBefore(c.http.RetryWaitMin, c.http.RetryWaitMax, attempt, 0, nil)
	if apiErr, ok := AsAPIError(cause); ok && apiErr.RetryAfter > 0 {
		wait = min(apiErr.RetryAfter, c.http.RetryWaitMax)
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// CreateOrganizationOnce creates an organization and returns its id, making at most one
// organization however the answers get lost.
//
// After an ambiguous failure it looks for the organization that this very request made, and
// adopts it instead of creating a second one. Names are not unique, so a name alone proves
// nothing: the organization adopted must
//   - have the requested name,
//   - not have existed before this call (it is absent from a list taken first), and
//   - have been created by the key's own user: its creator is its only member. The list shows
//     only organizations the key's user has joined, so when that sole member is the creator,
//     the creator is the key's user, and a new organization nobody else has touched yet.
//
// Within one client, creates of the same name are serialised, so that two resources with the same
// name in one Terraform run can never adopt each other's organization.
func (c *Client) CreateOrganizationOnce(ctx context.Context, req CreateOrganizationRequest) (string, error) {
	unlock := c.lockName(req.Name)
	defer unlock()

	before, err := c.ListOrganizations(ctx)
	if err != nil {
		return "", fmt.Errorf("listing organizations before creating one: %w", err)
	}
	known := make(map[string]bool, len(before))
	for _, org := range before {
		known[org.ID] = true
	}

	var id string
	err = c.WriteConfirmed(ctx,
		func(ctx context.Context) error {
			var err error
			id, err = c.CreateOrganization(ctx, req)
			return err
		},
		func(ctx context.Context) (bool, error) {
			adopted, err := c.findOwnNewOrganization(ctx, req.Name, known)
			if adopted != "" {
				id = adopted
			}
			return adopted != "", err
		})
	if err != nil {
		return "", err
	}
	return id, nil
}

// findOwnNewOrganization returns the id of an organization named name, absent from known,
// whose only member is its creator; "" when there is none.
func (c *Client) findOwnNewOrganization(ctx context.Context, name string, known map[string]bool) (string, error) {
	orgs, err := c.ListOrganizations(ctx)
	if err != nil {
		return "", err
	}
	for _, org := range orgs {
		if org.Name != name || known[org.ID] {
			continue
		}
		members, err := c.ListMembers(ctx, org.ID)
		if err != nil {
			return "", err
		}
		if len(members) == 1 && members[0].UID == org.CreatedBy && !members[0].Pending() {
			tflog.SubsystemInfo(ctx, logSubsystem, "adopting the organization the lost create made", map[string]any{
				"organization_id": org.ID,
			})
			return org.ID, nil
		}
	}
	return "", nil
}

// lockName serialises work on one organization name and returns the unlock.
func (c *Client) lockName(name string) func() {
	value, _ := c.nameLocks.LoadOrStore(name, &sync.Mutex{})
	mu, _ := value.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}
