// Package mockserver is an in-memory Capgo API server for tests, the
// quickstart and benchmarks. It speaks the organizations API in one of the
// dialects of capgo-api.md and offers a control API under /_mock/ to create
// accounts, accept invitations, inject faults and inspect its state.
//
// In process, New returns an http.Handler and NewTestServer runs one on an
// httptest.Server for the length of a test. The command under cmd/capgo-mock
// runs it on its own. ControlClient calls the control API of either, and is
// the one client of it that tests, scripts/mockctl and scripts/bench share.
//
// Where the contract is silent, the mock behaves as follows, in both dialects
// unless a point names one.
//
//   - An unknown route, or a method a route does not have, is 404 in the
//     dialect's error envelope ("Not found"; in rbac not_found without
//     moreInfo), before any authentication.
//   - docs: the key is read from authorization, else capgkey; a request
//     with both uses authorization.
//   - Faults apply to every public request, known route or not, before
//     authentication, as a rate limiter or proxy in front of the API would.
//     Statistics count every public request the same way, keyed by method
//     and path with a trailing slash.
//   - docs: injected 429 and 500 carry the contract's messages; other
//     injected statuses carry the HTTP reason phrase ("Service Unavailable").
//     An empty error_statuses injects 500. A lost response counts as an
//     injected fault. The seed of a fault profile defaults to 0, so every
//     profile is repeatable.
//   - A request whose client goes away during the injected latency is not
//     carried out.
//   - Request parameters are validated before the organization is looked up
//     and rights are checked, on every route (capgo-api.md 1.9 for all).
//     docs: a field of the wrong JSON type reads as missing, so it gets that
//     field's message; a logo of the wrong type, which has no message of its
//     own, is "Invalid JSON body". A body over 1 MiB is "Invalid JSON body".
//   - GET /organization/ with an empty orgId lists organizations.
//   - docs: a DELETE reads its parameters from the JSON body and the query
//     string together; the body wins when both carry one. An empty DELETE
//     body is allowed; a non-empty one must be a JSON object.
//   - docs: names are stored as given (not trimmed). Emails are stored as
//     given and unique among accounts without regard to case.
//   - Timestamps have microsecond precision. docs: updated_at strictly
//     increases on every successful PUT.
//   - GET /_mock/state lists the dialect's roles without the pending prefix,
//     with a pending flag, and the dialect's organization object (in rbac
//     with website, null when unset). Control API errors are {"error": "<message>"} whatever
//     the dialect; control bodies with unknown fields are refused (400), so
//     that a typo in a fault profile does not silently disable a fault.
//     POST /_mock/users for a taken email is 409; a wrong method on a
//     control route is 405. The control API matches emails without regard
//     to case in both dialects.
//
// In dialect rbac (capgo-api.md, section 2), where section 2 is silent:
//
//   - Error codes are the contract's; messages are the mock's own wording,
//     and an invalid_body message says which field is wrong. moreInfo is {}
//     wherever the contract names no content; the 403 invalid_org_id of
//     DELETE /organization/ carries org_id like its 400 twin.
//   - A key that is empty or blank counts as no key. The mock's own keys
//     are valid keys although they are not UUIDs: the UUID rule decides
//     only which error an unknown key gets.
//   - An injected 429 is too_many_requests; every injected 5xx is
//     unknown_error, as is an internal failure; another injected 4xx has the
//     snake_case of its reason phrase as code (403 gives forbidden;
//     unknown_error when it has none). The message is the reason phrase.
//   - The rate limits (2000 requests per key per minute, a lockout after
//     20 failed authentications from one IP) are enforced by default; a
//     test whose outcome must not depend on its speed turns them off
//     through PUT /_mock/limits.
//   - A body that is not a JSON object (malformed, an array, null, over
//     1 MiB) is invalid_json_parse_body, whatever the query string says.
//   - A request without a key is no failed authentication for the lockout:
//     only a wrong key or token counts.
//   - Any missing or malformed field is invalid_body, a missing orgId on
//     every route and a logo or website of the wrong type included. The
//     3-character minimum of a name on POST counts characters (not bytes)
//     of the sanitised name. POST ignores fields it does not take (logo,
//     management_email).
//   - A logo is a storage path, and read as a freshly signed URL, unless
//     it starts with http:// or https://.
//   - The list of organizations is the first 50 of the caller's, oldest
//     first, with no paging.
//   - invite_type is matched exactly, case included. The invite_ prefix is
//     taken on the five docs role names only (invite_write, not
//     invite_org_member). With both role and invite_type, role is ignored.
//   - Rank guards compare the role invited to, or the role of the accepted
//     member removed, with the caller's: an equal rank is allowed, so an
//     org_admin may invite or remove another org_admin. A caller without the right to manage members
//     gets cannot_access_organization, never NO_RIGHTS.
//   - After the rights check, an invitation is refused for rank (NO_RIGHTS),
//     then for the account (NO_EMAIL), then for an existing membership
//     (ALREADY_INVITED), so another spelling of a member's email is
//     NO_EMAIL. A removal looks for the account (user_not_found), then the
//     membership (organization_member_not_found), then compares ranks.
//   - Exact-case matching applies to the emails a request names. Accounts
//     stay unique without regard to case, so another spelling of an
//     account's email is never a second account.
//   - The organization is deleted when its last accepted org_super_admin
//     removes itself: the rank guard lets nobody else remove it. Pending
//     org_super_admins do not count as successors.
//   - Seed files take the four rbac roles and apikey_manager, not the
//     invite_type aliases.
//     A seeded organization's customer_id is pending_<id>, as for one created
//     over the API.
package mockserver
