package capgo

import (
	"context"
	"fmt"
	"sync/atomic"
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
//
// The retry limit holds for the whole operation: the requests write sends (other than reads) go
// out at most max_retries+1 times in all, the transport's retries included. Without that shared
// count a DELETE answered 5xx every time would be retried by the transport, then sent again here
// with the transport's retries each time. The read-backs are requests of their own: confirm gets
// ctx as it came, and its reads are retried as any read is. The whole of it, read-backs and waits
// included, is one operation, bounded by the operation timeout.
func (c *Client) WriteConfirmed(ctx context.Context, write func(ctx context.Context) error, confirm Confirm) error {
	ctx, cancel := c.operation(ctx)
	defer cancel()
	writeCtx, budget := withSendBudget(ctx, c.http.RetryMax+1)
	for attempt := 0; ; attempt++ {
		err := write(writeCtx)
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
		if attempt >= c.http.RetryMax || budget.spent() {
			return err
		}
		if waitErr := c.sleep(ctx, attempt, err); waitErr != nil {
			return fmt.Errorf("%w (stopped waiting to try again: %w)", err, context.Cause(ctx))
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

// sendBudget counts down the sends left to one confirmed write; see WriteConfirmed. Every
// attempt of a request other than a read made with its context uses one (countAttempt), and
// neither the transport (checkRetry) nor WriteConfirmed sends again once none is left.
type sendBudget struct {
	left atomic.Int64
}

type sendBudgetKey struct{}

func withSendBudget(ctx context.Context, sends int) (context.Context, *sendBudget) {
	b := &sendBudget{}
	b.left.Store(int64(sends))
	return context.WithValue(ctx, sendBudgetKey{}, b), b
}

func sendBudgetFrom(ctx context.Context) *sendBudget {
	b, _ := ctx.Value(sendBudgetKey{}).(*sendBudget)
	return b
}

// use records one send.
func (b *sendBudget) use() { b.left.Add(-1) }

// spent reports that no send is left.
func (b *sendBudget) spent() bool { return b.left.Load() <= 0 }
