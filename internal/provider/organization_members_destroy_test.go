package provider

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// A destroy keeps the API key's own user and one accepted super_admin, never a pending one; when
// it cannot tell whose key it uses, it keeps every accepted member who controls the organization.
func TestKeptOnDestroy(t *testing.T) {
	mock := newAccMockIn(t, mockserver.DialectDocs)
	admin := mock.client(mockserver.AdminAPIKey)
	_, err := admin.CreateOrganization(bg, capgo.CreateOrganizationRequest{Name: "Mobile"})
	mock.mustDo("create an organization", err)
	keyUser, known := admin.KeyUserID(bg)
	if !known {
		t.Fatal("the admin's client cannot tell its key's user")
	}
	unreachable := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
	}))
	t.Cleanup(unreachable.Close)
	noRetries := 0
	blind, err := capgo.NewClient(capgo.Config{BaseURL: unreachable.URL, APIKey: "k", MaxRetries: &noRetries})
	if err != nil {
		t.Fatal(err)
	}

	member := func(uid, email, role string, pending bool) capgo.Member {
		status := capgo.MemberActive
		if pending {
			status = capgo.MemberPending
		}
		return capgo.Member{UID: uid, Email: email, Role: role, Status: status}
	}
	invitedBoss := member("u-invited", "invited@example.com", "super_admin", true)
	keyAsSuperAdmin := member(keyUser, mockserver.AdminEmail, "super_admin", false)
	keyAsAdmin := member(keyUser, mockserver.AdminEmail, "admin", false)
	boss := member("u-boss", "boss@example.com", "super_admin", false)
	otherBoss := member("u-other", "other@example.com", "super_admin", false)
	lead := member("u-lead", "lead@example.com", "admin", false)
	dev := member("u-dev", "dev@example.com", "write", false)

	tests := []struct {
		name    string
		client  *capgo.Client
		listed  []capgo.Member
		want    []string
		because string
	}{
		{"the key's user, a super_admin", admin, []capgo.Member{invitedBoss, keyAsSuperAdmin, boss, dev},
			[]string{mockserver.AdminEmail}, "own user"},
		{"the key's user and an accepted super_admin", admin, []capgo.Member{invitedBoss, keyAsAdmin, boss, otherBoss, dev},
			[]string{mockserver.AdminEmail, boss.Email}, "own user"},
		{"not the key's user when it is not listed", admin, []capgo.Member{boss, lead, dev},
			[]string{boss.Email}, "own user"},
		{"every controlling member when the key's user is unknown", blind, []capgo.Member{invitedBoss, keyAsAdmin, boss, lead, dev},
			[]string{mockserver.AdminEmail, boss.Email, lead.Email}, "cannot tell whose API key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &organizationMembersResource{configured{client: tt.client}}
			kept, reason := r.keptOnDestroy(bg, tt.listed)
			got := slices.Sorted(maps.Keys(kept))
			if want := slices.Sorted(slices.Values(tt.want)); !slices.Equal(got, want) {
				t.Errorf("kept %v, want %v", got, want)
			}
			if !strings.Contains(reason, tt.because) {
				t.Errorf("reason %q does not say %q", reason, tt.because)
			}
		})
	}
}

// The warning names the organization, each member kept and why, and what the user can do.
func TestKeptOnDestroyWarning(t *testing.T) {
	d := keptOnDestroyWarning("org-1", []string{"admin@example.com", "boss@example.com"}, "the reason")
	if d.Severity() != diag.SeverityWarning || d.Summary() != "Some members were kept" {
		t.Fatalf("got %s %q, want the warning \"Some members were kept\"", d.Severity(), d.Summary())
	}
	for _, want := range []string{"organization org-1", "admin@example.com, boss@example.com: the reason.",
		"remove them in the Capgo console, or delete the organization"} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("the detail %q does not say %q", d.Detail(), want)
		}
	}
}
