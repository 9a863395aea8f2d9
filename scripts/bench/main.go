// Command bench measures how the provider scales with the number of members of one organization,
// and writes the results to BENCHMARKS.md. Run it from the repository root with `make bench`.
//
//	go run ./scripts/bench [-sizes "10 100 500"] [-latency-ms 10] [-parallelism 10]
//	                       [-out BENCHMARKS.md] [-timeout 15m]
//
// It builds the provider and the mock Capgo server (internal/mockserver/cmd/capgo-mock) into a
// temporary directory, starts the mock as a process of its own with a fixed latency added to every
// API request, and points Terraform at the fresh provider build through a CLI configuration of its
// own (dev_overrides), so the user's Terraform configuration is left alone.
//
// For each size N it applies, then plans, two configurations:
//
//   - one capgo_organization and N capgo_organization_member resources, for N accounts created
//     in the mock beforehand;
//   - a floor of the same shape in built-in terraform_data resources, which make no API requests:
//     what Terraform itself costs for that many resources.
//
// Each plan must be empty. It records wall-clock times, the API requests the mock counted, and the
// peak memory of the provider processes Terraform started, then checks the performance targets.
// A missed target is reported, not an error: the exit status is non-zero only when something
// failed to run (a build, the mock, a Terraform command, a non-empty plan).
//
// The mock and the temporary files are removed on exit, also after a failure or an interrupt.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	providerBinary = "terraform-provider-capgo"
	mockBinary     = "capgo-mock"
	// adminEmail is the mock's seeded account whose API key Terraform uses.
	adminEmail = "admin@example.com"
	// membersRoute is how the mock's statistics name the call that lists an organization's
	// members.
	membersRoute = "GET /organization/members/"

	// targetSize is the size at which targets (a) and (b) are judged.
	targetSize = 500
	// planFactor and applyFactor bound plan and apply time relative to the floor.
	planFactor  = 1.3
	applyFactor = 1.5

	// memoryPollInterval is how often /proc is read for the provider's memory.
	memoryPollInterval = 20 * time.Millisecond
	// mockStartTimeout and mockStopTimeout bound the mock's start and stop.
	mockStartTimeout = 20 * time.Second
	mockStopTimeout  = 10 * time.Second
	// interruptGrace is how long an interrupted Terraform may take to stop before it is killed.
	interruptGrace = 30 * time.Second
	// outputTailLines is how much of a failed command's output an error shows.
	outputTailLines = 30
)

// roles are given to the members in turn.
var roles = []string{"read", "upload", "write", "admin"}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx)
	interrupted := ctx.Err() != nil
	stop()
	if err != nil {
		if interrupted {
			fmt.Fprintln(os.Stderr, "bench: interrupted")
			os.Exit(130)
		}
		fmt.Fprintf(os.Stderr, "bench: FAILED: %v\n", err)
		os.Exit(1)
	}
}

// options are the command-line flags.
type options struct {
	sizes       []int
	latencyMS   int
	parallelism int
	planRuns    int
	out         string
	timeout     time.Duration
}

func parseOptions() (options, error) {
	var o options
	sizes := flag.String("sizes", "10 100 500", "numbers of members to measure, separated by spaces")
	flag.IntVar(&o.latencyMS, "latency-ms", 10, "latency the mock adds to every API request, in milliseconds")
	flag.IntVar(&o.parallelism, "parallelism", 10, "terraform -parallelism")
	flag.StringVar(&o.out, "out", "BENCHMARKS.md", "the report to write")
	flag.IntVar(&o.planRuns, "plan-runs", 5, "how many times each plan runs; the median counts")
	flag.DurationVar(&o.timeout, "timeout", 15*time.Minute, "time limit of each command")
	flag.Parse()
	if flag.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %v", flag.Args())
	}
	for _, field := range strings.Fields(*sizes) {
		n, err := strconv.Atoi(field)
		if err != nil || n < 1 || n > 9999 {
			return o, fmt.Errorf("-sizes: %q is not a number of members between 1 and 9999", field)
		}
		o.sizes = append(o.sizes, n)
	}
	if len(o.sizes) == 0 {
		return o, errors.New("-sizes: no size given")
	}
	if o.latencyMS < 0 || o.parallelism < 1 || o.planRuns < 1 || o.timeout <= 0 {
		return o, errors.New("-latency-ms must not be negative, -parallelism, -plan-runs and -timeout must be positive")
	}
	return o, nil
}

