package capgo

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// A write whose answer is lost (a timeout, a connection closed after the request went out, a 5xx)
// may or may not have been carried out. Sending it again blindly can do harm: a second POST
// /organization/ makes a second organization. The helpers here read the server's state back
// after such a failure, treat a write that took effect as done, and send it again only when the
// read-back shows it did not happen.

// Confirm reports whether a write that failed ambiguously has taken effect on the server.
type Confirm func(ctx context.Context) (done bool, err error)

// WriteConfirmed runs write. After an ambiguous failure it asks confirm whether the write took
// effect: if so, that is success; if not, the write is sent again after a backoff, up to the
// client's retry limit. Failures that surely changed nothing are returned at once (429 and
// refused connections have already been retried by the transport).
func (c *Client) WriteConfirmed(ctx context.Context, write func(ctx context.Context) error, confirm Confirm) error {
	for attempt := 0; ; attempt++ {
		err := write(ctx)
		if err == nil || !IsAmbiguous(err) {
			return err
		}
		tflog.SubsystemWarn(ctx, logSubsystem, "write failed without a clear answer; reading back", map[string]any{
			"error": err.Error(), "attempt": attempt + 1,
		})
		done, confirmErr := confirm(ctx)
		if confirmErr != nil {
			return fmt.Errorf("%w; reading back whether it took effect failed too: %w", err, confirmErr)
		}
		if done {
			tflog.SubsystemInfo(ctx, logSubsystem, "the server holds the result of the write; not sending it again")
			return nil
		}
		if attempt >= c.http.RetryMax {
			return err
		}
		if waitErr := c.sleep(ctx, attempt, err); waitErr != nil {
			return fmt.Errorf("%w (stopped waiting to try again: %w)", err, waitErr)
		}
	}
}

// sleep waits before attempt+1, as the transport's backoff would, or until ctx ends.
func (c *Client) sleep(ctx context.Context, attempt int, cause error) error {
	wait := waitBefore(c.http.RetryWaitMin, c.http.RetryWaitMax, attempt, 0, nil)
	if apiErr, ok := AsAPIError(cause); ok && apiErr.RetryAfter > 0 {
		wait = min(apiErr.RetryAfter, c.http.RetryWaitMax)
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
