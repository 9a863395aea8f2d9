package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

var listeningLine = regexp.MustCompile(`^capgo-mock listening on (http://127\.0\.0\.1:([0-9]+))$`)

// startRun runs the command in process until the test ends, and returns its
// base URL and the lines it printed after the first one.
func startRun(t *testing.T, args []string, keyLines int) (string, []string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, in := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, args, in, io.Discard)
		_ = in.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run returned %v after a stop, want nil", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("run did not return after a stop")
		}
	})

	lines := bufio.NewScanner(out)
	if !lines.Scan() {
		t.Fatalf("no output; run: %v", <-done)
	}
	m := listeningLine.FindStringSubmatch(lines.Text())
	if m == nil || m[2] == "0" {
		t.Fatalf("first line %q, want %q", lines.Text(), "capgo-mock listening on http://127.0.0.1:PORT")
	}
	var rest []string
	for range keyLines {
		if !lines.Scan() {
			t.Fatalf("output ended after %d key lines, want %d", len(rest), keyLines)
		}
		rest = append(rest, lines.Text())
	}
	// Drain anything else so that an extra line fails the comparison below
	// instead of blocking run.
	go func() { _, _ = io.Copy(io.Discard, out) }()
	return m[1], rest
}

func TestRunDefaultSeed(t *testing.T) {
	url, lines := startRun(t, []string{"--listen", "127.0.0.1:0"}, 3)
	want := []string{
		"api key for admin@example.com: capgo-mock-admin-key",
		"api key for dev@example.com: capgo-mock-dev-key",
		"api key for ops@example.com: capgo-mock-ops-key",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("key lines:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}

	// It serves, right away, in dialect docs.
	if status, body := get(t, url+"/organization/", "capgo-mock-admin-key"); status != http.StatusOK || body != `{"data":[]}` {
		t.Fatalf("GET /organization/: %d %s", status, body)
	}
}

// get sends a GET with an API key and returns the status and the trimmed body.
func get(t *testing.T, url, key string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("authorization", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, strings.TrimSpace(string(body))
}

func TestRunDialectRBAC(t *testing.T) {
	seed := filepath.Join(t.TempDir(), "seed.json")
	content := `{"users": [{"email": "zed@example.com", "api_key": "kz"}, {"email": "amy@example.com"}],
	 "organizations": [{"name": "Acme", "owner": "zed@example.com",
		"members": [{"email": "amy@example.com", "role": "org_admin", "pending": true}]}]}`
	if err := os.WriteFile(seed, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	url, lines := startRun(t, []string{"--listen", "127.0.0.1:0", "--dialect", "rbac", "--seed", seed}, 1)
	if got := strings.Join(lines, "\n"); got != "api key for zed@example.com: kz" {
		t.Fatalf("key lines %q", got)
	}

	// Bare JSON, the rbac organization object, rbac errors.
	status, body := get(t, url+"/organization/", "kz")
	var orgs []map[string]any
	if err := json.Unmarshal([]byte(body), &orgs); status != http.StatusOK || err != nil || len(orgs) != 1 || orgs[0]["name"] != "Acme" {
		t.Fatalf("GET /organization/: %d %s", status, body)
	}
	if _, ok := orgs[0]["website"]; !ok {
		t.Fatalf("organization %s has no website", body)
	}
	id, _ := orgs[0]["id"].(string)
	status, body = get(t, url+"/organization/members/?orgId="+id, "kz")
	if status != http.StatusOK || !strings.Contains(body, `"role":"org_admin","is_tmp":true`) {
		t.Fatalf("GET /organization/members/: %d %s", status, body)
	}
	status, body = get(t, url+"/organization/", "")
	if status != http.StatusUnauthorized || !strings.Contains(body, `"error":"no_key_provided"`) {
		t.Fatalf("GET /organization/ without key: %d %s", status, body)
	}
}

// TestRunLimitFlags: each flag overrides one of the dialect's limits, the
// others keep the dialect's values.
func TestRunLimitFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--dialect", "rbac"}, `{"requests_per_window":2000,"window_seconds":60,"failed_auths":20,"lockout_seconds":900}`},
		{[]string{"--dialect", "rbac", "--requests-per-window", "0", "--lockout-seconds", "30"},
			`{"requests_per_window":0,"window_seconds":60,"failed_auths":20,"lockout_seconds":30}`},
		{[]string{}, `{"requests_per_window":0,"window_seconds":0,"failed_auths":0,"lockout_seconds":0}`},
		{[]string{"--requests-per-window", "5", "--window-seconds", "2", "--failed-auths", "3", "--lockout-seconds", "4"},
			`{"requests_per_window":5,"window_seconds":2,"failed_auths":3,"lockout_seconds":4}`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			keys := 3
			url, _ := startRun(t, append([]string{"--listen", "127.0.0.1:0"}, tt.args...), keys)
			if status, body := get(t, url+"/_mock/limits", ""); status != http.StatusOK || body != tt.want {
				t.Fatalf("GET /_mock/limits: %d %s, want %s", status, body, tt.want)
			}
		})
	}
}

// TestRunWebhookFlags: the two webhook flags are the settings the control
// API shows, and what a reset returns to.
func TestRunWebhookFlags(t *testing.T) {
	url, _ := startRun(t, []string{"--listen", "127.0.0.1:0", "--dialect", "rbac"}, 3)
	if status, body := get(t, url+"/_mock/webhooks", ""); status != http.StatusOK || body != `{"target":"","retry_scale":1}` {
		t.Fatalf("GET /_mock/webhooks by default: %d %s", status, body)
	}
	url, _ = startRun(t, []string{"--listen", "127.0.0.1:0", "--dialect", "rbac",
		"--webhook-target", "http://127.0.0.1:9/hooks", "--webhook-retry-scale", "0.001"}, 3)
	if status, body := get(t, url+"/_mock/webhooks", ""); status != http.StatusOK || body != `{"target":"http://127.0.0.1:9/hooks","retry_scale":0.001}` {
		t.Fatalf("GET /_mock/webhooks: %d %s", status, body)
	}
}

func TestRunSeedFile(t *testing.T) {
	seed := filepath.Join(t.TempDir(), "seed.json")
	content := `{"users": [
		{"email": "zed@example.com", "api_key": "kz"},
		{"email": "nokey@example.com"},
		{"email": "amy@example.com", "api_key": "ka"}],
	 "organizations": [{"name": "Acme", "owner": "zed@example.com",
		"members": [{"email": "amy@example.com", "role": "admin"}]}]}`
	if err := os.WriteFile(seed, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	_, lines := startRun(t, []string{"--listen", "127.0.0.1:0", "--seed", seed, "--dialect", "docs"}, 2)
	want := "api key for zed@example.com: kz\napi key for amy@example.com: ka"
	if got := strings.Join(lines, "\n"); got != want {
		t.Fatalf("key lines:\n%s\nwant (seed order, keyless users left out):\n%s", got, want)
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	badJSON := filepath.Join(dir, "bad.json")
	badRole := filepath.Join(dir, "role.json")
	docsRole := filepath.Join(dir, "docs.json")
	rbacRole := filepath.Join(dir, "rbac.json")
	seedWithRole := func(role string) string {
		return `{"users": [{"email": "a@example.com"}, {"email": "b@example.com"}], "organizations": [{"name": "A", "owner": "a@example.com", "members": [{"email": "b@example.com", "role": "` + role + `"}]}]}`
	}
	for path, content := range map[string]string{
		badJSON:  `{"users": [`,
		badRole:  seedWithRole("boss"),
		docsRole: seedWithRole("admin"),
		rbacRole: seedWithRole("org_admin"),
	} {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"docs role in an rbac seed", []string{"--listen", "127.0.0.1:0", "--dialect", "rbac", "--seed", docsRole}, `unknown role "admin"`},
		{"rbac role in a docs seed", []string{"--listen", "127.0.0.1:0", "--seed", rbacRole}, `unknown role "org_admin"`},
		{"unknown dialect", []string{"--listen", "127.0.0.1:0", "--dialect", "soap"}, "unknown dialect"},
		{"missing seed file", []string{"--listen", "127.0.0.1:0", "--seed", filepath.Join(dir, "missing.json")}, "reading seed file"},
		{"seed file not JSON", []string{"--listen", "127.0.0.1:0", "--seed", badJSON}, "parsing seed file"},
		{"seed with unknown role", []string{"--listen", "127.0.0.1:0", "--seed", badRole}, "unknown role"},
		{"unknown flag", []string{"--port", "1"}, "flag provided but not defined"},
		{"extra argument", []string{"serve"}, "unexpected arguments"},
		{"limit not a number", []string{"--failed-auths", "many"}, "not a whole number"},
		{"negative limit", []string{"--listen", "127.0.0.1:0", "--window-seconds", "-1"}, "window_seconds must not be negative"},
		{"bad listen address", []string{"--listen", "not-an-address"}, "not-an-address"},
		{"webhook target not a URL", []string{"--listen", "127.0.0.1:0", "--webhook-target", "localhost:9000"}, "webhook target"},
		{"webhook retry scale 0", []string{"--webhook-retry-scale", "0"}, "--webhook-retry-scale must be greater than 0"},
		{"webhook retry scale not a number", []string{"--webhook-retry-scale", "fast"}, "invalid value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err := run(ctx, tt.args, &stdout, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tt.want)
			}
			if stdout.Len() != 0 {
				t.Fatalf("printed %q before failing", stdout.String())
			}
		})
	}
}

// TestMainStopsOnSignal runs the real main in a child process (this test
// binary, re-executed) and checks that SIGINT and SIGTERM stop it cleanly.
func TestMainStopsOnSignal(t *testing.T) {
	if os.Getenv("CAPGO_MOCK_RUN_MAIN") == "1" {
		os.Args = []string{"capgo-mock", "--listen", "127.0.0.1:0"}
		main()
		os.Exit(0)
	}
	if runtime.GOOS == "windows" {
		t.Skip("signals are POSIX")
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestMainStopsOnSignal$")
			// The race detector otherwise pauses a second before exiting.
			cmd.Env = append(os.Environ(), "CAPGO_MOCK_RUN_MAIN=1", "GORACE=atexit_sleep_ms=0")
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := bufio.NewScanner(stdout)
			if !lines.Scan() || !listeningLine.MatchString(lines.Text()) {
				_ = cmd.Process.Kill()
				t.Fatalf("first line %q", lines.Text())
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			select {
			case err := <-exited:
				if err != nil {
					t.Fatalf("exit after %v: %v, want status 0", sig, err)
				}
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatalf("still running 10s after %v", sig)
			}
		})
	}
}
