package mockserver

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestRBACNamesAreSanitised: HTML tags are removed, then surrounding blanks;
// an empty result is refused; three characters are needed on POST only.
func TestRBACNamesAreSanitised(t *testing.T) {
	ts := rbacServer(t)
	admin := newClient(t, ts, AdminAPIKey)
	var out map[string]string
	admin.do(http.MethodPost, orgsPath, map[string]string{"name": "  <b>Spaced</b> Org  "}).wantOK(t).decode(t, &out)
	id := out["id"]
	if got := admin.getOrg(id).Name; got != "Spaced Org" {
		t.Fatalf("name %q, want \"Spaced Org\"", got)
	}
	for name, want := range map[string]string{
		" <script>x</script>Mobile ": "xMobile",
		"ab":                         "ab", // PUT has no minimum
		"<i>Z</i>":                   "Z",
		"a < b":                      "a < b",
	} {
		if got := admin.putOrganization(id, map[string]any{"orgId": id, "name": name}).Name; got != want {
			t.Fatalf("PUT name %q stored as %q, want %q", name, got, want)
		}
	}
	for _, name := range []string{"", "   ", "<b></b>", " <br/> ", "<p>  </p>"} {
		runNoEffect(t, ts, "PUT "+name, func(t *testing.T) {
			admin.do(http.MethodPut, orgsPath, map[string]string{"orgId": id, "name": name}).wantCode(t, 400, "invalid_body", map[string]any{})
		})
	}
	for _, name := range []string{"ab", " ab ", "<b>ab</b>", "<b></b>"} {
		runNoEffect(t, ts, "POST "+name, func(t *testing.T) {
			admin.do(http.MethodPost, orgsPath, map[string]string{"name": name}).wantCode(t, 400, "invalid_body", map[string]any{})
		})
	}
}

// TestRBACManagementEmailAndLogoAreTrimmed: both are stored without
// surrounding blanks.
func TestRBACManagementEmailAndLogoAreTrimmed(t *testing.T) {
	ts := rbacServer(t)
	admin := newClient(t, ts, AdminAPIKey)
	id := admin.createOrg("Acme")
	org := admin.putOrganization(id, map[string]any{"orgId": id, "management_email": " billing@example.com\t", "logo": "  https://example.com/l.png "})
	if org.ManagementEmail != "billing@example.com" || !equalPtr(org.Logo, ptr("https://example.com/l.png")) {
		t.Fatalf("organization %+v", org)
	}
	runNoEffect(t, ts, "management_email without a two-letter domain", func(t *testing.T) {
		admin.do(http.MethodPut, orgsPath, map[string]string{"orgId": id, "management_email": "billing@example.c"}).wantCode(t, 400, "invalid_body", map[string]any{})
	})
}

// TestRBACWebsiteIsNormalised: a website is stored as a URL serialises,
// https:// put in front when it has no scheme; other schemes and a user or
// password are refused, on POST as on PUT.
func TestRBACWebsiteIsNormalised(t *testing.T) {
	ts := rbacServer(t)
	admin := newClient(t, ts, AdminAPIKey)
	id := admin.createOrg("Acme")
	for given, want := range map[string]string{
		"HTTPS://capgo.app":             "https://capgo.app/",
		"example.com:3000":              "https://example.com:3000/",
		"  capgo.app/path?q=1#top  ":    "https://capgo.app/path?q=1#top",
		"http://Capgo.App:80":           "http://capgo.app/",
		"https://capgo.app:443/x":       "https://capgo.app/x",
		"https://capgo.app/":            "https://capgo.app/",
		"Https://WWW.Capgo.app/Pricing": "https://www.capgo.app/Pricing",
		"[::1]:8080":                    "https://[::1]:8080/",
	} {
		if got := admin.putOrganization(id, map[string]any{"orgId": id, "website": given}).Website; !equalPtr(got, &want) {
			t.Fatalf("PUT website %q stored as %v, want %q", given, orNull(got), want)
		}
		var out map[string]string
		admin.do(http.MethodPost, orgsPath, map[string]string{"name": "Site", "website": given}).wantOK(t).decode(t, &out)
		if got := admin.getOrg(out["id"]).Website; !equalPtr(got, &want) {
			t.Fatalf("POST website %q stored as %v, want %q", given, orNull(got), want)
		}
	}
	for _, given := range []string{"ftp://capgo.app", "https://user:pw@capgo.app", "https://user@capgo.app", "javascript:alert(1)",
		"mailto:someone@example.com", "https://", "https://capgo.app:port", "capgo app"} {
		runNoEffect(t, ts, given, func(t *testing.T) {
			admin.do(http.MethodPut, orgsPath, map[string]string{"orgId": id, "website": given}).wantCode(t, 400, "invalid_body", map[string]any{})
			admin.do(http.MethodPost, orgsPath, map[string]string{"name": "Site", "website": given}).wantCode(t, 400, "invalid_body", map[string]any{})
		})
	}
}

// orNull shows an optional string in a message, "null" for none.
func orNull(s *string) string {
	if s == nil {
		return "null"
	}
	return *s
}

