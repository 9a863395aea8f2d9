package mockserver

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
)

// Error codes of dialect rbac (README.md, 2.2). Clients match on them.
const (
	rbacCodeNoKey               = "no_key_provided"
	rbacCodeInvalidAPIKey       = "invalid_apikey"
	rbacCodeNoCredentials       = "no_jwt_apikey_or_subkey"
	rbacCodeExpiringKeyRequired = "org_requires_expiring_key"
	rbacCodeMissingOrgID        = "missing_org_id"
	rbacCodeInvalidJWT          = "invalid_jwt"
	rbacCodeInvalidJSON         = "invalid_json_parse_body"
	rbacCodeInvalidBody         = "invalid_body"
	rbacCodeInvalidOrgID        = "invalid_org_id"
	rbacCodeCannotAccessOrg     = "cannot_access_organization"
	rbacCodeInviteRefused       = "error_inviting_user_to_organization"
	rbacCodeUserNotFound        = "user_not_found"
	rbacCodeMemberNotFound      = "organization_member_not_found"
	rbacCodeHigherRole          = "cannot_delete_higher_priority_role"
	rbacCodeTooManyRequests     = "too_many_requests"
	rbacCodeNotFound            = "not_found"
	rbacCodeUnknownError        = "unknown_error"
)

// Messages of dialect rbac. Capgo fixes none of them, so these are the
// mock's own wording; clients should not match on them.
const (
	rbacMsgNoKey               = "No API key provided"
	rbacMsgInvalidAPIKey       = "Invalid API key"
	rbacMsgNoCredentials       = "No JWT, API key or subkey provided"
	rbacMsgExpiringKeyRequired = "This organization requires API keys with an expiry date"
	rbacMsgMissingOrgID        = "orgId is required"
	rbacMsgInvalidJWT          = "Invalid JWT"
	rbacMsgInvalidJSON         = "Invalid JSON body"
	rbacMsgCannotAccessOrg     = "You cannot access this organization"
	rbacMsgCannotDeleteOrg     = "You cannot delete this organization"
	rbacMsgInviteRefused       = "Error inviting user to organization"
	rbacMsgUserNotFound        = "User not found"
	rbacMsgMemberNotFound      = "Organization member not found"
	rbacMsgHigherRole          = "Cannot remove a member whose role ranks above yours"
	rbacMsgTooManyRequests     = "Too many requests"
	rbacMsgNotFound            = "Not found"
)

// Reasons of a refused invitation, sent as moreInfo.data.
const (
	rbacInviteAlreadyInvited = "ALREADY_INVITED"
	rbacInviteNoEmail        = "NO_EMAIL"
	rbacInviteNoRights       = "NO_RIGHTS"
)

const (
	// rbacMinNameChars is the shortest organization name the backend takes.
	rbacMinNameChars = 3
	// rbacMaxOrganizationsListed caps GET /organization/ without orgId.
	rbacMaxOrganizationsListed = 50
	// rbacPendingCustomerIDPrefix starts the customer_id of a new
	// organization, before billing is set up.
	rbacPendingCustomerIDPrefix = "pending_"
)

// Roles of dialect rbac (2.1), and apikey_manager, which only the Capgo
// console assigns (2.4): the API invites to the other four alone.
const (
	rbacRoleMember        = "org_member"
	rbacRoleAPIKeyManager = "apikey_manager"
	rbacRoleBillingAdmin  = "org_billing_admin"
	rbacRoleAdmin         = "org_admin"
	rbacRoleSuperAdmin    = "org_super_admin"
)

// rbacRoleRank orders the roles: nobody may invite or remove a role ranked
// above their own. Seeds take every role it ranks.
var rbacRoleRank = roleRanks{
	rbacRoleMember:        75,
	rbacRoleAPIKeyManager: 78,
	rbacRoleBillingAdmin:  80,
	rbacRoleAdmin:         90,
	rbacRoleSuperAdmin:    95,
}

