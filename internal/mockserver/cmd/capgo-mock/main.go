// Command capgo-mock runs the in-memory mock Capgo API server.
//
//	capgo-mock [--listen 127.0.0.1:8787] [--dialect docs|rbac] [--seed FILE]
//
// Once it accepts connections it prints "capgo-mock listening on
// http://HOST:PORT", then one "api key for EMAIL: KEY" line per seeded
// account with a key. It stops cleanly on SIGINT or SIGTERM.
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
	seedPath := flags.String("seed", "", "JSON seed file (default: three accounts, no organizations)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", flags.Args())
	}

	seed := mockserver.DefaultSeed()
	if *seedPath != "" {
		var err error
		if seed, err = mockserver.LoadSeedFile(*seedPath); err != nil {
			return err
		}
	}
	handler, err := mockserver.New(mockserver.Options{Dialect: *dialect, Seed: seed})
	if err != nil {
		return err
	}

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