// result is what one size measured. Times are wall clock; request counts come from the mock.
type result struct {
	members                         int
	apply, floorApply               time.Duration
	plan, floorPlan                 time.Duration
	applyRequests, applyWrites      int64
	applyListCalls                  int64
	planRequests, planListCalls     int64
	peakMemoryKiB                   int64 // 0 when no provider process could be observed
	applyBound                      time.Duration
	applyRatio, planRatio           float64
	applyWithinBound, planWithinCap bool
}

// bench holds what every step needs.
type bench struct {
	opts     options
	work     string // the temporary directory
	provider string // the provider binary Terraform runs
	env      []string
	mock     *mock
}

func run(ctx context.Context) error {
	opts, err := parseOptions()
	if err != nil {
		return err
	}
	if _, err := os.Stat("go.mod"); err != nil {
		return errors.New("run from the repository root (make bench)")
	}
	for _, tool := range []string{"go", "terraform"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s is not on PATH", tool)
		}
	}

	work, err := os.MkdirTemp("", "capgo-bench-")
	if err != nil {
		return err
	}
	defer func() {
		if err := os.RemoveAll(work); err != nil {
			fmt.Fprintf(os.Stderr, "bench: removing %s: %v\n", work, err)
		}
	}()
	// /proc shows the resolved path of a running binary, so the memory watch compares with it.
	if work, err = filepath.EvalSymlinks(work); err != nil {
		return err
	}
	b := &bench{opts: opts, work: work, provider: filepath.Join(work, "bin", providerBinary)}

	fmt.Println("==> Building the provider and the mock Capgo server")
	if _, err := b.command(ctx, "go", "build", "-o", filepath.Join(work, "bin")+string(filepath.Separator),
		".", "./internal/mockserver/cmd/capgo-mock"); err != nil {
		return err
	}

	fmt.Println("==> Starting the mock Capgo server")
	if b.mock, err = startMock(filepath.Join(work, "bin", mockBinary), filepath.Join(work, "mock.log")); err != nil {
		return err
	}
	defer b.mock.stop()
	fmt.Printf("    listening on %s\n", b.mock.url)

	if err := b.configureTerraform(); err != nil {
		return err
	}
	tfVersion, err := b.command(ctx, "terraform", "version")
	if err != nil {
		return err
	}
	tfVersion, _, _ = strings.Cut(tfVersion, "\n")

	var results []result
	for _, n := range opts.sizes {
		r, err := b.measure(ctx, n)
		if err != nil {
			if log := b.mock.logTail(); log != "" {
				err = fmt.Errorf("%w\n--- the mock server's log ---\n%s", err, log)
			}
			return fmt.Errorf("%d members: %w", n, err)
		}
		results = append(results, r)
	}

	report := b.report(results, strings.TrimSpace(tfVersion))
	if err := os.WriteFile(opts.out, []byte(report), 0o644); err != nil {
		return err
	}
	fmt.Printf("\n%s\nWrote %s.\n\nTargets:\n", report, opts.out)
	for _, t := range b.targets(results) {
		mark := "met         "
		switch {
		case !t.measured:
			mark = "not measured"
		case !t.met:
			mark = "NOT MET     "
		}
		fmt.Printf("  %s  %s\n", mark, strings.ReplaceAll(t.text, "**", ""))
	}
	return nil
}

