package capgo

import (
	"encoding/json"
	"fmt"
)

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

// Member is a member or a pending invitee of an organization, the same from both APIs.
type Member struct {
	UID   string
	Email string
	// ImageURL is nil when the member has no image: the documented API sends null, the production
	// API "".
	ImageURL *string
	// Role is the role as the server names it, without the documented API's invite_ prefix:
	// write, org_admin, or a role this package does not know (see roles.go).
	Role string
	// Status tells an accepted member from a pending invitee.
	Status MemberStatus

	// api is which API the answer came from, as far as this member tells (api.go).
	api API
}

// MemberStatus is whether someone is a member of an organization or only invited to it.
type MemberStatus string

const (
	// MemberActive: the invitation was accepted, the role's rights apply.
	MemberActive MemberStatus = "active"
	// MemberPending: invited, not accepted yet; no rights at all in the organization.
	MemberPending MemberStatus = "pending"
)

// Pending reports an invitation not accepted yet.
func (m Member) Pending() bool { return m.Status == MemberPending }

// ControlsOrganization reports an accepted member whose role lets them manage the organization
// and its members: admin or super_admin, in either vocabulary. Only through such a membership can
// an API key manage an organization.
func (m Member) ControlsOrganization() bool { return !m.Pending() && managesMembers(m.Role) }

// wireMember is a member as either API sends it.
type wireMember struct {
	UID      string  `json:"uid"`
	Email    string  `json:"email"`
	ImageURL *string `json:"image_url"`
	// Role is invite_<role> for a documented invitation.
	Role string `json:"role"`
	// IsTmp flags a pending invitation in the production API; absent from the documented one.
	IsTmp *bool `json:"is_tmp"`
}

// UnmarshalJSON decodes a member of either API.
func (m *Member) UnmarshalJSON(data []byte) error {
	var w wireMember
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*m = Member{UID: w.UID, Email: w.Email, ImageURL: w.ImageURL, Role: w.Role, Status: MemberActive,
		api: apiOfMember(w.IsTmp != nil, w.Role)}
	if plain, invited := IsInvitationRole(w.Role); invited {
		m.Role, m.Status = plain, MemberPending
	}
	if w.IsTmp != nil && *w.IsTmp {
		m.Status = MemberPending
	}
	if m.ImageURL != nil && *m.ImageURL == "" {
		m.ImageURL = nil
	}
	return nil
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
