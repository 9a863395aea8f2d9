package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
	"github.com/Cap-go/terraform-provider-capgo/internal/provider"
)

// The membership case holds the same members as one capgo_organization_members: one resource to
// plan instead of N, which one member list refreshes.
const (
	// membershipPlanFactor bounds its plan relative to its framework floor, measured side by side:
	// what Terraform and the framework cost for this shape before the provider does anything. The
	// provider's own share is then the two requests and little else.
	membershipPlanFactor = 1.1
	// membershipPlanRequests bounds its API requests per plan: the organization, and the members.
	membershipPlanRequests = 2
)

// membershipResult is what the membership case measured at one size.
type membershipResult struct {
	members                         int
	apply, plan                     time.Duration
	schemaOnlyApply, schemaOnlyPlan time.Duration // the framework floor of this shape
	floorPlan                       time.Duration // the built-in floor of this shape
	applyRequests, applyWrites      int64
	planRequests                    int64
	applyBound                      time.Duration
	planRatio                       float64 // the plan over the separate resources' plan
	frameworkRatio                  float64 // the plan over its framework floor
	applyWithinBound, planWithinCap bool
	planRequestsWithinCap           bool
	separatePlan                    time.Duration // the plan of the N separate resources
}

// measureMembership applies, then plans, one organization whose n members and owner are one
// capgo_organization_members, on a fresh mock, and its framework floor. separate is the size's
// result with one resource per member, whose plan it is compared with.
func (b *bench) measureMembership(ctx context.Context, n int, separate result) (membershipResult, error) {
	r := membershipResult{members: n, separatePlan: separate.plan}
	fmt.Printf("\n==> %d members as one capgo_organization_members\n", n)
	if err := b.freshMock(ctx, n); err != nil {
		return r, err
	}
	dir := filepath.Join(b.work, fmt.Sprintf("membership-%d", n))
	schemaOnlyDir := filepath.Join(b.work, fmt.Sprintf("membership-schemaonly-%d", n))
	floorDir := filepath.Join(b.work, fmt.Sprintf("membership-floor-%d", n))
	for configDir, config := range map[string]string{dir: membershipConfig(n), schemaOnlyDir: membershipConfig(n), floorDir: membershipFloorConfig(n)} {
		if err := writeConfig(configDir, config); err != nil {
			return r, err
		}
	}
	if _, err := b.command(ctx, b.env, "terraform", "-chdir="+floorDir, "init", "-input=false", "-no-color"); err != nil {
		return r, err
	}
	if _, err := b.terraform(ctx, b.env, floorDir, "apply"); err != nil {
		return r, err
	}
	var err error
	if r.schemaOnlyApply, err = b.terraform(ctx, b.schemaOnlyEnv, schemaOnlyDir, "apply"); err != nil {
		return r, err
	}
	var applied mockserver.Stats
	r.apply, applied, err = b.countedApply(ctx, dir, n)
	if err != nil {
		return r, err
	}
	plans, err := b.plans(ctx, floorDir, schemaOnlyDir, dir)
	if err != nil {
		return r, err
	}
	r.floorPlan, r.schemaOnlyPlan, r.plan = plans.floor, plans.schemaOnly, plans.provider
	r.applyRequests, r.applyWrites, r.planRequests = applied.RequestsTotal, writesIn(applied), plans.planned.RequestsTotal

	// The resource sends at most provider.MembershipWriteParallelism writes at once, each taking
	// the latency at least; the framework floor of the same shape pays Terraform and the
	// provider's start, which the built-in floor does not.
	latency := time.Duration(b.opts.latencyMS) * time.Millisecond
	writeTime := time.Duration(float64(r.applyWrites) / float64(provider.MembershipWriteParallelism) * float64(latency))
	r.applyBound = time.Duration(applyFactor*float64(r.schemaOnlyApply)) + writeTime
	r.applyWithinBound = r.apply <= r.applyBound
	r.planRatio = r.plan.Seconds() / separate.plan.Seconds()
	r.frameworkRatio = r.plan.Seconds() / r.schemaOnlyPlan.Seconds()
	r.planWithinCap = r.frameworkRatio <= membershipPlanFactor
	r.planRequestsWithinCap = r.planRequests <= membershipPlanRequests
	fmt.Printf("    apply %.2fs (framework floor %.2fs, bound %.2fs): %d API requests, %d writes\n",
		r.apply.Seconds(), r.schemaOnlyApply.Seconds(), r.applyBound.Seconds(), r.applyRequests, r.applyWrites)
	fmt.Printf("    plan  %.2fs (floor %.2fs, framework floor %.2fs: %.2f ×; %.2f × the %.2fs of %d separate resources): %d API requests\n",
		r.plan.Seconds(), r.floorPlan.Seconds(), r.schemaOnlyPlan.Seconds(), r.frameworkRatio, r.planRatio, separate.plan.Seconds(), n, r.planRequests)
	return r, nil
}