// configureTerraform writes the CLI configuration that makes Terraform take cap-go/capgo from the
// fresh build, and the environment every Terraform command runs in.
func (b *bench) configureTerraform() error {
	rc := filepath.Join(b.work, "terraformrc")
	config := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/cap-go/capgo" = %q
  }
  direct {}
}
`, filepath.Dir(b.provider))
	if err := os.WriteFile(rc, []byte(config), 0o644); err != nil {
		return err
	}
	// Settings of the caller's that would change what is measured are left out.
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "CAPGO_") {
			continue
		}
		b.env = append(b.env, kv)
	}
	b.env = append(b.env,
		"TF_CLI_CONFIG_FILE="+rc,
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1",
		"CAPGO_API_URL="+b.mock.url,
		"CAPGO_API_KEY="+b.mock.apiKey,
	)
	return nil
}

// measure runs one size: a fresh mock with n accounts, then apply and plan of the capgo
// configuration and of the floor.
func (b *bench) measure(ctx context.Context, n int) (result, error) {
	r := result{members: n}
	fmt.Printf("\n==> %d members\n", n)

	// A reset forgets the previous size's organization and accounts, and turns faults off.
	if err := b.mock.call(ctx, http.MethodPost, "/_mock/reset", nil, nil); err != nil {
		return r, err
	}
	for i := 1; i <= n; i++ {
		if err := b.mock.call(ctx, http.MethodPost, "/_mock/users", map[string]string{"email": memberEmail(i)}, nil); err != nil {
			return r, err
		}
	}
	faults := map[string]int{"latency_ms": b.opts.latencyMS}
	if err := b.mock.call(ctx, http.MethodPut, "/_mock/faults", faults, nil); err != nil {
		return r, err
	}

	dir := filepath.Join(b.work, fmt.Sprintf("capgo-%d", n))
	floorDir := filepath.Join(b.work, fmt.Sprintf("floor-%d", n))
	if err := writeConfig(dir, capgoConfig(n)); err != nil {
		return r, err
	}
	if err := writeConfig(floorDir, floorConfig(n)); err != nil {
		return r, err
	}

	// The floor first: its init, which is not timed, also brings Terraform into the page cache.
	// The capgo configuration needs no init: every provider it uses is overridden.
	if _, err := b.command(ctx, "terraform", "-chdir="+floorDir, "init", "-input=false", "-no-color"); err != nil {
		return r, err
	}
	var err error
	if r.floorApply, err = b.terraform(ctx, floorDir, "apply"); err != nil {
		return r, err
	}

	watch := watchMemory(b.provider)
	defer watch.stop()
	before, err := b.mock.stats(ctx)
	if err != nil {
		return r, err
	}
	if r.apply, err = b.terraform(ctx, dir, "apply"); err != nil {
		return r, err
	}
	afterApply, err := b.mock.stats(ctx)
	if err != nil {
		return r, err
	}
	if err := b.mock.checkState(ctx, n); err != nil {
		return r, err
	}
	// Plans are short, and one is at the mercy of whatever else the machine does: each is run
	// planRuns times, the floor's and the provider's in turn, and the medians compared. The API
	// requests are those of the first plan.
	var plans, floorPlans []time.Duration
	var afterPlan stats
	for i := range b.opts.planRuns {
		floorPlan, err := b.terraform(ctx, floorDir, "plan")
		if err != nil {
			return r, err
		}
		plan, err := b.terraform(ctx, dir, "plan")
		if err != nil {
			return r, err
		}
		if i == 0 {
			if afterPlan, err = b.mock.stats(ctx); err != nil {
				return r, err
			}
		}
		floorPlans, plans = append(floorPlans, floorPlan), append(plans, plan)
	}
	r.floorPlan, r.plan = median(floorPlans), median(plans)
	r.peakMemoryKiB = watch.stop()

	applied, planned := afterApply.since(before), afterPlan.since(afterApply)
	if applied.FaultsInjected+planned.FaultsInjected != 0 {
		return r, errors.New("the mock injected faults, though its profile sets latency only")
	}
	r.applyRequests, r.applyListCalls = applied.RequestsTotal, applied.ByRoute[membersRoute]
	for route, count := range applied.ByRoute {
		if !strings.HasPrefix(route, "GET ") {
			r.applyWrites += count
		}
	}
	r.planRequests, r.planListCalls = planned.RequestsTotal, planned.ByRoute[membersRoute]

	// Writes cannot go faster than parallelism at a time, each taking the latency at least.
	latency := time.Duration(b.opts.latencyMS) * time.Millisecond
	writeTime := time.Duration(float64(r.applyWrites) / float64(b.opts.parallelism) * float64(latency))
	r.applyBound = time.Duration(applyFactor*float64(r.floorApply)) + writeTime
	r.applyRatio = r.apply.Seconds() / r.floorApply.Seconds()
	r.planRatio = r.plan.Seconds() / r.floorPlan.Seconds()
	r.applyWithinBound = r.apply <= r.applyBound
	r.planWithinCap = r.planRatio <= planFactor
	fmt.Printf("    apply %.2fs (floor %.2fs, bound %.2fs): %d API requests, %d writes, %d member lists\n",
		r.apply.Seconds(), r.floorApply.Seconds(), r.applyBound.Seconds(), r.applyRequests, r.applyWrites, r.applyListCalls)
	fmt.Printf("    plan  %.2fs (floor %.2fs): %d API requests, %d member lists; provider peak memory %s MiB\n",
		r.plan.Seconds(), r.floorPlan.Seconds(), r.planRequests, r.planListCalls, formatMiB(r.peakMemoryKiB))
	return r, nil
}

func memberEmail(i int) string { return fmt.Sprintf("member-%04d@bench.example", i) }

// membersMap is the locals block both configurations take their members from.
func membersMap(n int) string {
	var s strings.Builder
	s.WriteString("locals {\n  members = {\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&s, "    %q = %q\n", memberEmail(i), roles[(i-1)%len(roles)])
	}
	s.WriteString("  }\n}\n")
	return s.String()
}

// capgoConfig is one organization with n members.
func capgoConfig(n int) string {
	return `terraform {
  required_providers {
    capgo = {
      source = "cap-go/capgo"
    }
  }
}

