package main

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// report is the content of BENCHMARKS.md.
func (b *bench) report(results []result, memberships []membershipResult, paced *pacedResult, tfVersion string) string {
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
are wall clock: one apply each, and the median of %d plans each, the floor's, the framework
floor's and the provider's in turn. API requests are counted by the mock, over one plan. Memory is
the peak resident set (VmHWM) of the provider processes Terraform starts, the largest over the
apply and the plan. The provider runs unpaced (`+"`requests_per_minute = 0`"+`): its pace is
measured in a case of its own, below.

The framework floor is the capgo configuration again, on a build of the provider that keeps its
schemas (attributes, validators, plan modifiers, defaults) and process settings but none of its
code: resources that call no API and store what they are given (scripts/bench/schemaonly). It is
what Terraform and terraform-plugin-framework cost for that many resources of these types before
the provider does anything; the difference between it and the provider is the provider's own
work.

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

	s.WriteString("\nThe framework floor:\n\n")
	s.WriteString("| members N | framework floor apply s | framework floor plan s | its plan ratio to the floor | provider plan over the framework floor |\n")
	s.WriteString("| ---: | ---: | ---: | ---: | ---: |\n")
	for _, r := range results {
		fmt.Fprintf(&s, "| %d | %.2f | %.2f | %.2f | %.2f |\n", r.members, r.schemaOnlyApply.Seconds(),
			r.schemaOnlyPlan.Seconds(), r.schemaOnlyPlanRatio, r.plan.Seconds()/r.schemaOnlyPlan.Seconds())
	}

	s.WriteString("\nAPI requests during the apply:\n\n")
	s.WriteString("| members N | API requests | writes | member list calls |\n")
	s.WriteString("| ---: | ---: | ---: | ---: |\n")
	for _, r := range results {
		fmt.Fprintf(&s, "| %d | %d | %d | %d |\n", r.members, r.applyRequests, r.applyWrites, r.applyListCalls)
	}
	s.WriteString(membershipSection(memberships))
	s.WriteString(pacedSection(paced))

	s.WriteString("\n## Targets\n\n")
	for _, t := range b.targets(results, memberships, paced) {
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
// (c) holds for every size measured; (d) needs the paced case, nil when it did not run; (e) needs
// the membership case at targetSize.
func (b *bench) targets(results []result, memberships []membershipResult, paced *pacedResult) []target {
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
		bb.text += fmt.Sprintf("%s (%.2f s against a floor of %.2f s: %.2f ×; the framework floor alone takes %.2f s, %.2f ×)",
			verdict(bb.met), at.plan.Seconds(), at.floorPlan.Seconds(), at.planRatio, at.schemaOnlyPlan.Seconds(), at.schemaOnlyPlanRatio)
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
		figures = append(figures, fmt.Sprintf("%d members %.2f s, %s its bound of %.2f s (the framework floor: %.2f s)",
			r.members, r.apply.Seconds(), state, r.applyBound.Seconds(), r.schemaOnlyApply.Seconds()))
	}
	c.text += verdict(c.met) + " (" + strings.Join(figures, "; ") + ")"
	return []target{a, bb, c, pacedTarget(paced, verdict), membershipTarget(memberships, verdict)}
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
