package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// Removals run in parallel, as Terraform runs them, through the terraform CLI with -target,
// against a mock with latency: the scenarios in which a check-then-write raced with another write
// of the same run and deleted an organization, or reported as destroyed memberships that were
// still on the server.

// removalRun is one organization with managed memberships, in a CLI working directory.
type removalRun struct {
	t     *testing.T
	mock  *accMock
	run   *cliRun
	orgID string
	roles map[string]string // email: role, the key's own user included
}

// newRemovalRun creates the organization, invites everyone in roles but the key's user,
// makes them accept, and imports the key's own membership: every membership is managed.
func newRemovalRun(t *testing.T, dialect string, roles map[string]string, setup func(*accMock)) *removalRun {
	t.Helper()
	mock := newAccMockIn(t, dialect)
	for email := range roles {
		if email != mockserver.AdminEmail && email != mockserver.DevEmail && email != mockserver.OpsEmail {
			mock.CreateUser(email)
		}
	}
	if setup != nil {
		setup(mock)
	}
	r := &removalRun{t: t, mock: mock, run: newCLIRun(t, buildProvider(t)).quiet(), roles: roles}
	r.write("")
	if !r.run.terraform("apply", "-auto-approve") {
		t.Fatalf("apply failed:\n%s", tail(r.run.out.String(), 40))
	}
	for _, org := range mock.State().Organizations {
		if org.Name == "Race Org" {
			r.orgID = org.ID
		}
	}
	for email := range roles {
		if email != mockserver.AdminEmail {
			mock.mustDo("accept", mock.AcceptInvitation(r.orgID, email))
		}
	}
	r.write(fmt.Sprintf(`
import {
  to = capgo_organization_member.m[%q]
  id = "%s/%s"
}
`, mockserver.AdminEmail, r.orgID, mockserver.AdminEmail))
	if !r.run.terraform("apply", "-auto-approve") {
		t.Fatalf("importing the key's own membership failed:\n%s", tail(r.run.out.String(), 40))
	}
	return r
}

// write writes the configuration: the organization and one membership per role, plus extra.
func (r *removalRun) write(extra string) {
	var members strings.Builder
	for _, email := range slices.Sorted(func(yield func(string) bool) {
		for email := range r.roles {
			if !yield(email) {
				return
			}
		}
	}) {
		if email == mockserver.AdminEmail && extra == "" && r.orgID == "" {
			continue // the key's user is a member already: imported, not created
		}
		fmt.Fprintf(&members, "    %q = %q\n", email, r.roles[email])
	}
	writeFile(r.t, filepath.Join(r.run.dir, "main.tf"), fmt.Sprintf(`
terraform {
  required_providers {
    capgo = { source = "cap-go/capgo" }
  }
}

provider "capgo" {
  api_url = %q
  api_key = %q
}

resource "capgo_organization" "r" {
  name = "Race Org"
}

resource "capgo_organization_member" "m" {
  for_each = {
%s  }
  organization_id = capgo_organization.r.id
  email           = each.key
  role            = each.value
}
%s`, r.mock.URL, mockserver.AdminAPIKey, members.String(), extra))
}

// destroyTargets destroys the memberships of emails at once, and reports whether it succeeded.
func (r *removalRun) destroyTargets(emails ...string) bool {
	args := []string{"destroy", "-auto-approve", "-parallelism=10"}
	for _, email := range emails {
		args = append(args, fmt.Sprintf("-target=capgo_organization_member.m[%q]", email))
	}
	return r.run.terraform(args...)
}

// serverMembers are the members of the organization on the server; nil when it is gone.
func (r *removalRun) serverMembers() []string {
	for _, org := range r.mock.State().Organizations {
		if org.ID == r.orgID {
			var emails []string
			for _, m := range org.Members {
				emails = append(emails, m.Email)
			}
			slices.Sort(emails)
			return emails
		}
	}
	return nil
}

// stateMembers are the memberships Terraform's state holds.
func (r *removalRun) stateMembers() []string {
	var emails []string
	for _, address := range r.stateList() {
		if email, ok := strings.CutPrefix(address, `capgo_organization_member.m["`); ok {
			emails = append(emails, strings.TrimSuffix(email, `"]`))
		}
	}
	slices.Sort(emails)
	return emails
}

func (r *removalRun) stateList() []string {
	r.run.out.Reset()
	if !r.run.terraform("state", "list") {
		r.t.Fatalf("terraform state list failed:\n%s", r.run.out.String())
	}
	return strings.Fields(r.run.out.String())
}

// checkStateMatchesServer fails the test unless the state holds exactly the memberships on the
// server, and the organization is still there.
func (r *removalRun) checkStateMatchesServer(round int) {
	r.t.Helper()
	server := r.serverMembers()
	if server == nil {
		r.t.Fatalf("round %d: the organization was deleted on the server", round)
	}
	if state := r.stateMembers(); !slices.Equal(state, server) {
		r.t.Fatalf("round %d: the state holds %v, the server %v", round, state, server)
	}
	if !slices.Contains(r.stateList(), "capgo_organization.r") {
		r.t.Fatalf("round %d: the organization is no longer in the state", round)
	}
}