provider "capgo" {}

` + membersMap(n) + fmt.Sprintf(`
resource "capgo_organization" "bench" {
  name = "Benchmark, %d members"
}
`, n) + `
resource "capgo_organization_member" "member" {
  for_each = local.members

  organization_id = capgo_organization.bench.id
  email           = each.key
  role            = each.value
}
`
}

// floorConfig has the shape of capgoConfig in terraform_data resources, which Terraform handles
// itself.
func floorConfig(n int) string {
	return membersMap(n) + fmt.Sprintf(`
resource "terraform_data" "organization" {
  input = "Benchmark, %d members"
}
`, n) + `
resource "terraform_data" "member" {
  for_each = local.members

  input = {
    organization_id = terraform_data.organization.id
    email           = each.key
    role            = each.value
  }
}
`
}

func writeConfig(dir, config string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o644)
}

// terraform times one apply or plan in dir. A plan must find nothing to change.
func (b *bench) terraform(ctx context.Context, dir, subcommand string) (time.Duration, error) {
	args := []string{subcommand, "-input=false", "-no-color", "-compact-warnings",
		fmt.Sprintf("-parallelism=%d", b.opts.parallelism)}
	switch subcommand {
	case "apply":
		args = append(args, "-auto-approve")
	case "plan":
		args = append(args, "-detailed-exitcode")
	}
	fmt.Printf("    %s$ terraform %s\n", filepath.Base(dir), strings.Join(args, " "))
	start := time.Now()
	_, err := b.command(ctx, "terraform", append([]string{"-chdir=" + dir}, args...)...)
	elapsed := time.Since(start)
	var exit *exec.ExitError
	if subcommand == "plan" && errors.As(err, &exit) && exit.ExitCode() == 2 {
		return 0, fmt.Errorf("the plan in %s is not empty (exit status 2), expected no changes:\n%w", filepath.Base(dir), err)
	}
	return elapsed, err
}

// command runs a command within the time limit and returns its output (stdout and stderr
// together). Its error carries the tail of that output. A cancelled command gets an interrupt,
// so that Terraform stops gracefully, and is killed if it lingers.
func (b *bench) command(ctx context.Context, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, b.opts.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = b.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = interruptGrace
	err := cmd.Run()
	if err == nil {
		return out.String(), nil
	}
	what := strings.Join(cmd.Args, " ")
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("timed out after %s", b.opts.timeout)
	}
	return out.String(), fmt.Errorf("%s: %w\n--- last lines of its output ---\n%s", what, err, tail(out.String(), outputTailLines))
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// --- The mock server ------------------------------------------------------------------------

// mock is the mock Capgo server, running as a process of its own.
type mock struct {
	cmd    *exec.Cmd
	log    string // its standard error
	exited chan struct{}
	url    string
	apiKey string // the API key of adminEmail
	client *http.Client
}

var listeningLine = regexp.MustCompile(`^capgo-mock listening on (http://127\.0\.0\.1:[0-9]+)$`)

// startMock starts the mock on a free loopback port and waits until it listens.
func startMock(binary, logPath string) (*mock, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	m := &mock{
		cmd:    exec.Command(binary, "--listen", "127.0.0.1:0"), //nolint:noctx // outlives every context: stop ends it with SIGTERM, also after Ctrl-C
		log:    logPath,
		exited: make(chan struct{}),
		client: &http.Client{Timeout: 30 * time.Second},
	}
	m.cmd.Stderr = logFile
	stdout, err := m.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := m.cmd.Start(); err != nil {
		return nil, err
	}
	// The mock prints its address, then one line per API key, and nothing more.
	lines := make(chan string, 16)
	go func() {
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			select {
			case lines <- scanner.Text():
			default:
			}
		}
		close(lines)
		_ = m.cmd.Wait()
		close(m.exited)
	}()

	deadline := time.After(mockStartTimeout)
	keyPrefix := "api key for " + adminEmail + ": "
	for m.url == "" || m.apiKey == "" {
		select {
		case line, ok := <-lines:
			switch {
			case !ok:
				<-m.exited
				return nil, fmt.Errorf("the mock server exited at start; its log:\n%s", m.logTail())
			case m.url == "":
				match := listeningLine.FindStringSubmatch(line)
				if match == nil {
					m.stop()
					return nil, fmt.Errorf("the mock server printed %q, expected \"capgo-mock listening on http://127.0.0.1:PORT\"", line)
				}
				m.url = match[1]
			case strings.HasPrefix(line, keyPrefix):
				m.apiKey = strings.TrimPrefix(line, keyPrefix)
			}
		case <-deadline:
			m.stop()
			return nil, fmt.Errorf("the mock server did not start within %s; its log:\n%s", mockStartTimeout, m.logTail())
		}
	}
	return m, nil
}

