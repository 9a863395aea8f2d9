package provider

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/membership"
)

// What a refresh and a plan of a membership compute from the member list costs the same per
// member in a large organization as in a small one: a lookup per member that scanned the map
// made a plan of 500 members spend 27 ms here, and one of 5,000 members 100 times that.
func TestMembershipWorkScalesLinearly(t *testing.T) {
	const small, large = 100, 2000
	fastestSmall, fastestLarge := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
	// Each size handles as many members in all, and the sizes take turns, so that load elsewhere
	// on the machine weighs on both alike; the fastest round of each is the least disturbed.
	for range 3 {
		fastestSmall = min(fastestSmall, membershipTimePerMember(t, small, large))
		fastestLarge = min(fastestLarge, membershipTimePerMember(t, large, large))
	}
	ratio := float64(fastestLarge) / float64(fastestSmall)
	t.Logf("per member: %v in memberships of %d, %v in one of %d (ratio %.2f)", fastestSmall, small, fastestLarge, large, ratio)
	// O(1) work per member gives a ratio near 1; quadratic work gives about large/small (20).
	if ratio > 4 {
		t.Fatalf("a member costs %.1f times as much in a membership of %d as in one of %d: %v against %v",
			ratio, large, small, fastestLarge, fastestSmall)
	}
}

// membershipTimePerMember runs the membership workload on memberships of size members until
// total members have been handled, and returns the time per member.
func membershipTimePerMember(t *testing.T, size, total int) time.Duration {
	t.Helper()
	runtime.GC()
	var elapsed time.Duration
	for range total / size {
		elapsed += membershipWorkload(t, size)
	}
	return elapsed / time.Duration(total)
}

// membershipWorkload is what a refresh and a plan compute for a membership of n members, spelt
// in the configuration in other letter case than on the server, with one member added outside
// Terraform and one missing, and returns how long it took.
func membershipWorkload(t *testing.T, n int) time.Duration {
	t.Helper()
	members := make([]capgo.Member, 0, n)
	configured := make(map[string]membershipEntry, n)
	for i := range n {
		email := fmt.Sprintf("member-%05d@example.com", i)
		members = append(members, capgo.Member{Email: email, Role: "write", UID: email, Status: capgo.MemberActive})
		if i > 0 { // member 0 was added outside Terraform
			configured[strings.ToUpper(email)] = membershipEntry{Role: types.StringValue("write")}
		}
	}
	configured["missing@example.com"] = membershipEntry{Role: types.StringValue("read")}

	start := time.Now()
	refreshed := membershipFromServer(configured, members)
	decided := membership.SetMembership(membership.Situation{OrganizationID: "o1", Members: members,
		Server: capgo.DocumentedCapabilities}, membership.Wanted{Roles: configuredRoles(configured)})
	planned := plannedMembership(configured, refreshed, decided, true)
	elapsed := time.Since(start)

	actions := map[membership.Action]int{}
	for _, c := range decided.Changes {
		actions[c.Action]++
	}
	if len(refreshed) != n || len(planned) != n || actions[membership.Invite] != 1 || actions[membership.Remove] != 1 || len(actions) != 2 {
		t.Fatalf("%d members: refreshed %d, planned %d, changes %v; want %d, %d, one invitation and one removal",
			n, len(refreshed), len(planned), actions, n, n)
	}
	return elapsed
}
