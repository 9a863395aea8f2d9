package capgo

import (
	"net/http"
	"reflect"
	"testing"
)

const (
	docsOrgJSON = `{"id":"org-1","created_by":"u-1","created_at":"2026-01-02T03:04:05Z",` +
		`"updated_at":"2026-01-03T03:04:05Z","logo":null,"name":"Acme",` +
		`"management_email":"admin@example.com","customer_id":null}`
	docsOrg2JSON = `{"id":"org-2","created_by":"u-1","created_at":"2026-01-04T03:04:05Z",` +
		`"updated_at":"2026-01-04T03:04:05Z","logo":null,"name":"Beta",` +
		`"management_email":"admin@example.com","customer_id":null}`
	rbacOrgJSON = `{"id":"0b6c3d8e-1f2a-4b5c-9d8e-7f6a5b4c3d2e","created_by":"u-1",` +
		`"created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-03T03:04:05Z",` +
		`"logo":"https://cdn.example/logo.png","name":"Acme","management_email":"billing@example.com",` +
		`"customer_id":"pending_0b6c3d8e","website":"https://acme.example","unknown_field":{"x":[1,2]}}`
)

var (
	docsOrg = Organization{
		ID: "org-1", CreatedBy: "u-1", CreatedAt: "2026-01-02T03:04:05Z", UpdatedAt: "2026-01-03T03:04:05Z",
		Name: "Acme", ManagementEmail: "admin@example.com",
	}
	docsOrg2 = Organization{
		ID: "org-2", CreatedBy: "u-1", CreatedAt: "2026-01-04T03:04:05Z", UpdatedAt: "2026-01-04T03:04:05Z",
		Name: "Beta", ManagementEmail: "admin@example.com",
	}
	rbacOrg = Organization{
		ID: "0b6c3d8e-1f2a-4b5c-9d8e-7f6a5b4c3d2e", CreatedBy: "u-1",
		CreatedAt: "2026-01-02T03:04:05Z", UpdatedAt: "2026-01-03T03:04:05Z",
		Logo: ptr("https://cdn.example/logo.png"), Name: "Acme", ManagementEmail: "billing@example.com",
		CustomerID: ptr("pending_0b6c3d8e"), Website: ptr("https://acme.example"), HasWebsite: true,
	}
)

func TestListOrganizations(t *testing.T) {
	tests := map[string]struct {
		answer string
		want   []Organization
	}{
		"docs wrapped":      {answer: `{"data":[` + docsOrgJSON + `,` + docsOrg2JSON + `]}`, want: []Organization{docsOrg, docsOrg2}},
		"rbac bare":         {answer: `[` + rbacOrgJSON + `]`, want: []Organization{rbacOrg}},
		"docs empty":        {answer: `{"data":[]}`, want: []Organization{}},
		"rbac empty":        {answer: `[]`, want: []Organization{}},
		"docs null data":    {answer: `{"data":null}`, want: []Organization{}},
		"surrounding space": {answer: "\n  []\n", want: []Organization{}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s := newStub(t, answer(http.StatusOK, tt.answer))
			got, err := s.client().ListOrganizations(t.Context())
			if err != nil {
				t.Fatalf("ListOrganizations: %v", err)
			}
			if got == nil {
				t.Fatal("ListOrganizations returned a nil slice")
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
			req := s.only()
			if req.method != http.MethodGet || req.path != "/organization/" || len(req.query) != 0 {
				t.Errorf("request = %s %s %v, want GET /organization/ without query", req.method, req.path, req.query)
			}
		})
	}
}

func TestListOrganizationsMalformedAnswer(t *testing.T) {
	for name, body := range map[string]string{
		"not JSON":      `<html>ok</html>`,
		"object":        `{"id":"org-1"}`,
		"wrong type":    `[{"id":42}]`,
		"empty":         ``,
		"truncated":     `[{"id":"org-1"`,
		"data a string": `{"data":"x"}`,
	} {
		t.Run(name, func(t *testing.T) {
			s := newStub(t, answer(http.StatusOK, body))
			if _, err := s.client().ListOrganizations(t.Context()); err == nil {
				t.Fatal("want an error for a malformed answer")
			}
		})
	}
}