// rbacInvitableRoles are the roles an invitation may grant.
var rbacInvitableRoles = []string{rbacRoleMember, rbacRoleBillingAdmin, rbacRoleAdmin, rbacRoleSuperAdmin}

// rbacInviteTypes maps every accepted invite_type to the role it grants: the
// four invitable roles, and the docs roles, plain or invite_-prefixed, which
// the backend takes as aliases (README.md, 2.3). The prefix goes with the
// docs names only.
var rbacInviteTypes = func() map[string]string {
	m := map[string]string{}
	for _, role := range rbacInvitableRoles {
		m[role] = role
	}
	for alias, role := range map[string]string{
		docsRoleRead:       rbacRoleMember,
		docsRoleUpload:     rbacRoleMember,
		docsRoleWrite:      rbacRoleMember,
		docsRoleAdmin:      rbacRoleAdmin,
		docsRoleSuperAdmin: rbacRoleSuperAdmin,
	} {
		m[alias] = role
		m[docsInvitePrefix+alias] = role
	}
	return m
}()

// rbacInviteTypeNames lists the accepted invite_type values, sorted, for the
// message that refuses another one.
func rbacInviteTypeNames() []string {
	names := make([]string, 0, len(rbacInviteTypes))
	for name := range rbacInviteTypes {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

type rbacError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
	// MoreInfo is an object, {} when there is nothing more to say; it is
	// left out (nil) only for not_found, as README.md 2.2 has it.
	MoreInfo any `json:"moreInfo,omitempty"`
}

// rbacDialect implements dialect rbac, README.md section 2: what
// Capgo's backend does in production. It holds no state: the store is the
// state.
type rbacDialect struct{}

// notFound is the one error without moreInfo.
func (rbacDialect) notFound(string) *apiResponse {
	return &apiResponse{status: http.StatusNotFound, body: rbacError{Error: rbacCodeNotFound, Message: rbacMsgNotFound}}
}

// defaultLimits are the backend's.
func (rbacDialect) defaultLimits() Limits {
	return productionLimits
}

// errorResponse answers 429 as README.md 2.2 does and every 5xx with the
// backend's catch-all code. A 4xx other than 429 has no code of its own,
// so it gets the snake_case of its reason phrase (unknown_error when it has
// none). The message is the reason phrase.
func (rbacDialect) errorResponse(status int) *apiResponse {
	if status == http.StatusTooManyRequests {
		return rbacFail(status, rbacCodeTooManyRequests, rbacMsgTooManyRequests, nil)
	}
	code := rbacCodeUnknownError
	if phrase := http.StatusText(status); status < 500 && phrase != "" {
		code = strings.ToLower(strings.NewReplacer(" ", "_", "-", "_", "'", "").Replace(phrase))
	}
	return rbacFail(status, code, statusText(status), nil)
}

// givesOwnOrganization: Capgo's sign-up gives every account an organization.
func (rbacDialect) givesOwnOrganization() bool {
	return true
}

// checkSeed takes every field of a seed.
func (rbacDialect) checkSeed(*Seed) error {
	return nil
}

func (rbacDialect) roles() roleRanks {
	return rbacRoleRank
}

// newOrganization starts customer_id as pending_<id>, as the backend does
// until billing is set up.
func (d rbacDialect) newOrganization(st *store, name string, creator *user) *organization {
	o := st.createOrganization(name, creator, rbacRoleSuperAdmin)
	customerID := rbacPendingCustomerIDPrefix + o.id
	o.customerID = &customerID
	o.intent = rbacDefaultIntent
	return o
}

func (d rbacDialect) stateOrganization(o *organization, members []StateMember) any {
	security := o.security
	return StateOrganization{rbacOrganizationOf(o), &security, members}
}

// readBody parses the parameters of a request that changes something, from
// its JSON body or, when it has none, its query string: never both, since
// the backend reads one or the other. An empty object {} counts as no body.
// With neither there is nothing to parse, which is README.md 2.2's
// invalid_json_parse_body, as is a body that is not a JSON object.
func (rbacDialect) readBody(req *apiRequest, _ bool) (params, *apiResponse) {
	refused := rbacFail(http.StatusBadRequest, rbacCodeInvalidJSON, rbacMsgInvalidJSON, nil)
	if req.bodyUnreadable {
		return params{}, refused
	}
	if len(bytes.TrimSpace(req.body)) > 0 {
		body, ok := parseObject(req.body)
		if !ok {
			return params{}, refused
		}
		if len(body) > 0 {
			return params{body: body}, nil
		}
	}
	if len(req.query) > 0 {
		return params{query: req.query}, nil
	}
	return params{}, refused
}

// rbacAccount returns the account whose email is exactly email, case
// included: the backend matches emails exactly, so another spelling of an
// existing account's email is no account at all.
func rbacAccount(st *store, email string) *user {
	if u := st.userByEmail(email); u != nil && u.email == email {
		return u
	}
	return nil
}

// rbacManagedOrganization returns the organization and the caller's
// membership when the caller may manage it (org_admin or org_super_admin,
// accepted). Otherwise, and when it does not exist, the answer is
// cannot_access_organization, the same either way; or the organization's
// refusal of the caller's key.
func rbacManagedOrganization(st *store, caller *user, id string) (*organization, *member, *apiResponse) {
	o, self, fail := rbacMembership(st, caller, id)
	if fail != nil {
		return nil, nil, fail
	}
	if self == nil || !rbacRoleRank.atLeast(self.role, rbacRoleAdmin) {
		return nil, nil, rbacCannotAccess(id)
	}
	return o, self, nil
}

// rbacMembership looks up an organization (nil when it does not exist) and
// the caller's accepted membership of it (nil when none). An organization
// that requires expiring keys refuses a member whose key has no expiry date:
// the caller is then told so, whatever the route would have answered.
func rbacMembership(st *store, caller *user, id string) (*organization, *member, *apiResponse) {
	o := st.organization(id)
	if o == nil {
		return nil, nil, nil
	}
	self := o.acceptedMember(caller.email)
	if self != nil && o.security.RequireAPIKeyExpiration && !caller.apiKeyExpires {
		return nil, nil, rbacFail(http.StatusUnauthorized, rbacCodeExpiringKeyRequired, rbacMsgExpiringKeyRequired, nil)
	}
	return o, self, nil
}

func rbacCannotAccess(id string) *apiResponse {
	return rbacFail(http.StatusBadRequest, rbacCodeCannotAccessOrg, rbacMsgCannotAccessOrg, map[string]string{"orgId": id})
}

// refuseField answers any bad field with invalid_body, its message saying
// what is wrong.
func (rbacDialect) refuseField(bad *badField) *apiResponse {
	return rbacInvalidBody(bad.reason)
}

// validEmail asks for a top-level domain of two letters or more.
func (rbacDialect) validEmail(email string) bool {
	return rbacValidEmail(email)
}

func rbacInvalidBody(reason string) *apiResponse {
	return rbacFail(http.StatusBadRequest, rbacCodeInvalidBody, "Invalid body: "+reason, nil)
}

func rbacInviteRefused(why string) *apiResponse {
	return rbacFail(http.StatusBadRequest, rbacCodeInviteRefused, rbacMsgInviteRefused, map[string]string{"data": why})
}

// rbacFail builds the error envelope; a nil moreInfo is sent as {}.
func rbacFail(status int, code, msg string, moreInfo map[string]string) *apiResponse {
	if moreInfo == nil {
		moreInfo = map[string]string{}
	}
	return &apiResponse{status: status, body: rbacError{Error: code, Message: msg, MoreInfo: moreInfo}}
}
