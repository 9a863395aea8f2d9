package capgo

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
)

const membersRoute = "/organization/members/"

// ListMembers returns the accepted members and pending invitees of an
// organization. Never nil.
func (c *Client) ListMembers(ctx context.Context, organizationID string) ([]Member, error) {
	body, err := c.do(ctx, call{
		method: http.MethodGet,
		route:  membersRoute,
		query:  url.Values{"orgId": {organizationID}},
	})
	if err != nil {
		return nil, err
	}
	members, err := decodeList[Member](body)
	if err != nil {
		return nil, decodeError(http.MethodGet, membersRoute, err)
	}
	c.noteMembers(members)
	return members, nil
}

// addMemberBody is the wire form of AddMemberRequest. The role goes out
// twice because the two dialects read different fields: docs reads "role"
// and ignores unknown fields, rbac requires "invite_type" (refusing a body
// with "role" alone) and takes the docs role names as aliases of its own.
// Sending both makes the same request valid for either server.
type addMemberBody struct {
	OrgID      string `json:"orgId"`
	Email      string `json:"email"`
	Role       string `json:"role"`
	InviteType string `json:"invite_type"`
}

// AddMember invites someone or, in the docs dialect, changes the role of an
// existing member or invitee. The docs dialect answers with the member as
// now stored; rbac answers no data, and then the result is (nil, nil).
func (c *Client) AddMember(ctx context.Context, req AddMemberRequest) (*Member, error) {
	defer c.changedMember(req.OrganizationID, req.Email)
	body, err := c.do(ctx, call{
		method: http.MethodPost,
		route:  membersRoute,
		body: addMemberBody{
			OrgID:      req.OrganizationID,
			Email:      req.Email,
			Role:       req.Role,
			InviteType: req.Role,
		},
	})
	if err != nil {
		return nil, err
	}
	raw, found, err := payload(body)
	if errors.Is(err, errEmptyAnswer) || (err == nil && (!found || isNull(raw))) {
		return nil, nil
	}
	if err != nil {
		return nil, decodeError(http.MethodPost, membersRoute, err)
	}
	var member Member
	if err := json.Unmarshal(raw, &member); err != nil {
		return nil, decodeError(http.MethodPost, membersRoute, err)
	}
	c.noteMembers([]Member{member})
	return &member, nil
}

// removeMemberBody is the wire form of RemoveMember's parameters.
type removeMemberBody struct {
	OrgID string `json:"orgId"`
	Email string `json:"email"`
}

// RemoveMember removes a member or revokes a pending invitation.
func (c *Client) RemoveMember(ctx context.Context, organizationID, email string) error {
	defer c.changedMember(organizationID, email)
	_, err := c.do(ctx, call{
		method: http.MethodDelete,
		route:  membersRoute,
		body:   removeMemberBody{OrgID: organizationID, Email: email},
	})
	return err
}
