package main

import (
	"fmt"
	"strings"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// pacedSection is the paced case's part of BENCHMARKS.md; nil when it did not run.
func pacedSection(p *pacedResult) string {
	if p == nil {
		return ""
	}
	var s strings.Builder
	fmt.Fprintf(&s, `
## Paced apply

The mock limits the API key to %d requests per %d s window (the window starts with the key's
first request, and the request that reaches the limit is refused with 429): exactly the
provider's default `+"`requests_per_minute`"+` of %d, at which the provider runs. The capgo
configuration of M members is applied once with `+"`TF_LOG_PROVIDER=DEBUG`"+`: the 429s are the
answers with status 429 the provider logged ("received answer"), which must number as many as the
requests the mock counted. The latency is that of the other cases. The floor is those requests
at the paced rate, %.0f per second. The provider paces a little under the rate asked for, so its
requests alone take about 1.02 × the floor; the apply also pays Terraform's plan and the
provider's start, which weigh most at small M. The members are destroyed afterwards, unpaced and
not timed. Set M with `+"`make bench BENCH_PACED_MEMBERS=500`"+`.

| members M | API requests | answers 429 | apply s | floor s | ratio |
| ---: | ---: | ---: | ---: | ---: | ---: |
| %d | %d | %d | %.2f | %.2f | %.2f |
`, pacedRequestsPerWindow, pacedWindowSeconds, capgo.DefaultRequestsPerMinute, pacedRatePerSecond,
		p.members, p.requests, p.tooMany, p.apply.Seconds(), p.floor.Seconds(), p.ratio)
	return s.String()
}

// pacedTarget judges the paced apply; nil p means the case did not run.
func pacedTarget(p *pacedResult, verdict func(bool) string) target {
	t := target{text: fmt.Sprintf("(d) an apply paced at the default %d requests per minute, against a mock limited to %d per %d s, gets no 429 and takes at most %.1f × its requests ÷ %.0f per second: ",
		capgo.DefaultRequestsPerMinute, pacedRequestsPerWindow, pacedWindowSeconds, pacedFactor, pacedRatePerSecond)}
	if p == nil {
		t.text += "**not measured** (-paced-members 0)"
		return t
	}
	t.measured, t.met = true, p.withinBound
	t.text += fmt.Sprintf("%s (%d members: %d requests, %d answers 429, %.2f s against a floor of %.2f s: %.2f ×)",
		verdict(t.met), p.members, p.requests, p.tooMany, p.apply.Seconds(), p.floor.Seconds(), p.ratio)
	return t
}