// stop asks the mock to stop, and kills it if it does not.
func (m *mock) stop() {
	select {
	case <-m.exited:
		return
	default:
	}
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-m.exited:
	case <-time.After(mockStopTimeout):
		fmt.Fprintf(os.Stderr, "bench: the mock server did not stop within %s; killing it\n", mockStopTimeout)
		_ = m.cmd.Process.Kill()
		<-m.exited
	}
}

// logTail is the end of the mock's standard error, "" when it wrote nothing.
func (m *mock) logTail() string {
	data, _ := os.ReadFile(m.log)
	if len(bytes.TrimSpace(data)) == 0 {
		return ""
	}
	return tail(string(data), outputTailLines)
}

// call sends a request to the mock's control API; out, if not nil, receives the JSON answer.
func (m *mock) call(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, m.url+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := m.client.Do(req)
	if err != nil {
		return fmt.Errorf("mock control API %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("mock control API %s %s: %w", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("mock control API %s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(data))
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("mock control API %s %s: %w", method, path, err)
		}
	}
	return nil
}

// stats are the mock's request counters, as GET /_mock/stats returns them.
type stats struct {
	RequestsTotal  int64            `json:"requests_total"`
	ByRoute        map[string]int64 `json:"by_route"`
	FaultsInjected int64            `json:"faults_injected"`
}

func (m *mock) stats(ctx context.Context) (stats, error) {
	var s stats
	err := m.call(ctx, http.MethodGet, "/_mock/stats", nil, &s)
	return s, err
}

// since is what was counted after earlier. The counters are read rather than reset, because a
// reset of the mock also forgets its state.
func (s stats) since(earlier stats) stats {
	d := stats{
		RequestsTotal:  s.RequestsTotal - earlier.RequestsTotal,
		ByRoute:        map[string]int64{},
		FaultsInjected: s.FaultsInjected - earlier.FaultsInjected,
	}
	for route, count := range s.ByRoute {
		if c := count - earlier.ByRoute[route]; c != 0 {
			d.ByRoute[route] = c
		}
	}
	return d
}

// checkState makes sure the apply left one organization with its owner and n members.
func (m *mock) checkState(ctx context.Context, n int) error {
	var state struct {
		Organizations []struct {
			Members []json.RawMessage `json:"members"`
		} `json:"organizations"`
	}
	if err := m.call(ctx, http.MethodGet, "/_mock/state", nil, &state); err != nil {
		return err
	}
	if len(state.Organizations) != 1 || len(state.Organizations[0].Members) != n+1 {
		members := make([]int, 0, len(state.Organizations))
		for _, o := range state.Organizations {
			members = append(members, len(o.Members))
		}
		return fmt.Errorf("after the apply the mock holds %d organizations with %v members, expected 1 with %d (the owner and %d members)",
			len(state.Organizations), members, n+1, n)
	}
	return nil
}

