// Command bench measures how the provider scales with the number of members of one organization,
// and writes the results to BENCHMARKS.md. Run it from the repository root with `make bench`.
//
//	go run ./scripts/bench [-sizes "10 100 500"] [-latency-ms 10] [-parallelism 10]
//	                       [-paced-members 500] [-out BENCHMARKS.md] [-timeout 15m]
//
// It builds the provider and the mock Capgo server (internal/mockserver/cmd/capgo-mock) into a
// temporary directory, starts the mock as a process of its own with a fixed latency added to every
// API request, and points Terraform at the fresh provider build through a CLI configuration of its
// own (dev_overrides), so the user's Terraform configuration is left alone.
//
// For each size N it applies, then plans, four configurations, with the provider unpaced
// (requests_per_minute 0):
//
//   - one capgo_organization and N capgo_organization_member resources, for N accounts created
//     in the mock beforehand;
//   - a floor of the same shape in built-in terraform_data resources, which make no API requests:
//     what Terraform itself costs for that many resources;
//   - the first configuration again, on the provider's schemas with none of its code
//     (scripts/bench/schemaonly): the framework floor, what Terraform and
//     terraform-plugin-framework cost for that many resources of these types;
//   - the same members as one capgo_organization_members (membership.go), on a fresh mock, and on
//     the schema-only build.
//
// Each plan must be empty. It records wall-clock times, the API requests the mock counted, and the
// peak memory of the provider processes Terraform started. Then, in a case of its own (paced.go),
// it applies -paced-members members against the mock limited to exactly the provider's default
// requests_per_minute, and counts the 429s the provider received and how long the apply took
// against the time its requests need at that rate. Last, it checks the performance targets.
// A missed target is reported, not an error: the exit status is non-zero only when something
// failed to run (a build, the mock, a Terraform command, a non-empty plan).
//
// The mock and the temporary files are removed on exit, also after a failure or an interrupt.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
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
	sizes        []int
	latencyMS    int
	parallelism  int
	planRuns     int
	pacedMembers int // the paced case's size, 0 for none
	out          string
	timeout      time.Duration
}

func parseOptions() (options, error) {
	var o options
	sizes := flag.String("sizes", "10 100 500", "numbers of members to measure, separated by spaces")
	flag.IntVar(&o.latencyMS, "latency-ms", 10, "latency the mock adds to every API request, in milliseconds")
	flag.IntVar(&o.parallelism, "parallelism", 10, "terraform -parallelism")
	flag.StringVar(&o.out, "out", "BENCHMARKS.md", "the report to write")
	flag.IntVar(&o.planRuns, "plan-runs", 5, "how many times each plan runs; the median counts")
	flag.IntVar(&o.pacedMembers, "paced-members", 500, "members of the paced apply against the rate-limited mock; 0 skips it")
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
	if o.pacedMembers < 0 || o.pacedMembers > 9999 {
		return o, fmt.Errorf("-paced-members: %d is not a number of members between 0 (none) and 9999", o.pacedMembers)
	}
	return o, nil
}

// result is what one size measured. Times are wall clock; request counts come from the mock.
type result struct {
	members                         int
	apply, floorApply               time.Duration
	plan, floorPlan                 time.Duration
	schemaOnlyApply, schemaOnlyPlan time.Duration // the framework floor
	applyRequests, applyWrites      int64
	applyListCalls                  int64
	planRequests, planListCalls     int64
	peakMemoryKiB                   int64 // 0 when no provider process could be observed
	applyBound                      time.Duration
	applyRatio, planRatio           float64
	schemaOnlyPlanRatio             float64 // the framework floor's plan over the floor's
	applyWithinBound, planWithinCap bool
}

