package capgo

import (
	"errors"
	"net/http"
	"time"
)

// ErrorKind is what a failed call means, whichever API answered: callers switch on it rather than
// on statuses, codes or message texts, which differ between the two APIs.
type ErrorKind int

const (
	// KindOther is none of the kinds below; the error's text says what happened.
	KindOther ErrorKind = iota
	// KindUnreachable: no usable answer (DNS, connection refused, timeout, a closed connection).
	KindUnreachable
	// KindNotCapgo: the answer did not come from Capgo's API (a proxy's page, an unknown route):
	// api_url is likely wrong. Never taken for a missing object.
	KindNotCapgo
	// KindKeyRefused: the server does not accept the API key (missing, unknown, deleted).
	KindKeyRefused
	// KindRateLimited: too many requests, still refused after the retries.
	KindRateLimited
	// KindLockedOut: the server refuses every request from this machine for a while (Capgo's
	// lockout after too many failed authentications from one IP address); LockedOutFor says how
	// long. Never retried.
	KindLockedOut
	// KindKeyNeedsExpiry: the organization accepts only API keys with an expiry date.
	KindKeyNeedsExpiry
	// KindServerError: the server failed (5xx).
	KindServerError
	// KindInvalidInput: the server refused a value of the request (a malformed email, a name too
	// short for the production API).
	KindInvalidInput
	// KindNotFound: the object does not exist, or the key's user cannot see it; a member who is
	// neither a member nor an invitee of the organization.
	KindNotFound
	// KindNoAccess: the production API's one answer for "no such organization" and "no right to do
	// this in it" (cannot_access_organization; invalid_org_id on a write). Read the organization to
	// tell the two apart before forgetting anything.
	KindNoAccess
	// KindNotAllowed: the key's user lacks the right for this change in the organization.
	KindNotAllowed
	// KindOutranked: the member, or the role asked for, ranks above the key's user's own.
	KindOutranked
	// KindLastSuperAdmin: refused because it would leave the organization without an accepted
	// super_admin (documented API; the production API deletes the organization instead).
	KindLastSuperAdmin
	// KindAlreadyMember: the email is already a member or a pending invitee of the organization
	// (the documented API says so only when they hold exactly the role asked for).
	KindAlreadyMember
	// KindNoSuchAccount: no Capgo account has this email (the production API matches it case
	// included).
	KindNoSuchAccount
	// KindNeeds2FA: only a user with two-factor authentication on may make the organization
	// enforce it, and the API key's user has it off.
	KindNeeds2FA
)

var errorKindNames = map[ErrorKind]string{
	KindOther: "other", KindUnreachable: "unreachable", KindNotCapgo: "not capgo", KindKeyRefused: "key refused",
	KindRateLimited: "rate limited", KindLockedOut: "locked out", KindKeyNeedsExpiry: "key needs an expiry date",
	KindServerError: "server error", KindInvalidInput: "invalid input",
	KindNotFound: "not found", KindNoAccess: "no access", KindNotAllowed: "not allowed", KindOutranked: "outranked",
	KindLastSuperAdmin: "last super_admin", KindAlreadyMember: "already a member", KindNoSuchAccount: "no such account",
	KindNeeds2FA: "needs two-factor authentication",
}

func (k ErrorKind) String() string { return errorKindNames[k] }

