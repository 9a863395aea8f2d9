package mockserver

import (
	"regexp"
	"testing"
	"time"
)

func TestUpdatedAtAlwaysMovesForward(t *testing.T) {
	st := newStore(systemClock)
	frozen := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	st.now = func() time.Time { return frozen }
	u, err := st.addUser(AdminEmail, "")
	if err != nil {
		t.Fatal(err)
	}
	o := st.createOrganization("Acme", u, docsRoleSuperAdmin)
	previous := timestamp(o.updatedAt)
	if previous != "2026-01-02T03:04:05.000000Z" {
		t.Fatalf("timestamp %s", previous)
	}
	for range 3 {
		st.touch(o)
		now := timestamp(o.updatedAt)
		if now <= previous {
			t.Fatalf("updated_at %s did not move past %s with a frozen clock", now, previous)
		}
		previous = now
	}
}

func TestIDsAreRandomUUIDs(t *testing.T) {
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 100 {
		id := newID()
		if !uuid.MatchString(id) || seen[id] {
			t.Fatalf("id %q is not a fresh UUID", id)
		}
		seen[id] = true
	}
}

func TestValidEmail(t *testing.T) {
	tests := map[string]bool{
		"dev@example.com":        true,
		"Dev.Ops+tag@sub.ex.com": true,
		"":                       false,
		"dev":                    false,
		"@example.com":           false,
		"dev@":                   false,
		"dev@example":            false,
		"dev@.example.com":       false,
		"dev@example.com.":       false,
		"dev@example..com":       false,
		"dev@@example.com":       false,
		"d ev@example.com":       false,
		" dev@example.com":       false,
		"dev@example.com\n":      false,
		"Dev <dev@example.com>":  false,
	}
	for email, want := range tests {
		if got := validEmail(email); got != want {
			t.Errorf("validEmail(%q) = %v, want %v", email, got, want)
		}
	}
}
