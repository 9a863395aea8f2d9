package provider

import (
	"flag"
	"os"
	"testing"
)

// fuzzing reports a run of a fuzz target, or one of its workers.
func fuzzing() bool {
	for _, name := range []string{"test.fuzz", "test.fuzzworker"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" && f.Value.String() != "false" {
			return true
		}
	}
	return false
}

// TestMain runs the Terraform CLI without its garbage collector and its version check, and removes
// the provider binary that the CLI tests share (buildProvider).
func TestMain(m *testing.M) {
	flag.Parse()
	// Each Terraform command the tests start lives well under a second and spends about a third
	// of its CPU time collecting garbage that exiting frees anyway; the suite starts well over a
	// thousand of them. Only child processes see this: the test binary keeps the setting it
	// started with, and a GOGC of the caller's own is left alone. Not when fuzzing, whose workers
	// are long-lived children of the test binary.
	if _, set := os.LookupEnv("GOGC"); !set && !fuzzing() {
		_ = os.Setenv("GOGC", "off")
	}
	// Nor do they ask HashiCorp whether a newer Terraform is out: the tests talk to nothing but
	// their own mock.
	if _, set := os.LookupEnv("CHECKPOINT_DISABLE"); !set {
		_ = os.Setenv("CHECKPOINT_DISABLE", "1")
	}
	// Each test talks to a mock of its own, without a rate limit unless the test sets one, so the
	// provider need not pace its requests; pacing is tested on its own, and measured by the bench.
	if _, set := os.LookupEnv(envRequestsPerMinute); !set {
		_ = os.Setenv(envRequestsPerMinute, "0")
	}
	code := m.Run()
	if providerBuild.dir != "" {
		_ = os.RemoveAll(providerBuild.dir)
	}
	os.Exit(code)
}
