// Package capgo is a client for the Capgo organizations API.
//
// Capgo speaks two APIs on the same routes, as internal/mockserver/README.md describes: the one in
// its public documentation (answers wrapped in {"data": …}, errors {"error": "<text>", "status":
// "KO"}, roles read…super_admin, invitations shown as invite_<role>) and the one its backend
// actually serves (bare answers, errors {"error": "<code>", "message": …, "moreInfo": {…}}, roles
// org_*, invitations flagged is_tmp). All knowledge of the two stays in this package, so that a new
// rule of either changes this package only:
//
//   - Callers get the same Go types from both: a Member has a plain role and a status
//     (types.go), an error has a kind (error_kinds.go).
//   - The client recognises which API a server speaks from its answers, in one place (api.go),
//     and API names what callers must do differently for each, such as whether a role changes in
//     place.
//   - Role names of both vocabularies, and how they compare, are in roles.go.
//
// The client retries what is safe to retry, reports every failed call as an error whose kind
// KindOf tells, and logs through terraform-plugin-log in the "capgo" subsystem without ever
// writing the API key anywhere.
package capgo
