package main

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// countedApply applies the configuration in dir and checks that the mock then holds one
// organization with its owner and n members. It returns how long the apply took and what the mock
// counted during it.
func (b *bench) countedApply(ctx context.Context, dir string, n int) (time.Duration, mockserver.Stats, error) {
	before, err := b.mock.control.Stats(ctx)
	if err != nil {
		return 0, mockserver.Stats{}, err
	}
	elapsed, err := b.terraform(ctx, b.env, dir, "apply")
	if err != nil {
		return 0, mockserver.Stats{}, err
	}
	after, err := b.mock.control.Stats(ctx)
	if err != nil {
		return 0, mockserver.Stats{}, err
	}
	applied := since(after, before)
	if applied.FaultsInjected != 0 {
		return 0, applied, errors.New("the mock injected faults, though its profile sets latency only")
	}
	return elapsed, applied, b.mock.checkState(ctx, n)
}

// planTimes are the median plan times of a configuration and its two floors.
type planTimes struct {
	floor, schemaOnly, provider time.Duration
	// planned is what the mock counted during the provider's first plan; the floors make no
	// requests.
	planned mockserver.Stats
}

// plans runs the plans of the floor (floorDir), the framework floor (schemaOnlyDir) and the
// provider (dir) in turn, planRuns times: plans are short, and one is at the mercy of whatever
// else the machine does, so the medians are compared.
func (b *bench) plans(ctx context.Context, floorDir, schemaOnlyDir, dir string) (planTimes, error) {
	var t planTimes
	before, err := b.mock.control.Stats(ctx)
	if err != nil {
		return t, err
	}
	var floors, schemaOnlys, providers []time.Duration
	for i := range b.opts.planRuns {
		floor, err := b.terraform(ctx, b.env, floorDir, "plan")
		if err != nil {
			return t, err
		}
		schemaOnly, err := b.terraform(ctx, b.schemaOnlyEnv, schemaOnlyDir, "plan")
		if err != nil {
			return t, err
		}
		plan, err := b.terraform(ctx, b.env, dir, "plan")
		if err != nil {
			return t, err
		}
		if i == 0 {
			after, err := b.mock.control.Stats(ctx)
			if err != nil {
				return t, err
			}
			t.planned = since(after, before)
		}
		floors, schemaOnlys, providers = append(floors, floor), append(schemaOnlys, schemaOnly), append(providers, plan)
	}
	if t.planned.FaultsInjected != 0 {
		return t, errors.New("the mock injected faults, though its profile sets latency only")
	}
	t.floor, t.schemaOnly, t.provider = median(floors), median(schemaOnlys), median(providers)
	return t, nil
}

// writesIn counts the requests that change something: every one but a GET.
func writesIn(s mockserver.Stats) int64 {
	var writes int64
	for route, count := range s.ByRoute {
		if !strings.HasPrefix(route, "GET ") {
			writes += count
		}
	}
	return writes
}
