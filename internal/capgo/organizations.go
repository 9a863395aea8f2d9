package capgo

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
)

const organizationRoute = "/organization/"

// ListOrganizations returns the organizations the key's user belongs to (in
// the docs dialect: accepted memberships only). Never nil.
func (c *Client) ListOrganizations(ctx context.Context) ([]Organization, error) {
	body, err := c.do(ctx, call{method: http.MethodGet, route: organizationRoute})
	if err != nil {
		return nil, err
	}
	orgs, err := decodeList[Organization](body)
	if err != nil {
		return nil, decodeError(http.MethodGet, organizationRoute, err)
	}
	c.noteOrganizations(orgs...)
	return orgs, nil
}

// OrganizationListLimit is the most organizations Capgo's production API lists in one answer to
// GET /organization/ (ListOrganizations). It lists them in no defined order, and offers no way to
// ask for the rest.
const OrganizationListLimit = 50

// OrganizationListMayBeTruncated reports whether a list of n organizations, as ListOrganizations
// returned it, may leave out some of the organizations the key's user belongs to: a list of
// exactly OrganizationListLimit may have been cut at the limit, so an organization missing from
// it may still exist, and any given organization may or may not be in it. A shorter list is
// complete, and so is a longer one: it comes from a server that does not cut (Capgo's documented
// API lists every organization).
func OrganizationListMayBeTruncated(n int) bool {
	return n == OrganizationListLimit
}

// GetOrganization returns one organization. An organization that does not
// exist, or that the user cannot see, is an error of kind KindNotFound.
func (c *Client) GetOrganization(ctx context.Context, id string) (*Organization, error) {
	body, err := c.do(ctx, call{
		method: http.MethodGet,
		route:  organizationRoute,
		query:  url.Values{"orgId": {id}},
	})
	if err != nil {
		return nil, err
	}
	raw, _, err := payload(body)
	if err != nil {
		return nil, decodeError(http.MethodGet, organizationRoute, err)
	}
	var org Organization
	if err := json.Unmarshal(raw, &org); err != nil {
		return nil, decodeError(http.MethodGet, organizationRoute, err)
	}
	if org.ID == "" {
		return nil, decodeError(http.MethodGet, organizationRoute, errors.New("no organization id in the answer"))
	}
	c.noteOrganizations(org)
	return &org, nil
}

// createOrganizationBody is the wire form of CreateOrganizationRequest.
type createOrganizationBody struct {
	Name    string `json:"name"`
	Email   string `json:"email,omitempty"`
	Website string `json:"website,omitempty"`
}

// CreateOrganization creates an organization, whose accepted super admin the
// key's user becomes, and returns its id. Names are not unique: never call it
// again after an IsAmbiguous error without looking for the organization
// first.
func (c *Client) CreateOrganization(ctx context.Context, req CreateOrganizationRequest) (string, error) {
	defer c.changedOrganizations("")
	body, err := c.do(ctx, call{
		method: http.MethodPost,
		route:  organizationRoute,
		body: createOrganizationBody{
			Name:    req.Name,
			Email:   req.ManagementEmail,
			Website: req.Website,
		},
	})
	if err != nil {
		return "", err
	}
	// docs answers {"status", "id"}, rbac {"id"}; a {"data": {"id"}} form is
	// accepted too in case the API ever wraps it like its other answers.
	var answer struct {
		ID   string `json:"id"`
		Data *struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return "", decodeError(http.MethodPost, organizationRoute, err)
	}
	id := answer.ID
	if id == "" && answer.Data != nil {
		id = answer.Data.ID
	}
	if id == "" {
		return "", decodeError(http.MethodPost, organizationRoute, errors.New("no organization id in the answer"))
	}
	return id, nil
}

// updateOrganizationBody is the wire form of UpdateOrganizationRequest:
// omitempty drops nil pointers only, so a pointer to "" is sent.
type updateOrganizationBody struct {
	OrgID           string  `json:"orgId"`
	Name            *string `json:"name,omitempty"`
	ManagementEmail *string `json:"management_email,omitempty"`
	Logo            *string `json:"logo,omitempty"`
	Website         *string `json:"website,omitempty"`
}

// UpdateOrganization changes the fields set in req and returns what the
// server answered: the docs dialect sends only id, name and
// management_email, rbac the whole organization. Read the organization again
// for a complete view. When the answer carries no organization at all, the
// result holds only the ID.
func (c *Client) UpdateOrganization(ctx context.Context, req UpdateOrganizationRequest) (*Organization, error) {
	defer c.changedOrganizations("")
	body, err := c.do(ctx, call{
		method: http.MethodPut,
		route:  organizationRoute,
		body: updateOrganizationBody{
			OrgID:           req.ID,
			Name:            req.Name,
			ManagementEmail: req.ManagementEmail,
			Logo:            req.Logo,
			Website:         req.Website,
		},
	})
	if err != nil {
		return nil, err
	}
	raw, found, err := payload(body)
	if err != nil && !errors.Is(err, errEmptyAnswer) {
		return nil, decodeError(http.MethodPut, organizationRoute, err)
	}
	org := Organization{}
	if found && !isNull(raw) {
		if err := json.Unmarshal(raw, &org); err != nil {
			return nil, decodeError(http.MethodPut, organizationRoute, err)
		}
	}
	if org.ID == "" {
		org.ID = req.ID
	}
	c.noteOrganizations(org)
	return &org, nil
}

// DeleteOrganization deletes an organization with all its members.
func (c *Client) DeleteOrganization(ctx context.Context, id string) error {
	defer c.changedOrganizations(id)
	_, err := c.do(ctx, call{
		method: http.MethodDelete,
		route:  organizationRoute,
		query:  url.Values{"orgId": {id}},
	})
	if err == nil {
		c.gates.markDeleted(id)
	}
	return err
}