// The two APIs' answers, by kind. Statuses alone do not tell: the production API answers 400 for
// an organization it will not show, and 404 both for a missing member and for an unknown route.
var (
	// documentedMessageKinds are the documented API's error messages that mean more than their
	// status.
	documentedMessageKinds = map[string]ErrorKind{
		"User not found": KindNoSuchAccount,
		"Cannot remove the last admin from the organization": KindLastSuperAdmin,
	}
	// productionCodeKinds are the production API's error codes.
	productionCodeKinds = map[string]ErrorKind{
		"no_key_provided":                    KindKeyRefused,
		"no_jwt_apikey_or_subkey":            KindKeyRefused,
		"invalid_jwt":                        KindKeyRefused,
		"org_requires_expiring_key":          KindKeyNeedsExpiry,
		"invalid_apikey":                     KindKeyRefused,
		"invalid_json_parse_body":            KindInvalidInput,
		"invalid_body":                       KindInvalidInput,
		"cannot_access_organization":         KindNoAccess,
		"user_not_found":                     KindNoSuchAccount,
		"organization_member_not_found":      KindNotFound,
		"cannot_delete_higher_priority_role": KindOutranked,
		"too_many_requests":                  KindRateLimited,
		"not_found":                          KindNotCapgo,
		"requires_2fa_to_enforce_2fa":        KindNeeds2FA,
		"invalid_max_expiration_days":        KindInvalidInput,
		"invalid_required_encryption_key":    KindInvalidInput,
		"webhook_not_found":                  KindNotFound,
		"no_permission":                      KindNotAllowed,
		"invalid_url":                        KindInvalidInput,
		"invalid_events":                     KindInvalidInput,
		"invalid_delivery_version":           KindInvalidInput,
		"no_updates":                         KindInvalidInput,
		"delivery_not_found":                 KindNotFound,
	}
	// inviteRefusalKinds are moreInfo.data of the production API's
	// error_inviting_user_to_organization.
	inviteRefusalKinds = map[string]ErrorKind{
		"ALREADY_INVITED": KindAlreadyMember,
		"NO_EMAIL":        KindNoSuchAccount,
		"NO_RIGHTS":       KindOutranked,
	}
)

// KindOf classifies err, a failed call of this package's client.
func KindOf(err error) ErrorKind {
	apiErr, ok := AsAPIError(err)
	if !ok {
		var reqErr *requestError
		if errors.As(err, &reqErr) {
			return KindUnreachable
		}
		return KindOther
	}
	if apiErr.notCapgo {
		return KindNotCapgo
	}
	if apiErr.StatusCode == http.StatusTooManyRequests && apiErr.RetryAfter > lockoutWait {
		return KindLockedOut
	}
	if kind, ok := apiErr.productionKind(); ok {
		return kind
	}
	if kind, ok := documentedMessageKinds[apiErr.Message]; ok && apiErr.Code == "" {
		return kind
	}
	return kindOfStatus(apiErr.StatusCode)
}

// productionKind classifies the production API's codes that depend on more than the code.
func (e *APIError) productionKind() (ErrorKind, bool) {
	switch e.Code {
	case "":
		return KindOther, false
	case "invalid_org_id":
		// Reading one organization: it does not exist or cannot be read, as the documented API's
		// 404. Deleting one: no such organization, or not its org_super_admin.
		if e.Method == http.MethodGet {
			return KindNotFound, true
		}
		return KindNoAccess, true
	case "error_inviting_user_to_organization":
		data, _ := e.MoreInfo["data"].(string)
		kind, ok := inviteRefusalKinds[data]
		if !ok {
			return KindOther, true
		}
		return kind, true
	}
	kind, ok := productionCodeKinds[e.Code]
	return kind, ok
}

// kindOfStatus classifies what only the status tells.
func kindOfStatus(status int) ErrorKind {
	switch {
	case status == http.StatusUnauthorized:
		return KindKeyRefused
	case status == http.StatusForbidden:
		return KindNotAllowed
	case status == http.StatusNotFound:
		return KindNotFound
	case status == http.StatusConflict:
		return KindAlreadyMember
	case status == http.StatusTooManyRequests:
		return KindRateLimited
	case status >= http.StatusInternalServerError:
		return KindServerError
	case status == http.StatusBadRequest:
		return KindInvalidInput
	}
	return KindOther
}

// LockedOutFor is how long the server said a lockout (KindLockedOut) lasts.
func LockedOutFor(err error) (time.Duration, bool) {
	apiErr, ok := AsAPIError(err)
	if !ok || KindOf(err) != KindLockedOut {
		return 0, false
	}
	return apiErr.RetryAfter, true
}
