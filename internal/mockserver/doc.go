// Package mockserver is an in-memory Capgo API server for tests, the
// quickstart and benchmarks. It speaks the organizations API in one of two
// dialects, docs (as Capgo's documentation describes it) and rbac (as
// Capgo's production backend answers), and offers a control API under
// /_mock/ to create accounts, accept invitations, inject faults, set rate
// limits and inspect its state. In dialect rbac it keeps organization
// webhooks too, and delivers their events, signed, over HTTP from goroutines
// of its own, which Server.Close stops.
//
// In process, New returns an http.Handler and NewTestServer runs one on an
// httptest.Server for the length of a test. The command under cmd/capgo-mock
// runs it on its own. ControlClient calls the control API of either, and is
// the one client of it that tests, scripts/mockctl and scripts/bench share.
//
// README.md, beside this file, is the reference: both dialects as the mock
// implements them (routes, bodies, answers, errors, roles, and the rules of
// Capgo's backend), the choices the mock makes where Capgo leaves something
// open, the command line and seed file, the control API, the fault profile,
// the rate limits and the webhook deliveries. Comments in the code cite its
// sections by number.
package mockserver