// The reproduction: the key's own accepted super_admin membership and another accepted
// super_admin, destroyed together with -target. Before the two removals were one step each, both
// saw the other super_admin, both were sent, and (production API) Capgo deleted the organization.
// Now one is removed and the other refused, whatever the order, and nothing else changes.
func TestAccParallelRemovalsKeepALastSuperAdmin(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	const rounds = 5
	forEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		superAdmin := byDialect(dialect, "super_admin", "org_super_admin")
		outcomes := map[string]int{}
		for round := range rounds {
			// Odd rounds let the provider tell whose key it holds; even rounds do not.
			identifiable := round%2 == 1
			r := newRemovalRun(t, dialect, map[string]string{
				mockserver.AdminEmail: superAdmin,
				"u05@example.com":     superAdmin,
			}, func(m *accMock) {
				m.SetFaults(mockserver.Faults{LatencyMS: 30})
				if identifiable {
					m.giveKeyUserAnOrganizationOfItsOwn()
				}
			})
			if !identifiable {
				r.keepKeyUserToTheTestsOrganization()
			}
			if r.destroyTargets(mockserver.AdminEmail, "u05@example.com") {
				t.Fatalf("round %d: destroying both super_admins succeeded:\n%s", round, tail(r.run.out.String(), 30))
			}
			out := r.run.out.String()
			if !strings.Contains(out, "Cannot remove the last super_admin") && !strings.Contains(out, "Terraform lost access") {
				t.Fatalf("round %d: the failure does not say why:\n%s", round, tail(out, 30))
			}
			r.checkStateMatchesServer(round)
			remaining := strings.Join(r.serverMembers(), ",")
			outcomes[fmt.Sprintf("identifiable=%v remaining=%s", identifiable, remaining)]++
			if identifiable && remaining != mockserver.AdminEmail {
				// Knowing whose key it holds, the provider removes that membership last: it is the
				// one refused as the last super_admin.
				t.Errorf("round %d: the provider knew whose key it held, yet the server keeps %s", round, remaining)
			}
		}
		t.Logf("%s, %d rounds with 30 ms latency: %v", dialect, rounds, outcomes)
	})
}

// giveKeyUserAnOrganizationOfItsOwn makes sure the key's user has a second organization where it is
// alone, as Capgo's production API gives every account at sign-up: the provider can then tell whose
// key it holds. A mock of the production API has seeded one already.
func (m *accMock) giveKeyUserAnOrganizationOfItsOwn() {
	if len(m.adminsSeededOrganizations()) > 0 {
		return
	}
	_, err := m.client(mockserver.AdminAPIKey).CreateOrganization(bg, capgo.CreateOrganizationRequest{Name: "Own"})
	m.mustDo("create an organization of the key's user's own", err)
}

// keepKeyUserToTheTestsOrganization takes away the organization of its own a mock of the production
// API seeds for the key's user, once the test's organization exists (creating one needs an admin
// role somewhere): the provider can then not tell whose key it holds.
func (r *removalRun) keepKeyUserToTheTestsOrganization() {
	r.mock.deleteSeededOrganizationsOfAdmin()
}

// The key's own membership, another accepted super_admin and five readers, all destroyed at
// once. Removing the key's own membership first used to make every later delete read "cannot see
// the organization" as "already gone" and report success: "7 destroyed" with six memberships
// still on the server. Now the readers go first, the guarded removals after them, and whatever
// cannot be verified fails and stays in the state.
func TestAccRemovingTheKeysOwnMembershipNeverReportsFalseSuccess(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	forEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		superAdmin, reader := byDialect(dialect, "super_admin", "org_super_admin"), byDialect(dialect, "read", "org_member")
		roles := map[string]string{mockserver.AdminEmail: superAdmin, "second@example.com": superAdmin}
		for i := range 5 {
			roles[fmt.Sprintf("reader%d@example.com", i)] = reader
		}
		for _, identifiable := range []bool{false, true} {
			r := newRemovalRun(t, dialect, roles, func(m *accMock) {
				m.SetFaults(mockserver.Faults{LatencyMS: 20})
				if identifiable {
					m.giveKeyUserAnOrganizationOfItsOwn()
				}
			})
			if !identifiable {
				r.keepKeyUserToTheTestsOrganization()
			}
			emails := slices.Collect(func(yield func(string) bool) {
				for email := range roles {
					if !yield(email) {
						return
					}
				}
			})
			if r.destroyTargets(emails...) {
				t.Fatalf("destroying every membership, the key's own included, succeeded:\n%s", tail(r.run.out.String(), 30))
			}
			if strings.Contains(r.run.out.String(), "7 destroyed") {
				t.Fatal("Terraform reported all seven memberships destroyed")
			}
			r.checkStateMatchesServer(0)
			remaining := r.serverMembers()
			for i := range 5 {
				if slices.Contains(remaining, fmt.Sprintf("reader%d@example.com", i)) {
					t.Errorf("reader%d was not removed: readers go before the guarded removals", i)
				}
			}
			if identifiable && !slices.Equal(remaining, []string{mockserver.AdminEmail}) {
				t.Errorf("the provider knew whose key it held, yet the server keeps %v, want only the key's user", remaining)
			}
			t.Logf("%s, key's user identifiable %v: remaining %v", dialect, identifiable, remaining)
		}
	})
}
