package provider

import (
	"strings"
	"testing"
)

// FuzzParseMemberImportID: any text given to terraform import either parses into an organization
// ID and an email that rebuild it exactly, or is refused with the expected format; never a panic.
func FuzzParseMemberImportID(f *testing.F) {
	for _, seed := range []string{
		"0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b/dev@example.com",
		"org/Dev@Example.COM",
		"org/dev+ci@sub.example.co.uk",
		"org//dev@example.com",
		"/dev@example.com",
		"org/",
		"org",
		"",
		"org/dev@example.com/extra",
		"org 1/dev@example.com",
		"org/\"dev\"@example.com",
		"org/dev@[127.0.0.1]",
		"org/<dev@example.com>",
		"org/dev@example.com\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, id string) {
		orgID, email, err := parseMemberImportID(id)
		if err != nil {
			if !strings.Contains(err.Error(), "<organization_id>/<email>") {
				t.Fatalf("%q: the error does not show the expected format: %v", id, err)
			}
			return
		}
		if memberID(orgID, email) != id {
			t.Fatalf("%q parsed into %q and %q, which do not rebuild it", id, orgID, email)
		}
		if orgID == "" || strings.ContainsAny(orgID, "/ \t\r\n") || !isEmailAddress(email) {
			t.Fatalf("%q parsed into an invalid organization ID %q or email %q", id, orgID, email)
		}
	})
}
