// Package mockserver is an in-memory Capgo API server for tests, the
// quickstart and benchmarks. It speaks the organizations API in one of the
// dialects of capgo-api.md and offers a control API under /_mock/ to create
// accounts, accept invitations, inject faults and inspect its state.
//
// In process, New returns an http.Handler and NewTestServer runs one on an
// httptest.Server for the length of a test. The command under cmd/capgo-mock
// runs it on its own.
//
// Where the contract is silent, the mock behaves as follows.
//
//   - An unknown route, or a method a route does not have, is 404 "Not found"
//     in the dialect's error envelope, before any authentication.
//   - The key is read from authorization, else capgkey; a request with both
//     uses authorization.
//   - Faults apply to every public request, known route or not, before
//     authentication, as a rate limiter or proxy in front of the API would.
//     Statistics count every public request the same way, keyed by method
//     and path with a trailing slash.
//   - Injected 429 and 500 carry the contract's messages; other injected
//     statuses carry the HTTP reason phrase ("Service Unavailable"). An
//     empty error_statuses injects 500. A lost response counts as an
//     injected fault. The seed of a fault profile defaults to 0, so every
//     profile is repeatable.
//   - A request whose client goes away during the injected latency is not
//     carried out.
//   - Request parameters are validated before the organization is looked up
//     and rights are checked, on every route (capgo-api.md 1.9 for all).
//     A field of the wrong JSON type reads as missing, so it gets that
//     field's message; a logo of the wrong type, which has no message of its
//     own, is "Invalid JSON body". A body over 1 MiB is "Invalid JSON body".
//   - GET /organization/ with an empty orgId lists organizations.
//   - A DELETE reads its parameters from the JSON body and the query string
//     together; the body wins when both carry one. An empty DELETE body is
//     allowed; a non-empty one must be a JSON object.
//   - Names are stored as given (not trimmed); emails are stored as given and
//     unique among accounts without regard to case.
//   - Timestamps have microsecond precision, and updated_at strictly
//     increases on every successful PUT.
//   - GET /_mock/state lists roles without the pending prefix, with a
//     pending flag. Control API errors are {"error": "<message>"} whatever
//     the dialect; control bodies with unknown fields are refused (400), so
//     that a typo in a fault profile does not silently disable a fault.
//     POST /_mock/users for a taken email is 409; a wrong method on a
//     control route is 405.
package mockserver
