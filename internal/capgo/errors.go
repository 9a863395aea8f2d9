package capgo

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// APIError is an error answer from the API, in either dialect.
type APIError struct {
	StatusCode int
	// Code is the snake_case error code of the rbac dialect; "" in docs.
	Code string
	// Message is the human-readable text: the docs `error`, the rbac
	// `message`, or, when the server said nothing usable, the code or the
	// HTTP status text. Never empty.
	Message string
	// MoreInfo is the rbac `moreInfo` object; nil when absent.
	MoreInfo map[string]any
	// Method and Path identify the request (the route, without query).
	Method, Path string
	// RetryAfter is the server's Retry-After, when it sent one.
	RetryAfter time.Duration

	// notCapgo marks an answer that was not a Capgo error envelope (an HTML
	// page from a proxy, a 404 for an unknown route): such a 404 does not
	// mean the object is gone. The zero value keeps hand-built errors
	// meaning what their status says.
	notCapgo bool
}

// Error reads like `DELETE /organization/members/: 404 Member not found`.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d ", e.Method, e.Path, e.StatusCode)
	switch {
	case e.Code != "" && e.Message != "" && e.Message != e.Code:
		b.WriteString(e.Code + ": " + e.Message)
	case e.Message != "":
		b.WriteString(e.Message)
	case e.Code != "":
		b.WriteString(e.Code)
	default:
		b.WriteString(http.StatusText(e.StatusCode))
	}
	if len(e.MoreInfo) > 0 {
		// MoreInfo was redacted value by value before this cut.
		if raw, err := json.Marshal(e.MoreInfo); err == nil {
			b.WriteString(" (more info: " + truncate(string(raw), 200) + ")")
		}
	}
	return b.String()
}

// AsAPIError finds an *APIError in err's chain.
func AsAPIError(err error) (*APIError, bool) {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr, true
	}
	return nil, false
}

// IsAmbiguous reports a failed write (anything but GET) that may or may not
// have been carried out: a 5xx answer (other than 501), or no usable answer
// after the request reached the server (timeout, connection closed, EOF,
// cancellation mid-request, an unreadable 2xx answer). The safe next step is
// to read the state back before trying again. Failures known to have changed
// nothing (4xx, 429, connection refused) are not ambiguous.
func IsAmbiguous(err error) bool {
	if apiErr, ok := AsAPIError(err); ok {
		return isWrite(apiErr.Method) &&
			apiErr.StatusCode >= 500 && apiErr.StatusCode != http.StatusNotImplemented
	}
	var reqErr *requestError
	return errors.As(err, &reqErr) && reqErr.ambiguous
}

// requestError is a call that got no usable answer.
type requestError struct {
	method, route string
	err           error
	ambiguous     bool
	// redactedText, when set, is err's text with the API key removed; a
	// transport error could quote a request header.
	redactedText string
	// attempts and elapsed, set for a call that got no answer at all, are
	// how many attempts it made and how long they took in all; stopped
	// tells that the caller's context ended it.
	attempts int
	elapsed  time.Duration
	stopped  bool
	// outOfTime is the operation timeout that ended the call, when that is what did.
	outOfTime time.Duration
}

// Error reads like `GET /organization/: gave up after 3 attempts over 2.1s:
// Get "…": dial tcp …: connect: connection refused`.
func (e *requestError) Error() string {
	text := e.redactedText
	if text == "" && e.err != nil {
		text = e.err.Error()
	}
	if e.attempts > 0 {
		verb, noun := "gave up", "attempts"
		if e.stopped {
			verb = "stopped"
		}
		if e.attempts == 1 {
			noun = "attempt"
		}
		if e.outOfTime > 0 {
			return fmt.Sprintf("%s %s: no answer within the operation_timeout of %s: gave up after %d %s over %s: %s",
				e.method, e.route, e.outOfTime, e.attempts, noun, roundDuration(e.elapsed), text)
		}
		return fmt.Sprintf("%s %s: %s after %d %s over %s: %s",
			e.method, e.route, verb, e.attempts, noun, roundDuration(e.elapsed), text)
	}
	return fmt.Sprintf("%s %s: %s", e.method, e.route, text)
}

