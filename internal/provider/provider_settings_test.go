package provider

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// countingServer answers every request with status after delay, counting the requests.
func countingServer(t *testing.T, status int, delay time.Duration) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var count atomic.Int32
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		count.Add(1)
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"error":"Internal server error","status":"KO"}`))
	}))
	t.Cleanup(server.Close)
	return server, &count
}

func configuredClient(t *testing.T, settings map[string]any) *capgo.Client {
	t.Helper()
	resp := configure(t, providerConfigWith(t, settings))
	if resp.Diagnostics.HasError() {
		t.Fatal(diagnosticsText(resp))
	}
	return clientOf(t, resp.ResourceData)
}

func TestConfigureMaxRetries(t *testing.T) {
	tests := []struct {
		name         string
		config       any
		env          string
		wantAttempts int32
	}{
		{name: "from configuration", config: int64(1), wantAttempts: 2},
		{name: "zero turns retries off", config: int64(0), wantAttempts: 1},
		{name: "from the environment", env: "1", wantAttempts: 2},
		{name: "configuration wins over the environment", config: int64(0), env: "3", wantAttempts: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearProviderEnv(t)
			t.Setenv(envMaxRetries, tt.env)
			server, count := countingServer(t, http.StatusServiceUnavailable, 0)
			client := configuredClient(t, map[string]any{"api_key": "k", "api_url": server.URL, "max_retries": tt.config})
			if _, err := client.ListOrganizations(context.Background()); err == nil {
				t.Fatal("expected the 503 to be returned once retries ran out")
			}
			if got := count.Load(); got != tt.wantAttempts {
				t.Errorf("attempts = %d, want %d", got, tt.wantAttempts)
			}
		})
	}
}

func TestConfigureRequestTimeout(t *testing.T) {
	clearProviderEnv(t)
	t.Setenv(envRequestTimeout, "1s")
	server, _ := countingServer(t, http.StatusOK, 5*time.Second)
	client := configuredClient(t, map[string]any{"api_key": "k", "api_url": server.URL, "max_retries": int64(0)})
	start := time.Now()
	if _, err := client.ListOrganizations(context.Background()); err == nil {
		t.Fatal("expected a timeout")
	}
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Fatalf("the request took %s despite a 1s timeout", elapsed)
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
