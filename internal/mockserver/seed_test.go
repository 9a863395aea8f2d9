package mockserver

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultSeed(t *testing.T) {
	ts := NewTestServer(t, Options{})
	state := ts.State()
	wantEmails := []string{AdminEmail, DevEmail, OpsEmail}
	if len(state.Users) != len(wantEmails) || len(state.Organizations) != 0 {
		t.Fatalf("default state %+v, want three users and no organizations", state)
	}
	for i, key := range []string{AdminAPIKey, DevAPIKey, OpsAPIKey} {
		if state.Users[i].Email != wantEmails[i] {
			t.Fatalf("user %d is %s, want %s", i, state.Users[i].Email, wantEmails[i])
		}
		newClient(t, ts, key).do(http.MethodGet, "/organization", nil).wantOK(t)
	}
	if AdminAPIKey != "capgo-mock-admin-key" || DevAPIKey != "capgo-mock-dev-key" || OpsAPIKey != "capgo-mock-ops-key" {
		t.Fatal("default API keys differ from README.md 3.1")
	}
}

func writeSeed(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// docsSeedFile is a seed file in the words of dialect docs (README.md 3.1).
const docsSeedFile = `{
  "users": [{"email": "admin@example.com", "api_key": "k1"}, {"email": "dev@example.com"}],
  "organizations": [
    {"name": "Acme", "owner": "admin@example.com",
     "members": [{"email": "dev@example.com", "role": "write", "pending": true}]}
  ]
}`

func TestLoadSeedFile(t *testing.T) {
	seed, err := LoadSeedFile(writeSeed(t, docsSeedFile))
	if err != nil {
		t.Fatal(err)
	}
	ts := NewTestServer(t, Options{Seed: seed})
	state := ts.State()
	if len(state.Users) != 2 || len(state.Organizations) != 1 {
		t.Fatalf("state %+v", state)
	}
	org := state.Organizations[0]
	if org.Name != "Acme" || org.CreatedBy != state.Users[0].UID || org.ManagementEmail != AdminEmail {
		t.Fatalf("organization %+v", org)
	}
	want := []StateMember{
		{UID: state.Users[0].UID, Email: AdminEmail, Role: "super_admin"},
		{UID: state.Users[1].UID, Email: DevEmail, Role: "write", Pending: true},
	}
	if len(org.Members) != 2 || org.Members[0] != want[0] || org.Members[1] != want[1] {
		t.Fatalf("members %+v, want %+v", org.Members, want)
	}

	admin := newClient(t, ts, "k1")
	if roles := admin.memberRoles(org.ID); roles[DevEmail] != "invite_write" {
		t.Fatalf("roles %v", roles)
	}
	// The seed file replaced the default accounts and their keys.
	newClient(t, ts, AdminAPIKey).do(http.MethodGet, "/organization", nil).wantError(t, 401, "Invalid API key")
}

func TestLoadSeedFileErrors(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    string
	}{
		{"not JSON", "users: []", "parsing seed file"},
		{"unknown field", `{"users": [{"email": "a@example.com", "apikey": "k"}]}`, "unknown field"},
		{"trailing data", `{"users": []} {}`, "unexpected data"},
		{"wrong type", `{"users": {"email": "a@example.com"}}`, "cannot unmarshal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadSeedFile(writeSeed(t, tt.content))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
	if _, err := LoadSeedFile(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Fatal("loading a missing file succeeded")
	}
}

func TestNewRejectsBadSeeds(t *testing.T) {
	users := []SeedUser{{Email: AdminEmail, APIKey: "k1"}, {Email: DevEmail}}
	org := func(members ...SeedMember) []SeedOrganization {
		return []SeedOrganization{{Name: "Acme", Owner: AdminEmail, Members: members}}
	}
	tests := []struct {
		name string
		seed Seed
		want string
	}{
		{"bad user email", Seed{Users: []SeedUser{{Email: "nope"}}}, "invalid email"},
		{"duplicate user", Seed{Users: []SeedUser{{Email: AdminEmail}, {Email: "ADMIN@example.com"}}}, "already exists"},
		{"duplicate key", Seed{Users: []SeedUser{{Email: AdminEmail, APIKey: "k"}, {Email: DevEmail, APIKey: "k"}}}, "already used"},
		{"unknown owner", Seed{Users: users, Organizations: []SeedOrganization{{Name: "Acme", Owner: "nobody@example.com"}}}, "owner"},
		{"no name", Seed{Users: users, Organizations: []SeedOrganization{{Owner: AdminEmail}}}, "name is required"},
		{"unknown member", Seed{Users: users, Organizations: org(SeedMember{Email: "nobody@example.com", Role: "read"})}, "not a seeded user"},
		{"unknown role", Seed{Users: users, Organizations: org(SeedMember{Email: DevEmail, Role: "writer"})}, "unknown role"},
		{"prefixed role", Seed{Users: users, Organizations: org(SeedMember{Email: DevEmail, Role: "invite_write"})}, "unknown role"},
		{"rbac role", Seed{Users: users, Organizations: org(SeedMember{Email: DevEmail, Role: "org_member"})}, "unknown role"},
		{"owner listed again", Seed{Users: users, Organizations: org(SeedMember{Email: AdminEmail, Role: "admin"})}, "listed twice"},
		{"member twice", Seed{Users: users, Organizations: org(SeedMember{Email: DevEmail, Role: "read"}, SeedMember{Email: "Dev@Example.com", Role: "write"})}, "listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(Options{Seed: &tt.seed})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

func TestNewDialects(t *testing.T) {
	tests := []struct {
		dialect string
		want    string // "" for success
	}{
		{"", ""},
		{"docs", ""},
		{"rbac", ""},
		{"soap", `unknown dialect "soap"`},
	}
	for _, tt := range tests {
		t.Run(tt.dialect, func(t *testing.T) {
			srv, err := New(Options{Dialect: tt.dialect})
			if tt.want == "" {
				if err != nil || srv == nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestSeedIsCopied(t *testing.T) {
	seed := &Seed{
		Users:         []SeedUser{{Email: AdminEmail, APIKey: AdminAPIKey}, {Email: DevEmail}},
		Organizations: []SeedOrganization{{Name: "Acme", Owner: AdminEmail, Members: []SeedMember{{Email: DevEmail, Role: "read"}}}},
	}
	ts := NewTestServer(t, Options{Seed: seed})
	seed.Users[0].APIKey = "changed"
	seed.Organizations[0].Name = "Changed"
	seed.Organizations[0].Members[0].Role = "admin"
	ts.Reset()

	state := ts.State()
	if o := state.Organizations[0]; o.Name != "Acme" || o.Members[1].Role != "read" {
		t.Fatalf("reset used the changed seed: %+v", o)
	}
	newClient(t, ts, AdminAPIKey).do(http.MethodGet, "/organization", nil).wantOK(t)
}
