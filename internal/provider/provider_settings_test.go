package provider

import (
	"context"
	"errors"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// countingServer answers every request at once with status, counting the requests.
func countingServer(t *testing.T, status int) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var count atomic.Int32
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		count.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"error":"Internal server error","status":"KO"}`))
	}))
	t.Cleanup(server.Close)
	return server, &count
}

// silentServer takes every request and never answers: only a timeout ends a call to it.
func silentServer(t *testing.T) *httptest.Server {
	t.Helper()
	testOver := make(chan struct{})
	server := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-testOver:
		}
	}))
	// Cleanups run last first: the handlers return before Close waits for them.
	t.Cleanup(server.Close)
	t.Cleanup(func() { close(testOver) })
	return server
}

func configuredClient(t *testing.T, settings map[string]any) *capgo.Client {
	t.Helper()
	resp := configure(t, providerConfigWith(t, settings))
	if resp.Diagnostics.HasError() {
		t.Fatal(diagnosticsText(resp))
	}
	return clientOf(t, resp.ResourceData)
}

// max_retries reaches the client: its number of retries follows the attempt. Every setting comes
// from the configuration, which wins over the environment, so the test runs in parallel.
func TestConfigureMaxRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		config       int64
		wantAttempts int32
	}{
		{name: "from configuration", config: 1, wantAttempts: 2},
		{name: "zero turns retries off", config: 0, wantAttempts: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			server, count := countingServer(t, http.StatusServiceUnavailable)
			client := configuredClient(t, map[string]any{"api_key": "k", "api_url": server.URL, "max_retries": tt.config})
			if _, err := client.ListOrganizations(t.Context()); err == nil {
				t.Fatal("expected the 503 to be returned once retries ran out")
			}
			if got := count.Load(); got != tt.wantAttempts {
				t.Errorf("attempts = %d, want %d", got, tt.wantAttempts)
			}
		})
	}
}

// The retry count and the request timeout come from the configuration, then from the environment,
// then from the defaults.
func TestRetrySettingsFromTheEnvironment(t *testing.T) {
	tests := []struct {
		name        string
		config      map[string]any
		env         map[string]string
		wantRetries int
		wantTimeout time.Duration
		wantPace    int
		wantBound   time.Duration // operation_timeout
	}{
		{name: "defaults", wantRetries: capgo.DefaultMaxRetries, wantTimeout: capgo.DefaultRequestTimeout,
			wantPace: capgo.DefaultRequestsPerMinute, wantBound: capgo.DefaultOperationTimeout},
		{
			name:        "from the environment",
			env:         map[string]string{envMaxRetries: "1", envRequestTimeout: "1s", envRequestsPerMinute: "600", envOperationTimeout: "90s"},
			wantRetries: 1, wantTimeout: time.Second, wantPace: 600, wantBound: 90 * time.Second,
		},
		{
			name: "configuration wins over the environment",
			config: map[string]any{"max_retries": int64(0), "request_timeout": "2m", "requests_per_minute": int64(0),
				"operation_timeout": "3m"},
			env:         map[string]string{envMaxRetries: "3", envRequestTimeout: "1s", envRequestsPerMinute: "600", envOperationTimeout: "90s"},
			wantRetries: 0, wantTimeout: 2 * time.Minute, wantPace: 0, wantBound: 3 * time.Minute,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearProviderEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			settings := map[string]any{"api_key": "k"}
			maps.Copy(settings, tt.config)
			var model capgoProviderModel
			if diags := providerConfigWith(t, settings).Get(t.Context(), &model); diags.HasError() {
				t.Fatal(diags)
			}
			got, diags := resolveSettings(model)
			if diags.HasError() {
				t.Fatal(diags)
			}
			if got.maxRetries != tt.wantRetries || got.requestTimeout != tt.wantTimeout || got.requestsPerMinute != tt.wantPace ||
				got.operationTimeout != tt.wantBound {
				t.Errorf("max_retries %d, request_timeout %s, requests_per_minute %d, operation_timeout %s; want %d, %s, %d, %s",
					got.maxRetries, got.requestTimeout, got.requestsPerMinute, got.operationTimeout,
					tt.wantRetries, tt.wantTimeout, tt.wantPace, tt.wantBound)
			}
		})
	}
}

// request_timeout reaches the client and bounds each attempt. Set in the configuration, so the
// test runs in parallel.
func TestConfigureRequestTimeout(t *testing.T) {
	t.Parallel()
	server := silentServer(t)
	client := configuredClient(t, map[string]any{"api_key": "k", "api_url": server.URL, "max_retries": int64(0), "request_timeout": "1s"})

	// The client's clock cannot be replaced from here, so the second really passes. The call
	// gets a deadline of its own, far beyond that second yet well short of the default
	// timeout: should the setting not reach the client, that deadline is what ends the call,
	// and the test tells which of the two did rather than timing it.
	callDeadline := capgo.DefaultRequestTimeout / 3
	ctx, cancel := context.WithTimeout(t.Context(), callDeadline)
	defer cancel()
	_, err := client.ListOrganizations(ctx)
	if ctx.Err() != nil {
		t.Fatalf("the call ran into its own deadline of %s, not the request timeout of 1s: %v", callDeadline, err)
	}
	var netErr net.Error
	if !errors.As(err, &netErr) || !netErr.Timeout() {
		t.Fatalf("got %v, want the request to time out", err)
	}
}

func TestConfigureRejectsBadRetrySettings(t *testing.T) {
	tests := []struct {
		name     string
		settings map[string]any
		env      map[string]string
		want     string
	}{
		{name: "retries from the environment", env: map[string]string{envMaxRetries: "many"}, want: envMaxRetries},
		{name: "negative retries from the environment", env: map[string]string{envMaxRetries: "-1"}, want: envMaxRetries},
		{name: "timeout in configuration", settings: map[string]any{"request_timeout": "30"}, want: "request_timeout"},
		{name: "timeout from the environment", env: map[string]string{envRequestTimeout: "forever"}, want: envRequestTimeout},
		{name: "timeout too short", settings: map[string]any{"request_timeout": "10ms"}, want: "from 1s"},
		{name: "operation timeout in configuration", settings: map[string]any{"operation_timeout": "5"}, want: "operation_timeout"},
		{name: "operation timeout from the environment", env: map[string]string{envOperationTimeout: "a while"}, want: envOperationTimeout},
		{name: "operation timeout too long", settings: map[string]any{"operation_timeout": "2h"}, want: "to 1h0m0s"},
		{name: "rate from the environment", env: map[string]string{envRequestsPerMinute: "fast"}, want: envRequestsPerMinute},
		{name: "negative rate from the environment", env: map[string]string{envRequestsPerMinute: "-5"}, want: envRequestsPerMinute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearProviderEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			settings := map[string]any{"api_key": "k"}
			for k, v := range tt.settings {
				settings[k] = v
			}
			resp := configure(t, providerConfigWith(t, settings))
			if text := diagnosticsText(resp); !resp.Diagnostics.HasError() || !strings.Contains(text, tt.want) {
				t.Fatalf("want an error naming %q, got:\n%s", tt.want, text)
			}
		})
	}
}

// operation_timeout reaches the client and bounds a call with its retries: against a server that
// never answers, a call that request_timeout alone would let try several times ends when the
// operation's time runs out, and says so.
func TestConfigureOperationTimeout(t *testing.T) {
	t.Parallel()
	server := silentServer(t)
	client := configuredClient(t, map[string]any{"api_key": "k", "api_url": server.URL, "max_retries": int64(8),
		"request_timeout": "2s", "operation_timeout": "1s"})
	ctx, cancel := context.WithTimeout(t.Context(), capgo.DefaultRequestTimeout/3)
	defer cancel()
	_, err := client.ListOrganizations(ctx)
	if ctx.Err() != nil {
		t.Fatalf("the call ran into its own deadline, not the operation timeout of 1s: %v", err)
	}
	if err == nil || !strings.Contains(err.Error(), "no answer within the operation_timeout of 1s") {
		t.Fatalf("got %v, want the error to name the operation timeout", err)
	}
}
