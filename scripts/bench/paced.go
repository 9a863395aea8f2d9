package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// The paced case holds the mock to exactly the rate the provider paces itself to by default, in
// windows far shorter than Capgo's minute, so that an apply spans many of them: the provider must
// meet no 429, and must not be much slower than the rate allows.
const (
	pacedWindowSeconds = 10
	// pacedRequestsPerWindow is the provider's default rate over one window: 300 per 10 s.
	pacedRequestsPerWindow = capgo.DefaultRequestsPerMinute * pacedWindowSeconds / 60
	// pacedFactor bounds the paced apply relative to its requests at the paced rate.
	pacedFactor = 1.1
)

// pacedRatePerSecond is the provider's default pace, the mock's limit too.
const pacedRatePerSecond = float64(capgo.DefaultRequestsPerMinute) / 60

// pacedResult is what the paced case measured.
type pacedResult struct {
	members  int
	apply    time.Duration
	requests int64 // counted by the mock
	answerCounts
	floor       time.Duration // requests at the paced rate
	ratio       float64       // apply over floor
	withinBound bool          // no 429 and apply within pacedFactor × floor
}

// measurePaced applies m members against the mock limited to the provider's default pace, with the
// provider's debug log on to count the 429s it received, then destroys them, unpaced and
// unlimited. The mock's limits are left as they were found, so that other cases are unaffected.
func (b *bench) measurePaced(ctx context.Context, m int) (pacedResult, error) {
	r := pacedResult{members: m}
	fmt.Printf("\n==> Paced apply of %d members, the mock limited to %d requests per %d s\n", m, pacedRequestsPerWindow, pacedWindowSeconds)

	found, err := b.mock.control.Limits(ctx)
	if err != nil {
		return r, err
	}
	defer func() {
		if err := b.mock.control.SetLimits(context.WithoutCancel(ctx), found); err != nil {
			fmt.Fprintf(os.Stderr, "bench: restoring the mock's limits: %v\n", err)
		}
	}()
	if err := b.freshMock(ctx, m); err != nil {
		return r, err
	}
	// The lockout after failed authentications is kept as found: the case sends a valid key.
	limited := found
	limited.RequestsPerWindow, limited.WindowSeconds = pacedRequestsPerWindow, pacedWindowSeconds
	if err := b.mock.control.SetLimits(ctx, limited); err != nil {
		return r, err
	}

	dir := filepath.Join(b.work, fmt.Sprintf("paced-%d", m))
	if err := writeConfig(dir, capgoConfig(m)); err != nil {
		return r, err
	}
	logPath := filepath.Join(b.work, fmt.Sprintf("paced-%d.log", m))
	// The provider runs at its default requests_per_minute: b.pacedEnv sets none.
	logged := append(slices.Clone(b.pacedEnv), "TF_LOG_PROVIDER=DEBUG", "TF_LOG_PATH="+logPath)
	before, err := b.mock.control.Stats(ctx)
	if err != nil {
		return r, err
	}
	if r.apply, err = b.terraform(ctx, logged, dir, "apply"); err != nil {
		return r, err
	}
	after, err := b.mock.control.Stats(ctx)
	if err != nil {
		return r, err
	}
	if err := b.mock.checkState(ctx, m); err != nil {
		return r, err
	}
	r.requests = since(after, before).RequestsTotal
	if r.answerCounts, err = countAnswersIn(logPath); err != nil {
		return r, err
	}
	// Every request reaches the mock on loopback and is answered, so the log must show as many
	// answers as the mock counted requests; otherwise its 429s cannot be trusted either.
	if int64(r.answers) != r.requests {
		return r, fmt.Errorf("the provider's log %s shows %d answers, the mock counted %d requests", logPath, r.answers, r.requests)
	}

	r.floor = time.Duration(float64(r.requests) / pacedRatePerSecond * float64(time.Second))
	r.ratio = r.apply.Seconds() / r.floor.Seconds()
	r.withinBound = r.tooMany == 0 && r.ratio <= pacedFactor
	fmt.Printf("    apply %.2fs (floor %.2fs at %.0f requests/s: %.2f ×): %d API requests, %d answers 429\n",
		r.apply.Seconds(), r.floor.Seconds(), pacedRatePerSecond, r.ratio, r.requests, r.tooMany)

	return r, b.destroyUnpaced(ctx, dir)
}

// destroyUnpaced removes what the paced apply made, neither limited nor paced nor timed.
func (b *bench) destroyUnpaced(ctx context.Context, dir string) error {
	if err := b.mock.control.SetLimits(ctx, mockserver.Limits{}); err != nil {
		return err
	}
	fmt.Printf("    %s$ terraform destroy (unpaced, not timed)\n", filepath.Base(dir))
	if _, err := b.command(ctx, b.env, "terraform", "-chdir="+dir, "destroy", "-auto-approve", "-input=false",
		"-no-color", "-compact-warnings", fmt.Sprintf("-parallelism=%d", b.opts.parallelism)); err != nil {
		return err
	}
	state, err := b.mock.control.State(ctx)
	if err != nil {
		return err
	}
	if len(state.Organizations) != 0 {
		return fmt.Errorf("after the destroy the mock still holds %d organizations", len(state.Organizations))
	}
	return nil
}

func countAnswersIn(logPath string) (answerCounts, error) {
	log, err := os.Open(logPath)
	if err != nil {
		return answerCounts{}, fmt.Errorf("the provider's debug log: %w", err)
	}
	defer log.Close()
	return countAnswers(log)
}