// --- Provider memory ----------------------------------------------------------------------------

// memoryWatch polls /proc for processes running one binary and keeps the largest peak resident
// set size (VmHWM) seen. The kernel keeps VmHWM as a high-water mark, so polling misses at most
// the growth of a process's last moments. Without /proc it sees nothing.
type memoryWatch struct {
	done    chan struct{}
	stopped chan struct{}
	peakKiB int64
}

func watchMemory(binary string) *memoryWatch {
	w := &memoryWatch{done: make(chan struct{}), stopped: make(chan struct{})}
	go func() {
		defer close(w.stopped)
		ticker := time.NewTicker(memoryPollInterval)
		defer ticker.Stop()
		for {
			w.peakKiB = max(w.peakKiB, peakOf(binary))
			select {
			case <-w.done:
				return
			case <-ticker.C:
			}
		}
	}()
	return w
}

// stop ends the watch and returns the peak in KiB, 0 when no process was seen. It may be called
// more than once.
func (w *memoryWatch) stop() int64 {
	select {
	case <-w.done:
	default:
		close(w.done)
	}
	<-w.stopped
	return w.peakKiB
}

// peakOf is the largest VmHWM of the processes running binary now.
func peakOf(binary string) int64 {
	entries, _ := os.ReadDir("/proc")
	var peak int64
	for _, e := range entries {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if err != nil || strings.TrimSuffix(exe, " (deleted)") != binary {
			continue
		}
		status, err := os.ReadFile(filepath.Join("/proc", e.Name(), "status"))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(status), "\n") {
			if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				// "VmHWM:	   12345 kB"
				kib, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
				if err == nil {
					peak = max(peak, kib)
				}
			}
		}
	}
	return peak
}

func formatMiB(kib int64) string {
	if kib == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f", float64(kib)/1024)
}

// --- The report ---------------------------------------------------------------------------------

// report is the content of BENCHMARKS.md.
func (b *bench) report(results []result, tfVersion string) string {
	var s strings.Builder
	o := b.opts
	sizes := make([]string, len(o.sizes))
	for i, n := range o.sizes {
		sizes[i] = strconv.Itoa(n)
	}
	fmt.Fprintf(&s, `# Benchmarks

How the provider scales with the number of members of one organization, measured against the mock
Capgo server (internal/mockserver) with %d ms of latency added to every API request.

For each size N, one configuration holds one `+"`capgo_organization`"+` and N
`+"`capgo_organization_member`"+` resources (`+"`for_each`"+` over a map, roles spread over read, upload,
write and admin), and a floor configuration has the same shape in built-in `+"`terraform_data`"+`
resources, which make no API requests: the floor is what Terraform itself costs for that many
resources. Each configuration is applied (`+"`terraform apply -auto-approve -parallelism=%d`"+`), then
planned (`+"`terraform plan -parallelism=%d -detailed-exitcode`"+`), and the plan must be empty. Times
are wall clock: one apply each, and the median of %d plans each, the floor's and the provider's in
turn. API requests are counted by the mock, over one plan. Memory is the peak resident set
(VmHWM) of the provider processes Terraform starts, the largest over the apply and the plan.

The apply bound is %.1f × the floor's apply plus the time the writes need at the least: writes ÷
parallelism × latency. At small sizes the ratios mostly measure the fixed cost of starting the
provider process, which the floor, built into Terraform, does not pay.

Rerun with `+"`make bench`"+`, which rewrites this file; the sizes, latency and parallelism are set
with `+"`make bench BENCH_SIZES=\"10 100 500\" BENCH_LATENCY_MS=10 BENCH_PARALLELISM=10`"+`.

- Machine: %s/%s, %d CPUs%s
- Tools: %s, %s
- Date: %s
- Latency: %d ms per API request; parallelism: %d; members: %s

`, o.latencyMS, o.parallelism, o.parallelism, o.planRuns, applyFactor, runtime.GOOS, runtime.GOARCH, runtime.NumCPU(),
		cpuModel(), tfVersion, runtime.Version(), time.Now().UTC().Format("2006-01-02"),
		o.latencyMS, o.parallelism, strings.Join(sizes, ", "))

	s.WriteString("| members N | apply s | floor apply s | apply ratio | apply bound s | plan s | floor plan s | plan ratio | API requests per plan | member list calls per plan | peak provider memory MiB |\n")
	s.WriteString("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, r := range results {
		fmt.Fprintf(&s, "| %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %d | %d | %s |\n",
			r.members, r.apply.Seconds(), r.floorApply.Seconds(), r.applyRatio, r.applyBound.Seconds(),
			r.plan.Seconds(), r.floorPlan.Seconds(), r.planRatio, r.planRequests, r.planListCalls,
			formatMiB(r.peakMemoryKiB))
	}

	s.WriteString("\nAPI requests during the apply:\n\n")
	s.WriteString("| members N | API requests | writes | member list calls |\n")
	s.WriteString("| ---: | ---: | ---: | ---: |\n")
	for _, r := range results {
		fmt.Fprintf(&s, "| %d | %d | %d | %d |\n", r.members, r.applyRequests, r.applyWrites, r.applyListCalls)
	}

	s.WriteString("\n## Targets\n\n")
	for _, t := range b.targets(results) {
		fmt.Fprintf(&s, "- %s\n", t.text)
	}
	return s.String()
}