func TestGetOrganization(t *testing.T) {
	tests := map[string]struct {
		answer string
		id     string
		want   Organization
	}{
		"docs wrapped": {answer: `{"data":` + docsOrgJSON + `}`, id: "org-1", want: docsOrg},
		"rbac bare":    {answer: rbacOrgJSON, id: rbacOrg.ID, want: rbacOrg},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s := newStub(t, answer(http.StatusOK, tt.answer))
			got, err := s.client().GetOrganization(t.Context(), tt.id)
			if err != nil {
				t.Fatalf("GetOrganization: %v", err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got %+v\nwant %+v", *got, tt.want)
			}
			req := s.only()
			if req.method != http.MethodGet || req.path != "/organization/" {
				t.Errorf("request = %s %s, want GET /organization/", req.method, req.path)
			}
			if q := req.query["orgId"]; len(q) != 1 || q[0] != tt.id {
				t.Errorf("orgId query = %v, want [%s]", q, tt.id)
			}
		})
	}
}

func TestGetOrganizationWithoutIDIsAnError(t *testing.T) {
	s := newStub(t, answer(http.StatusOK, `{"data":{}}`))
	if _, err := s.client().GetOrganization(t.Context(), "org-1"); err == nil {
		t.Fatal("want an error for an answer without an organization")
	}
}

func TestCreateOrganization(t *testing.T) {
	tests := map[string]struct {
		answer string
		want   string
	}{
		"docs":         {answer: `{"status":"Organization created","id":"org-9"}`, want: "org-9"},
		"rbac":         {answer: `{"id":"7d1e2f3a-0000-4000-8000-000000000001"}`, want: "7d1e2f3a-0000-4000-8000-000000000001"},
		"data wrapped": {answer: `{"data":{"id":"org-10"}}`, want: "org-10"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s := newStub(t, answer(http.StatusOK, tt.answer))
			got, err := s.client().CreateOrganization(t.Context(), CreateOrganizationRequest{Name: "Acme"})
			if err != nil {
				t.Fatalf("CreateOrganization: %v", err)
			}
			if got != tt.want {
				t.Errorf("id = %q, want %q", got, tt.want)
			}
			req := s.only()
			if req.method != http.MethodPost || req.path != "/organization/" {
				t.Errorf("request = %s %s, want POST /organization/", req.method, req.path)
			}
			fields := bodyFields(t, req.body)
			if field(t, fields, "name") != "Acme" {
				t.Errorf("name = %s", fields["name"])
			}
			// Unset optional fields are not sent at all.
			for _, absent := range []string{"email", "website", "management_email"} {
				if _, ok := fields[absent]; ok {
					t.Errorf("body has %q although it was not set: %s", absent, req.body)
				}
			}
		})
	}
}

func TestCreateOrganizationSendsOptionalFields(t *testing.T) {
	s := newStub(t, answer(http.StatusOK, `{"id":"x"}`))
	_, err := s.client().CreateOrganization(t.Context(), CreateOrganizationRequest{
		Name: "Acme", ManagementEmail: "billing@example.com", Website: "https://acme.example",
	})
	if err != nil {
		t.Fatalf("CreateOrganization: %v", err)
	}
	fields := bodyFields(t, s.only().body)
	if got := field(t, fields, "email"); got != "billing@example.com" {
		t.Errorf("email = %q", got)
	}
	if got := field(t, fields, "website"); got != "https://acme.example" {
		t.Errorf("website = %q", got)
	}
}

func TestCreateOrganizationWithoutIDIsAmbiguous(t *testing.T) {
	s := newStub(t, answer(http.StatusOK, `{"status":"Organization created"}`))
	_, err := s.client().CreateOrganization(t.Context(), CreateOrganizationRequest{Name: "Acme"})
	if err == nil {
		t.Fatal("want an error when the answer has no id")
	}
	// The organization was created; the caller must look for it.
	if !IsAmbiguous(err) {
		t.Errorf("IsAmbiguous(%v) = false, want true", err)
	}
}

