package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

func TestSwept(t *testing.T) {
	for name, want := range map[string]bool{
		"tf-acc-1a2b3c":          true,
		"tf-acc-":                true,
		"tf-acc-leftover-1":      true,
		"tf-acc":                 false,
		"TF-ACC-1a2b3c":          false,
		" tf-acc-1a2b3c":         false,
		"prod-tf-acc-1a2b3c":     false,
		"admin@example.com":      false,
		"Someone else's tf-acc-": false,
		"":                       false,
	} {
		if got := swept(name); got != want {
			t.Errorf("swept(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestToSweepKeepsOrder(t *testing.T) {
	orgs := []capgo.Organization{{ID: "1", Name: "tf-acc-b"}, {ID: "2", Name: "mine"}, {ID: "3", Name: "tf-acc-a"}}
	got := toSweep(orgs)
	if len(got) != 2 || got[0].ID != "1" || got[1].ID != "3" {
		t.Fatalf("toSweep = %+v, want the organizations 1 and 3", got)
	}
}

func TestRunNeedsKey(t *testing.T) {
	err := run(context.Background(), func(string) string { return "" }, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "CAPGO_API_KEY") {
		t.Fatalf("run without a key: %v, want an error naming CAPGO_API_KEY", err)
	}
}

// TestRunAgainstMock removes the admin's tf-acc-* organizations from a mock and leaves the rest:
// the admin's own, and another user's that the admin is a member of.
func TestRunAgainstMock(t *testing.T) {
	ts := mockserver.NewTestServer(t, mockserver.Options{
		Dialect: mockserver.DialectRBAC,
		Seed: &mockserver.Seed{
			Users: []mockserver.SeedUser{{Email: "admin@example.com", APIKey: "k"}, {Email: "other@example.com"}},
			Organizations: []mockserver.SeedOrganization{
				{Name: "admin@example.com", Owner: "admin@example.com"},
				{Name: "tf-acc-leftover-1", Owner: "admin@example.com"},
				{Name: "Someone else's", Owner: "other@example.com",
					Members: []mockserver.SeedMember{{Email: "admin@example.com", Role: "org_member"}}},
				{Name: "tf-acc-leftover-2", Owner: "admin@example.com"},
			},
		},
	})
	env := map[string]string{"CAPGO_API_URL": ts.URL, "CAPGO_API_KEY": "k"}
	var out bytes.Buffer
	if err := run(context.Background(), func(k string) string { return env[k] }, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], `"tf-acc-leftover-1"`) || !strings.Contains(lines[1], `"tf-acc-leftover-2"`) ||
		lines[2] != "sweep: removed 2 organizations named tf-acc-*" {
		t.Fatalf("output:\n%s", out.String())
	}
	var left []string
	for _, org := range ts.State().Organizations {
		left = append(left, org.Name)
	}
	if strings.Join(left, ",") != "admin@example.com,Someone else's" {
		t.Fatalf("left: %v", left)
	}
}
