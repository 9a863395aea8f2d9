package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// seededMock runs a mock holding one organization, Acme, to which dev is
// invited.
func seededMock(t *testing.T) (*mockserver.TestServer, string) {
	t.Helper()
	ts := mockserver.NewTestServer(t, mockserver.Options{Seed: &mockserver.Seed{
		Users: []mockserver.SeedUser{{Email: mockserver.AdminEmail}, {Email: mockserver.DevEmail}},
		Organizations: []mockserver.SeedOrganization{{Name: "Acme", Owner: mockserver.AdminEmail,
			Members: []mockserver.SeedMember{{Email: mockserver.DevEmail, Role: "write", Pending: true}}}},
	}})
	return ts, ts.State().Organizations[0].ID
}

// mockctl runs the command with args and returns what it printed on
// standard output.
func mockctl(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, usage bytes.Buffer
	err := run(args, &out, &usage)
	return out.String(), err
}

func TestCommands(t *testing.T) {
	ts, orgID := seededMock(t)

	out, err := mockctl(t, "-url", ts.URL, "organizations")
	if err != nil || out != orgID+"\tAcme\n" {
		t.Fatalf("organizations: %q, %v", out, err)
	}

	out, err = mockctl(t, "-url", ts.URL, "accept", orgID, mockserver.DevEmail)
	if err != nil || out != mockserver.DevEmail+" accepted the invitation to organization "+orgID+"\n" {
		t.Fatalf("accept: %q, %v", out, err)
	}
	if m := ts.State().Organizations[0].Members[1]; m.Pending {
		t.Fatalf("dev is still pending after accept: %+v", m)
	}

	// state is the mock's JSON as sent, indented: docs has no website.
	t.Setenv("CAPGO_API_URL", ts.URL)
	out, err = mockctl(t, "state")
	if err != nil || !json.Valid([]byte(out)) || !strings.Contains(out, "\n  \"organizations\": [") || strings.Contains(out, "website") {
		t.Fatalf("state: %q, %v", out, err)
	}
}

func TestErrors(t *testing.T) {
	ts, orgID := seededMock(t)
	t.Setenv("CAPGO_API_URL", "")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no URL", []string{"state"}, "no mock URL"},
		{"no command", []string{"-url", ts.URL}, "no command given"},
		{"unknown command", []string{"-url", ts.URL, "nope"}, "unknown command"},
		{"wrong number of arguments", []string{"-url", ts.URL, "accept", orgID}, "wrong number of arguments"},
		{"no such invitation", []string{"-url", ts.URL, "accept", orgID, mockserver.AdminEmail},
			`404 Not Found: {"error":"Invitation not found"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := mockctl(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) || out != "" {
				t.Fatalf("error %v, output %q; want an error with %q and no output", err, out, tt.want)
			}
		})
	}
}