func TestUpdateOrganization(t *testing.T) {
	tests := map[string]struct {
		answer string
		want   Organization
	}{
		"docs partial": {
			answer: `{"status":"Organization updated","data":{"id":"org-1","name":"Acme 2","management_email":"ops@example.com"}}`,
			want:   Organization{ID: "org-1", Name: "Acme 2", ManagementEmail: "ops@example.com"},
		},
		"rbac full": {
			answer: `{"status":"Organization updated","id":"` + rbacOrg.ID + `","data":` + rbacOrgJSON + `}`,
			want:   rbacOrg,
		},
		"status only": {
			answer: `{"status":"Organization updated"}`,
			want:   Organization{ID: "org-1"},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s := newStub(t, answer(http.StatusOK, tt.answer))
			got, err := s.client().UpdateOrganization(t.Context(), UpdateOrganizationRequest{
				ID: "org-1", Name: ptr("Acme 2"), Logo: ptr(""),
			})
			if err != nil {
				t.Fatalf("UpdateOrganization: %v", err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got %+v\nwant %+v", *got, tt.want)
			}
			req := s.only()
			if req.method != http.MethodPut || req.path != "/organization/" {
				t.Errorf("request = %s %s, want PUT /organization/", req.method, req.path)
			}
			fields := bodyFields(t, req.body)
			if got := field(t, fields, "orgId"); got != "org-1" {
				t.Errorf("orgId = %q", got)
			}
			if got := field(t, fields, "name"); got != "Acme 2" {
				t.Errorf("name = %q", got)
			}
			// An empty logo is sent, because it clears the logo.
			if got := field(t, fields, "logo"); got != "" {
				t.Errorf("logo = %q, want empty string", got)
			}
			for _, absent := range []string{"management_email", "website", "id"} {
				if _, ok := fields[absent]; ok {
					t.Errorf("body has %q although it was not set: %s", absent, req.body)
				}
			}
		})
	}
}

func TestUpdateOrganizationSendsEveryField(t *testing.T) {
	s := newStub(t, answer(http.StatusOK, `{"status":"Organization updated"}`))
	_, err := s.client().UpdateOrganization(t.Context(), UpdateOrganizationRequest{
		ID: "org-1", ManagementEmail: ptr("ops@example.com"), Logo: ptr("https://l"), Website: ptr("https://w"),
	})
	if err != nil {
		t.Fatalf("UpdateOrganization: %v", err)
	}
	fields := bodyFields(t, s.only().body)
	for name, want := range map[string]string{"management_email": "ops@example.com", "logo": "https://l", "website": "https://w"} {
		if got := field(t, fields, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if _, ok := fields["name"]; ok {
		t.Errorf("name sent although nil: %s", s.only().body)
	}
}

func TestDeleteOrganization(t *testing.T) {
	for name, body := range map[string]string{
		"docs": `{"status":"Organization deleted","id":"org-1"}`,
		"rbac": `{"status":"ok"}`,
	} {
		t.Run(name, func(t *testing.T) {
			s := newStub(t, answer(http.StatusOK, body))
			if err := s.client().DeleteOrganization(t.Context(), "org-1"); err != nil {
				t.Fatalf("DeleteOrganization: %v", err)
			}
			req := s.only()
			if req.method != http.MethodDelete || req.path != "/organization/" {
				t.Errorf("request = %s %s, want DELETE /organization/", req.method, req.path)
			}
			if q := req.query["orgId"]; len(q) != 1 || q[0] != "org-1" {
				t.Errorf("orgId query = %v, want [org-1]", q)
			}
			if len(req.body) != 0 {
				t.Errorf("unexpected body %q", req.body)
			}
		})
	}
}

func TestOrganizationWebsiteSupport(t *testing.T) {
	tests := []struct {
		name        string
		json        string
		wantHas     bool
		wantWebsite *string
	}{
		{"docs: no field", docsOrgJSON, false, nil},
		{"rbac: null", `{"id":"o","website":null}`, true, nil},
		{"rbac: set", `{"id":"o","website":"https://acme.example"}`, true, ptr("https://acme.example")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var org Organization
			if err := org.UnmarshalJSON([]byte(tt.json)); err != nil {
				t.Fatal(err)
			}
			if org.HasWebsite != tt.wantHas || !reflect.DeepEqual(org.Website, tt.wantWebsite) {
				t.Fatalf("HasWebsite=%v Website=%v, want %v %v", org.HasWebsite, org.Website, tt.wantHas, tt.wantWebsite)
			}
		})
	}
	var org Organization
	if err := org.UnmarshalJSON([]byte(`{"id":"o","website":42}`)); err == nil {
		t.Fatal("a website that is not a string decoded without error")
	}
}
