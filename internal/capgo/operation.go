package capgo

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// An operation is one call with all its attempts and the waits between them, or one confirmed
// write with its read-backs (WriteConfirmed). Each is bounded by the client's operation timeout,
// so that a server that accepts connections and never answers costs minutes, not the sum of every
// attempt's request timeout and backoff.

// operationTimeoutError is the cause of an operation that ran out of time.
type operationTimeoutError struct{ limit time.Duration }

func (e *operationTimeoutError) Error() string {
	return fmt.Sprintf("the operation_timeout of %s ran out", e.limit)
}

// operationKey marks a context as within an operation; its value is the operation's deadline.
type operationKey struct{}

// operation bounds ctx by the operation timeout, unless ctx is already within an operation whose
// deadline still holds (a call made by a confirmed write). A shared read runs without its
// reader's deadline, and so starts an operation of its own.
func (c *Client) operation(ctx context.Context) (context.Context, context.CancelFunc) {
	if outer, ok := ctx.Value(operationKey{}).(time.Time); ok {
		if deadline, has := ctx.Deadline(); has && deadline.Equal(outer) {
			return ctx, func() {}
		}
	}
	ctx, cancel := context.WithTimeoutCause(ctx, c.operationTimeout, &operationTimeoutError{limit: c.operationTimeout})
	deadline, _ := ctx.Deadline()
	return context.WithValue(ctx, operationKey{}, deadline), cancel
}

// outOfTime reports the operation timeout that ended ctx, if that is what ended it.
func outOfTime(ctx context.Context) (time.Duration, bool) {
	var cause *operationTimeoutError
	if errors.As(context.Cause(ctx), &cause) {
		return cause.limit, true
	}
	return 0, false
}

// limitOf is the operation timeout that ended ctx, or 0.
func limitOf(ctx context.Context) time.Duration {
	limit, _ := outOfTime(ctx)
	return limit
}
