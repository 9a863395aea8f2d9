package capgo

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

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
