// Package capgo is a client for the Capgo organizations API.
//
// It speaks both shapes of the API described in the project's API contract:
// the one in Capgo's public documentation (answers wrapped in {"data": …},
// errors {"error": "<text>", "status": "KO"}) and the one Capgo's backend
// actually serves (bare answers, errors {"error": "<code>", "message": …,
// "moreInfo": {…}}). Callers get the same Go types from both.
//
// The client retries what is safe to retry, reports every failed call as an
// error that can be inspected with the helpers in errors.go, and logs through
// terraform-plugin-log in the "capgo" subsystem without ever writing the API
// key anywhere.
package capgo