// bench holds what every step needs.
type bench struct {
	opts     options
	work     string   // the temporary directory
	provider string   // the provider binary Terraform runs
	env      []string // unpaced: requests_per_minute 0
	// pacedEnv is env with the provider at its default requests_per_minute.
	pacedEnv []string
	// schemaOnlyEnv is env with Terraform taking cap-go/capgo from the schema-only build.
	schemaOnlyEnv []string
	mock          *mock
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

	fmt.Println("==> Building the provider, its schema-only build and the mock Capgo server")
	if _, err := b.command(ctx, nil, "go", "build", "-o", filepath.Join(work, "bin")+string(filepath.Separator),
		".", "./internal/mockserver/cmd/capgo-mock"); err != nil {
		return err
	}
	if _, err := b.command(ctx, nil, "go", "build", "-o", filepath.Join(work, "schemaonly", providerBinary),
		"./scripts/bench/schemaonly"); err != nil {
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
	tfVersion, err := b.command(ctx, b.env, "terraform", "version")
	if err != nil {
		return err
	}
	tfVersion, _, _ = strings.Cut(tfVersion, "\n")

	withMockLog := func(err error) error {
		if log := b.mock.logTail(); log != "" {
			return fmt.Errorf("%w\n--- the mock server's log ---\n%s", err, log)
		}
		return err
	}
	var results []result
	var memberships []membershipResult
	for _, n := range opts.sizes {
		r, err := b.measure(ctx, n)
		if err != nil {
			return fmt.Errorf("%d members: %w", n, withMockLog(err))
		}
		results = append(results, r)
		m, err := b.measureMembership(ctx, n, r)
		if err != nil {
			return fmt.Errorf("%d members as one resource: %w", n, withMockLog(err))
		}
		memberships = append(memberships, m)
	}
	var paced *pacedResult
	if opts.pacedMembers > 0 {
		p, err := b.measurePaced(ctx, opts.pacedMembers)
		if err != nil {
			return fmt.Errorf("paced apply of %d members: %w", opts.pacedMembers, withMockLog(err))
		}
		paced = &p
	}

	report := b.report(results, memberships, paced, strings.TrimSpace(tfVersion))
	if err := os.WriteFile(opts.out, []byte(report), 0o644); err != nil {
		return err
	}
	fmt.Printf("\n%s\nWrote %s.\n\nTargets:\n", report, opts.out)
	for _, t := range b.targets(results, memberships, paced) {
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

// configureTerraform writes the CLI configurations that make Terraform take cap-go/capgo from the
// fresh build, or from its schema-only build, and the environments Terraform commands run in.
func (b *bench) configureTerraform() error {
	// Settings of the caller's that would change what is measured are left out.
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "CAPGO_") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1",
		"CAPGO_API_URL="+b.mock.url,
		"CAPGO_API_KEY="+b.mock.apiKey,
	)
	withOverride := func(name, providerDir string) ([]string, error) {
		rc := filepath.Join(b.work, name)
		config := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/cap-go/capgo" = %q
  }
  direct {}
}
`, providerDir)
		if err := os.WriteFile(rc, []byte(config), 0o644); err != nil {
			return nil, err
		}
		return append(slices.Clone(env), "TF_CLI_CONFIG_FILE="+rc), nil
	}
	var err error
	if b.pacedEnv, err = withOverride("terraformrc", filepath.Dir(b.provider)); err != nil {
		return err
	}
	// The scaling cases measure the provider's work, not its pace, which the paced case measures:
	// at the default rate, 500 writes would take 17 s whatever the provider did.
	b.env = append(slices.Clone(b.pacedEnv), "CAPGO_REQUESTS_PER_MINUTE=0")
	b.schemaOnlyEnv, err = withOverride("terraformrc-schemaonly", filepath.Join(b.work, "schemaonly"))
	return err
}

// measure runs one size: a fresh mock with n accounts, then apply and plan of the capgo
// configuration, of the floor and of the framework floor.
func (b *bench) measure(ctx context.Context, n int) (result, error) {
	r := result{members: n}
	fmt.Printf("\n==> %d members\n", n)

	if err := b.freshMock(ctx, n); err != nil {
		return r, err
	}

	dir := filepath.Join(b.work, fmt.Sprintf("capgo-%d", n))
	floorDir := filepath.Join(b.work, fmt.Sprintf("floor-%d", n))
	schemaOnlyDir := filepath.Join(b.work, fmt.Sprintf("schemaonly-%d", n))
	for configDir, config := range map[string]string{dir: capgoConfig(n), floorDir: floorConfig(n), schemaOnlyDir: capgoConfig(n)} {
		if err := writeConfig(configDir, config); err != nil {
			return r, err
		}
	}

	// The floor first: its init, which is not timed, also brings Terraform into the page cache.
	// The capgo configuration needs no init: every provider it uses is overridden.
	if _, err := b.command(ctx, b.env, "terraform", "-chdir="+floorDir, "init", "-input=false", "-no-color"); err != nil {
		return r, err
	}
	var err error
	if r.floorApply, err = b.terraform(ctx, b.env, floorDir, "apply"); err != nil {
		return r, err
	}
	if r.schemaOnlyApply, err = b.terraform(ctx, b.schemaOnlyEnv, schemaOnlyDir, "apply"); err != nil {
		return r, err
	}

	watch := watchMemory(b.provider)
	defer watch.stop()
	var applied mockserver.Stats
	r.apply, applied, err = b.countedApply(ctx, dir, n)
	if err != nil {
		return r, err
	}
	// The API requests are those of the first plan (the schema-only build makes none).
	plans, err := b.plans(ctx, floorDir, schemaOnlyDir, dir)
	if err != nil {
		return r, err
	}
	r.floorPlan, r.schemaOnlyPlan, r.plan = plans.floor, plans.schemaOnly, plans.provider
	r.peakMemoryKiB = watch.stop()

	r.applyRequests, r.applyListCalls, r.applyWrites = applied.RequestsTotal, applied.ByRoute[membersRoute], writesIn(applied)
	r.planRequests, r.planListCalls = plans.planned.RequestsTotal, plans.planned.ByRoute[membersRoute]

	// Writes cannot go faster than parallelism at a time, each taking the latency at least.
	latency := time.Duration(b.opts.latencyMS) * time.Millisecond
	writeTime := time.Duration(float64(r.applyWrites) / float64(b.opts.parallelism) * float64(latency))
	r.applyBound = time.Duration(applyFactor*float64(r.floorApply)) + writeTime
	r.applyRatio = r.apply.Seconds() / r.floorApply.Seconds()
	r.planRatio = r.plan.Seconds() / r.floorPlan.Seconds()
	r.schemaOnlyPlanRatio = r.schemaOnlyPlan.Seconds() / r.floorPlan.Seconds()
	r.applyWithinBound = r.apply <= r.applyBound
	r.planWithinCap = r.planRatio <= planFactor
	fmt.Printf("    apply %.2fs (floor %.2fs, framework floor %.2fs, bound %.2fs): %d API requests, %d writes, %d member lists\n",
		r.apply.Seconds(), r.floorApply.Seconds(), r.schemaOnlyApply.Seconds(), r.applyBound.Seconds(), r.applyRequests, r.applyWrites, r.applyListCalls)
	fmt.Printf("    plan  %.2fs (floor %.2fs, framework floor %.2fs): %d API requests, %d member lists; provider peak memory %s MiB\n",
		r.plan.Seconds(), r.floorPlan.Seconds(), r.schemaOnlyPlan.Seconds(), r.planRequests, r.planListCalls, formatMiB(r.peakMemoryKiB))
	return r, nil
}

func memberEmail(i int) string { return fmt.Sprintf("member-%04d@bench.example", i) }

// membersMap is the locals block every configuration takes their members from.
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
func (b *bench) terraform(ctx context.Context, env []string, dir, subcommand string) (time.Duration, error) {
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
	_, err := b.command(ctx, env, "terraform", append([]string{"-chdir=" + dir}, args...)...)
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
func (b *bench) command(ctx context.Context, env []string, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, b.opts.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
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
