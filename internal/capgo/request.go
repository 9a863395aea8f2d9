package capgo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// logSubsystem is the tflog subsystem every line of this package goes to.
const logSubsystem = "capgo"

// maxAnswerBytes bounds how much of an answer is read: the largest real
// answer (50 organizations or a member list) is far below it, and a runaway
// body must not exhaust memory.
const maxAnswerBytes = 8 << 20

// call describes one API call.
type call struct {
	method string
	route  string     // e.g. "/organization/"
	query  url.Values // nil for none
	body   any        // marshalled to JSON; nil for no body
}

// do performs cl with retries and returns the answer's body when the server
// answered 2xx. Any other outcome is an error: *APIError when the server
// answered, *requestError when it did not.
func (c *Client) do(ctx context.Context, cl call) ([]byte, error) {
	ctx = tflog.NewSubsystem(ctx, logSubsystem)
	// A second line of defence: even if the key ever ended up in a message or
	// a field, the logger would mask it.
	ctx = tflog.SubsystemMaskLogStrings(ctx, logSubsystem, c.apiKey)

	ctx, cancel := c.operation(ctx)
	defer cancel()
	state := &callState{method: cl.method, route: cl.route, start: time.Now(), serverAnswered: &c.answered}
	ctx = withCallState(ctx, state)

	var reqBody any // stays a nil interface when there is no body
	if cl.body != nil {
		raw, err := json.Marshal(cl.body)
		if err != nil {
			return nil, fmt.Errorf("%s %s: encoding the request: %w", cl.method, cl.route, err)
		}
		reqBody = raw
	}

	req, err := retryablehttp.NewRequestWithContext(ctx, cl.method, c.endpoint(cl.route, cl.query), reqBody)
	if err != nil {
		return nil, fmt.Errorf("%s %s: building the request: %w", cl.method, cl.route, err)
	}
	// The API expects the raw key, without a "Bearer" scheme.
	req.Header.Set("Authorization", c.apiKey)
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if reqBody != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	probe, err := c.keyGate.enter(ctx, cl.method, cl.route)
	if err != nil {
		return nil, err
	}
	body, err := c.send(ctx, cl, req, state)
	if probe {
		c.keyGate.leave(err)
	}
	return body, err
}

// send makes the request, with retries, and reads its answer.
func (c *Client) send(ctx context.Context, cl call, req *retryablehttp.Request, state *callState) ([]byte, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		if resp != nil {
			_ = resp.Body.Close()
		}
		return nil, &requestError{
			method:       cl.method,
			route:        cl.route,
			err:          err,
			ambiguous:    isWrite(cl.method) && state.sentWithoutAnswer(),
			redactedText: c.redact(err.Error()),
			attempts:     int(state.attempt.Load()),
			elapsed:      time.Since(state.start),
			stopped:      ctx.Err() != nil,
			outOfTime:    limitOf(ctx),
		}
	}
	defer func() { _ = resp.Body.Close() }()

	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes+1))
	if err == nil && len(body) > maxAnswerBytes {
		err = errors.New("answer larger than 8 MiB")
	}
	if err != nil {
		// The server did receive and process the request: for a write, what
		// it did is known only to the server now.
		err = fmt.Errorf("reading the %d answer: %w", resp.StatusCode, err)
		return nil, &requestError{
			method:       cl.method,
			route:        cl.route,
			err:          err,
			ambiguous:    isWrite(cl.method),
			redactedText: c.redact(err.Error()),
		}
	}

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, c.newAPIError(cl.method, cl.route, resp, body)
	}
	tflog.SubsystemTrace(ctx, logSubsystem, "answer read", map[string]any{
		"method": cl.method,
		"path":   cl.route,
		"status": resp.StatusCode,
		"bytes":  len(body),
	})
	return body, nil
}

// isWrite tells the methods that change something on the server.
func isWrite(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	default:
		return true
	}
}

// decodeError reports a 2xx answer that could not be understood. After a
// write, the change was made but its result is unknown, which is the same
// situation as a lost answer: the caller should read back.
func decodeError(method, route string, err error) error {
	return &requestError{
		method:    method,
		route:     route,
		err:       fmt.Errorf("unexpected answer: %w", err),
		ambiguous: isWrite(method),
	}
}
