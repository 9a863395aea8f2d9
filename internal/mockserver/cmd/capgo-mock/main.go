// Command capgo-mock runs the in-memory mock Capgo API server.
//
//	capgo-mock [--listen 127.0.0.1:8787] [--dialect docs|rbac] [--seed FILE]
//	           [--requests-per-window N] [--window-seconds S]
//	           [--failed-auths F] [--lockout-seconds L]
//	           [--webhook-target URL] [--webhook-retry-scale F]
//
// Once it accepts connections it prints "capgo-mock listening on
// http://HOST:PORT", then one "api key for EMAIL: KEY" line per seeded
// account with a key. It stops cleanly on SIGINT or SIGTERM.
//
// The rate-limit flags override the dialect's limits at start (rbac: 2000
// requests per 60 seconds per key, a 900-second lockout after 20 failed
// authentications from one IP; docs: none); 0 turns a limit off. A reset
// through the control API returns to the dialect's limits.
//
// In dialect rbac the mock really delivers the events of organization
// webhooks. --webhook-target sends every delivery to URL instead of the
// webhook's own URL, which comes along in the header X-Mock-Webhook-URL;
// --webhook-retry-scale multiplies every retry delay by F (default 1), so
// that 0.001 turns 5 minutes into 0.3 seconds. A reset returns to both.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// shutdownTimeout bounds how long a stop waits for requests in flight.
const shutdownTimeout = 5 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "capgo-mock: %v\n", err)
		os.Exit(1)
	}
}

// run serves until ctx is done, then shuts down gracefully. Startup lines go
// to stdout, usage to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("capgo-mock", flag.ContinueOnError)
	flags.SetOutput(stderr)
	listen := flags.String("listen", "127.0.0.1:8787", "address to listen on (port 0 picks a free port)")
	dialect := flags.String("dialect", mockserver.DialectDocs, "API dialect: docs or rbac")
	seedPath := flags.String("seed", "", "JSON seed file (default: three accounts; in rbac each with an organization of its own)")
	var limits mockserver.LimitsUpdate
	limitFlag(flags, &limits.RequestsPerWindow, "requests-per-window", "requests an API key may make per window; the one that reaches it is refused (default: rbac 2000, docs 0 = off)")
	limitFlag(flags, &limits.WindowSeconds, "window-seconds", "length of an API key's window in seconds (default: rbac 60)")
	limitFlag(flags, &limits.FailedAuths, "failed-auths", "failed authentications from one IP that start a lockout (default: rbac 20, docs 0 = off)")
	limitFlag(flags, &limits.LockoutSeconds, "lockout-seconds", "length of a lockout in seconds (default: rbac 900)")
	webhookTarget := flags.String("webhook-target", "", "rbac: URL that receives every webhook delivery in place of the webhook's own, which comes in the header X-Mock-Webhook-URL (default: none)")
	retryScale := flags.Float64("webhook-retry-scale", 1, "rbac: factor of every webhook retry delay; 0.001 turns 5 minutes into 0.3 seconds")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", flags.Args())
	}

	seed := mockserver.DefaultSeedFor(*dialect)
	if *seedPath != "" {
		var err error
		if seed, err = mockserver.LoadSeedFile(*seedPath); err != nil {
			return err
		}
	}
	startLimits := limits.Apply(mockserver.DefaultLimits(*dialect))
	if *retryScale <= 0 {
		return fmt.Errorf("--webhook-retry-scale must be greater than 0, got %v", *retryScale)
	}
	handler, err := mockserver.New(mockserver.Options{
		Dialect: *dialect, Seed: seed, Limits: &startLimits,
		WebhookTarget: *webhookTarget, WebhookRetryScale: *retryScale,
	})
	if err != nil {
		return err
	}
	defer handler.Close() // on the ways out that skip the shutdown below

	ln, err := new(net.ListenConfig).Listen(ctx, "tcp", *listen)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	// The listener accepts connections from here on, so the address line is
	// printed only now: scripts wait for it before sending requests.
	if _, err := fmt.Fprintf(stdout, "capgo-mock listening on http://%s\n", ln.Addr()); err != nil {
		_ = srv.Close()
		return err
	}
	for _, u := range seed.Users {
		if u.APIKey != "" {
			if _, err := fmt.Fprintf(stdout, "api key for %s: %s\n", u.Email, u.APIKey); err != nil {
				_ = srv.Close()
				return err
			}
		}
	}

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	// Deliveries stop before the HTTP server: a test delivery under way
	// would hold up its shutdown for as long as the receiver takes.
	handler.Close()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		// Requests still running (a long injected latency) are cut off.
		_ = srv.Close()
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// limitFlag defines an integer flag that sets *dst only when given, so that
// a limit left out keeps the dialect's value.
func limitFlag(flags *flag.FlagSet, dst **int, name, usage string) {
	flags.Func(name, usage, func(value string) error {
		n, err := strconv.Atoi(value)
		if err != nil {
			return fmt.Errorf("not a whole number: %q", value)
		}
		*dst = &n
		return nil
	})
}