// TestRBACLogoRules: PUT takes a string only, "" clears the logo and reads
// show ""; an external URL is answered as stored; a logo uploaded in the
// console is stored as a path and answered on every read as a URL signed
// afresh.
func TestRBACLogoRules(t *testing.T) {
	seed := DefaultSeedFor(DialectRBAC)
	seed.Organizations = append(seed.Organizations, SeedOrganization{Name: "Uploaded", Owner: AdminEmail, LogoUpload: "org/acme logo.png"})
	ts := NewTestServer(t, Options{Dialect: DialectRBAC, Seed: seed})
	admin := newClient(t, ts, AdminAPIKey)
	uploaded := madeOrganizations(ts.State())[0].ID

	// Every read signs the path anew: the one object, and the list.
	first, second := admin.getOrg(uploaded).Logo, admin.getOrg(uploaded).Logo
	const signedPrefix = "https://storage.capgo-mock.invalid/storage/v1/object/sign/images/org/acme%20logo.png?token="
	if first == nil || second == nil || !strings.HasPrefix(*first, signedPrefix) || !strings.HasPrefix(*second, signedPrefix) || *first == *second {
		t.Fatalf("logos %v and %v, want two different signed URLs", orNull(first), orNull(second))
	}
	var listed []rbacOrganization
	admin.do(http.MethodGet, orgsPath, nil).wantOK(t).decode(t, &listed)
	for _, o := range listed {
		if o.ID == uploaded && (o.Logo == nil || !strings.HasPrefix(*o.Logo, signedPrefix) || *o.Logo == *second) {
			t.Fatalf("listed logo %v, want a URL signed for this read", orNull(o.Logo))
		}
	}
	// The stored row, which PUT answers and the state shows, holds the path.
	if row := admin.storedRow(uploaded); !equalPtr(row.Logo, ptr("org/acme logo.png")) {
		t.Fatalf("PUT answers the logo %v, want the storage path", orNull(row.Logo))
	}
	if got := madeOrganizations(ts.State())[0].Logo; !equalPtr(got, ptr("org/acme logo.png")) {
		t.Fatalf("state logo %v", orNull(got))
	}

	// null is refused; "" clears, and reads show "".
	runNoEffect(t, ts, "logo null", func(t *testing.T) {
		admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": uploaded, "logo": nil}).wantCode(t, 400, "invalid_body", map[string]any{})
	})
	admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": uploaded, "logo": ""}).wantOK(t)
	var raw map[string]any
	admin.do(http.MethodGet, orgsPath+"?orgId="+uploaded, nil).wantOK(t).decode(t, &raw)
	if logo, isString := raw["logo"].(string); !isString || logo != "" {
		t.Fatalf("logo %#v after clearing, want \"\"", raw["logo"])
	}
	// An external URL is answered as stored, on every read.
	admin.do(http.MethodPut, orgsPath, map[string]any{"orgId": uploaded, "logo": "https://cdn.example.com/l.png"}).wantOK(t)
	for range 2 {
		if got := admin.getOrg(uploaded).Logo; !equalPtr(got, ptr("https://cdn.example.com/l.png")) {
			t.Fatalf("logo %v", orNull(got))
		}
	}
}

// storedRow sends a PUT with a body of orgId alone, for its
// answer: the stored row, which such a PUT does not change.
func (c *apiClient) storedRow(id string) rbacOrganizationRow {
	c.t.Helper()
	var out struct {
		Data rbacOrganizationRow `json:"data"`
	}
	c.do(http.MethodPut, orgsPath, map[string]string{"orgId": id}).wantOK(c.t).decode(c.t, &out)
	return out.Data
}

// TestRBACUpdatedAtNeverMoves: no update moves updated_at, however late.
func TestRBACUpdatedAtNeverMoves(t *testing.T) {
	clock := newFakeClock()
	ts := NewTestServer(t, Options{Dialect: DialectRBAC, Clock: clock.Now})
	admin := newClient(t, ts, AdminAPIKey)
	id := admin.createOrg("Acme")
	created := admin.getOrg(id)
	for _, body := range []map[string]any{
		{"orgId": id, "name": "Renamed"},
		{"orgId": id, "website": "acme.example", "logo": "https://example.com/l.png"},
		{"orgId": id, "enforce_hashed_api_keys": true},
		{"orgId": id},
	} {
		clock.Advance(24 * time.Hour)
		if got := admin.putOrganization(id, body); got.UpdatedAt != created.UpdatedAt || got.CreatedAt != created.CreatedAt {
			t.Fatalf("after %v: created_at %s updated_at %s, want both %s", body, got.CreatedAt, got.UpdatedAt, created.UpdatedAt)
		}
	}
}

// TestRBACGetOrganizationsRefusesPage: page is taken only as a JSON number,
// which a query string cannot carry, so any page is refused.
func TestRBACGetOrganizationsRefusesPage(t *testing.T) {
	ts := rbacServer(t)
	admin := newClient(t, ts, AdminAPIKey)
	id := admin.createOrg("Acme")
	for _, query := range []string{"?page=1", "?page=0", "?page=", "?orgId=" + id + "&page=2"} {
		admin.do(http.MethodGet, orgsPath+query, nil).wantCode(t, 400, "invalid_body", map[string]any{})
	}
}