// roundDuration keeps the figures of d that a reader needs: 2.1s, 350ms.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(100 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(time.Millisecond)
	default:
		return d.Round(time.Microsecond)
	}
}

func (e *requestError) Unwrap() error { return e.err }

// errorEnvelope holds both dialects' error bodies; fields are raw so that a
// field of an unexpected type cannot make decoding fail.
type errorEnvelope struct {
	Error    json.RawMessage `json:"error"`
	Message  json.RawMessage `json:"message"`
	Status   json.RawMessage `json:"status"`
	MoreInfo json.RawMessage `json:"moreInfo"`
}

// errorCodeRe matches the rbac codes (invalid_apikey, not_found, …); docs
// messages are sentences and never match.
var errorCodeRe = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// newAPIError builds the error for a non-2xx answer.
func (c *Client) newAPIError(method, route string, resp *http.Response, body []byte) *APIError {
	e := &APIError{StatusCode: resp.StatusCode, Method: method, Path: route}
	if wait, ok := retryAfter(resp.Header); ok {
		e.RetryAfter = wait
	}

	var env errorEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		e.notCapgo = true
		if text := c.plainText(body); text != "" {
			e.Message = "unexpected answer: " + text
		}
	} else {
		errText := jsonString(env.Error)
		message := jsonString(env.Message)
		switch {
		case message != "":
			e.Code, e.Message = errText, message
			c.recognised.note(APIProduction)
		case errText != "" && jsonString(env.Status) != "KO" && errorCodeRe.MatchString(errText):
			e.Code = errText
		default:
			e.Message = errText
		}
		if jsonString(env.Status) == "KO" {
			c.recognised.note(APIDocumented)
		}
		var more map[string]any
		if json.Unmarshal(env.MoreInfo, &more) == nil && more != nil {
			e.MoreInfo = more
		}
		if errText == "" && message == "" {
			e.notCapgo = true
		}
	}
	if e.Message == "" {
		e.Message = e.Code
	}
	if e.Message == "" {
		e.Message = http.StatusText(e.StatusCode)
	}
	if e.Message == "" { // a status no standard names
		e.Message = fmt.Sprintf("unexpected HTTP status %d", e.StatusCode)
	}

	// The key is never sent back by the API, but a proxy or a buggy server
	// could echo a header; make sure it cannot reach an error message. (A
	// non-JSON body has been redacted whole already, before being cut.)
	e.Code = c.redact(e.Code)
	e.Message = c.redact(e.Message)
	if e.MoreInfo != nil {
		e.MoreInfo, _ = c.redactValue(e.MoreInfo).(map[string]any)
	}
	return e
}

func (c *Client) redact(s string) string {
	if c.apiKey == "" {
		return s
	}
	return strings.ReplaceAll(s, c.apiKey, "[REDACTED]")
}

func (c *Client) redactValue(v any) any {
	switch v := v.(type) {
	case string:
		return c.redact(v)
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, val := range v {
			out[c.redact(k)] = c.redactValue(val)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, val := range v {
			out[i] = c.redactValue(val)
		}
		return out
	default:
		return v
	}
}

// jsonString returns raw as a string when it is a JSON string, else "".
func jsonString(raw json.RawMessage) string {
	var s string
	if len(raw) == 0 || json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return strings.TrimSpace(s)
}

var (
	htmlTagRe    = regexp.MustCompile(`<[^>]*>`)
	whitespaceRe = regexp.MustCompile(`\s+`)
)

// plainText makes a short, one-line text of a non-JSON body, such as a
// proxy's HTML error page. The key is removed from the whole body before
// anything is cut: a key cut in two is no longer found, and the piece left
// in the text would give part of it away.
func (c *Client) plainText(body []byte) string {
	s := string(body)
	if !utf8.ValidString(s) {
		// First, so that dropping invalid bytes cannot join a key back up.
		s = strings.ToValidUTF8(s, "")
	}
	s = c.redact(s)
	if len(s) > 4096 {
		// The start is enough for a one-line summary; the cut may split a
		// character.
		s = strings.ToValidUTF8(s[:4096], "")
	}
	s = htmlTagRe.ReplaceAllString(s, " ")
	s = whitespaceRe.ReplaceAllString(s, " ")
	return truncate(strings.TrimSpace(s), 120)
}

// truncate shortens s to at most n runes, marking the cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