// membershipConfig is one organization whose owner, the API key's user, and n members are one
// capgo_organization_members: the owner must be listed, or the plan is refused.
func membershipConfig(n int) string {
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
  name = "Benchmark, %d members as one resource"
}
`, n) + fmt.Sprintf(`
resource "capgo_organization_members" "all" {
  organization_id = capgo_organization.bench.id
  members = merge(
    { for email, role in local.members : email => { role = role } },
    { %q = { role = "super_admin" } },
  )
}
`, adminEmail)
}

// membershipFloorConfig has the shape of membershipConfig in terraform_data resources: what
// Terraform itself costs for one resource that holds the whole map.
func membershipFloorConfig(n int) string {
	return membersMap(n) + fmt.Sprintf(`
resource "terraform_data" "organization" {
  input = "Benchmark, %d members as one resource"
}

resource "terraform_data" "members" {
  input = {
    organization_id = terraform_data.organization.id
    members = merge(
      { for email, role in local.members : email => { role = role } },
      { %q = { role = "super_admin" } },
    )
  }
}
`, n, adminEmail)
}

// membershipSection is the membership case's part of BENCHMARKS.md; empty when it did not run.
func membershipSection(results []membershipResult) string {
	if len(results) == 0 {
		return ""
	}
	var s strings.Builder
	fmt.Fprintf(&s, `
## The members as one resource

The same N members, and the organization's owner, as one `+"`capgo_organization_members`"+` instead of N
`+"`capgo_organization_member`"+` resources, on a fresh mock, applied and then planned as above. Its
floor is the same shape in built-in `+"`terraform_data`"+` (one resource holding the whole map), and
its framework floor the same configuration on the schema-only build. Its apply bound is %.1f × that
framework floor plus writes ÷ %d (the writes the resource sends at once) × latency. Its plan is
compared with its framework floor, planned in the same rounds (the framework ratio), and with the
plan of the N separate resources above (the plan ratio).

| members N | apply s | framework floor apply s | apply bound s | plan s | floor plan s | framework floor plan s | framework ratio | plan of N resources s | plan ratio | API requests per plan | API requests per apply | writes |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
`, applyFactor, provider.MembershipWriteParallelism)
	for _, r := range results {
		fmt.Fprintf(&s, "| %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %d | %d | %d |\n",
			r.members, r.apply.Seconds(), r.schemaOnlyApply.Seconds(), r.applyBound.Seconds(), r.plan.Seconds(), r.floorPlan.Seconds(),
			r.schemaOnlyPlan.Seconds(), r.frameworkRatio, r.separatePlan.Seconds(), r.planRatio, r.planRequests, r.applyRequests, r.applyWrites)
	}
	return s.String()
}

// membershipTarget judges the membership case at targetSize members.
func membershipTarget(results []membershipResult, verdict func(bool) string) target {
	t := target{text: fmt.Sprintf("(e) at %d members, one capgo_organization_members plans in at most %.1f × the time of its "+
		"framework floor, with at most %d API requests per plan, and applies within its bound: ",
		targetSize, membershipPlanFactor, membershipPlanRequests)}
	for _, r := range results {
		if r.members != targetSize {
			continue
		}
		t.measured = true
		t.met = r.planWithinCap && r.planRequestsWithinCap && r.applyWithinBound
		t.text += fmt.Sprintf("%s (plan %.2f s against a framework floor of %.2f s: %.2f ×; Terraform alone plans the same "+
			"shape in %.2f s; %d separate capgo_organization_member take %.2f s, %.2f × as long; %d API requests per plan; "+
			"apply %.2f s, bound %.2f s)",
			verdict(t.met), r.plan.Seconds(), r.schemaOnlyPlan.Seconds(), r.frameworkRatio, r.floorPlan.Seconds(),
			targetSize, r.separatePlan.Seconds(), r.planRatio, r.planRequests, r.apply.Seconds(), r.applyBound.Seconds())
		return t
	}
	t.text += fmt.Sprintf("**not measured** (%d members is not among the sizes)", targetSize)
	return t
}