// target is one performance target, judged.
type target struct {
	text     string // what the target asks, then the verdict and the figures behind it
	measured bool   // false when the sizes measured do not include the target's
	met      bool
}

// targets judges each target. Targets (a) and (b) need the size targetSize to have been measured;
// (c) holds for every size measured.
func (b *bench) targets(results []result) []target {
	verdict := func(met bool) string {
		if met {
			return "**met**"
		}
		return "**NOT MET**"
	}
	var at *result
	for i := range results {
		if results[i].members == targetSize {
			at = &results[i]
		}
	}
	a := target{text: fmt.Sprintf("(a) a plan at %d members lists the members exactly once: ", targetSize)}
	bb := target{text: fmt.Sprintf("(b) a plan at %d members takes at most %.1f × the floor's plan, at 10 ms latency: ", targetSize, planFactor)}
	if at == nil {
		a.text += fmt.Sprintf("**not measured** (%d members is not among the sizes)", targetSize)
		bb.text += fmt.Sprintf("**not measured** (%d members is not among the sizes)", targetSize)
	} else {
		a.measured, bb.measured = true, true
		a.met = at.planListCalls == 1
		a.text += fmt.Sprintf("%s (member list calls: %d)", verdict(a.met), at.planListCalls)
		bb.met = at.planWithinCap
		bb.text += fmt.Sprintf("%s (%.2f s against a floor of %.2f s: %.2f ×)", verdict(bb.met), at.plan.Seconds(), at.floorPlan.Seconds(), at.planRatio)
		if b.opts.latencyMS != 10 {
			bb.text += fmt.Sprintf(", though measured at %d ms", b.opts.latencyMS)
		}
	}
	c := target{text: fmt.Sprintf("(c) an apply takes at most %.1f × the floor's apply + writes ÷ parallelism × latency, at every size: ", applyFactor), measured: true, met: true}
	var figures []string
	for _, r := range results {
		c.met = c.met && r.applyWithinBound
		state := "within"
		if !r.applyWithinBound {
			state = "over"
		}
		figures = append(figures, fmt.Sprintf("%d members %.2f s, %s its bound of %.2f s", r.members, r.apply.Seconds(), state, r.applyBound.Seconds()))
	}
	c.text += verdict(c.met) + " (" + strings.Join(figures, "; ") + ")"
	return []target{a, bb, c}
}

// cpuModel is the processor's name in parentheses after a space, when /proc/cpuinfo tells it.
func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "model name" {
			return " (" + strings.TrimSpace(value) + ")"
		}
	}
	return ""
}

// median is the middle of durations (the mean of the two middle ones for an even count).
func median(durations []time.Duration) time.Duration {
	sorted := slices.Clone(durations)
	slices.Sort(sorted)
	mid := len(sorted) / 2
	if len(sorted)%2 == 0 {
		return (sorted[mid-1] + sorted[mid]) / 2
	}
	return sorted[mid]
}
