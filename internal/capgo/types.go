package capgo

import (
	"encoding/json"
	"fmt"
	"strings"
)

// invitePrefix marks a pending invitation's role in the docs dialect.
const invitePrefix = "invite_"

// Organization is a Capgo organization as the API returns it.
type Organization struct {
	ID              string  `json:"id"`
	CreatedBy       string  `json:"created_by"`
	CreatedAt       string  `json:"created_at"`
	UpdatedAt       string  `json:"updated_at"`
	Logo            *string `json:"logo"`
	Name            string  `json:"name"`
	ManagementEmail string  `json:"management_email"`
	CustomerID      *string `json:"customer_id"`
	// Website exists in the rbac dialect only; nil in docs, and nil in rbac
	// when not set. HasWebsite tells the two apart.
	Website *string `json:"website"`
	// HasWebsite reports whether the answer had a website field at all, that
	// is, whether the server supports websites.
	HasWebsite bool `json:"-"`
}

// UnmarshalJSON decodes an organization and notes whether the server sent a
// website field.
func (o *Organization) UnmarshalJSON(data []byte) error {
	type plain Organization // without this method, so that decoding does not recurse
	var fields struct {
		plain
		Website json.RawMessage `json:"website"`
	}
	if err := json.Unmarshal(data, &fields); err != nil {
		return err
	}
	*o = Organization(fields.plain)
	o.HasWebsite = fields.Website != nil
	if o.HasWebsite && string(fields.Website) != "null" {
		var website string
		if err := json.Unmarshal(fields.Website, &website); err != nil {
			return fmt.Errorf("website: %w", err)
		}
		o.Website = &website
	}
	return nil
}

// Member is a member or a pending invitee of an organization.
type Member struct {
	UID   string `json:"uid"`
	Email string `json:"email"`
	// ImageURL is null in docs and a string ("" when none) in rbac; an
	// empty string is kept as a non-nil pointer, callers decide.
	ImageURL *string `json:"image_url"`
	// Role is the role as the server reports it (invite_write, org_admin, …).
	Role string `json:"role"`
	// IsTmp flags a pending invitation in the rbac dialect; nil in docs.
	IsTmp *bool `json:"is_tmp"`
}

// Pending reports an invitation not accepted yet, whichever dialect said so.
func (m Member) Pending() bool {
	return (m.IsTmp != nil && *m.IsTmp) || strings.HasPrefix(m.Role, invitePrefix)
}

// PlainRole is the role without the docs dialect's "invite_" prefix.
func (m Member) PlainRole() string {
	return strings.TrimPrefix(m.Role, invitePrefix)
}

// CreateOrganizationRequest is the input of CreateOrganization.
type CreateOrganizationRequest struct {
	Name string
	// ManagementEmail is sent as "email" when set; the rbac dialect uses it,
	// the docs dialect ignores it (set it with UpdateOrganization there).
	ManagementEmail string
	// Website is sent when set (rbac only).
	Website string
}

// UpdateOrganizationRequest is the input of UpdateOrganization. A nil field
// is not sent and stays as it is.
type UpdateOrganizationRequest struct {
	ID              string // sent as orgId
	Name            *string
	ManagementEmail *string
	// Logo set to "" clears the logo.
	Logo    *string
	Website *string
}

// AddMemberRequest is the input of AddMember.
type AddMemberRequest struct {
	OrganizationID string
	Email          string
	// Role is a plain role (read, upload, write, admin, super_admin) or an
	// rbac role (org_member, …).
	Role string
}
