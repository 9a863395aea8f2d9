package capgo

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
)

func TestListMembers(t *testing.T) {
	tests := map[string]struct {
		answer  string
		want    []Member
		wantAPI API
	}{
		"docs wrapped": {
			answer: `{"data":[` +
				`{"uid":"u-1","email":"admin@example.com","image_url":null,"role":"super_admin"},` +
				`{"uid":"u-2","email":"dev@example.com","image_url":"https://img/2.png","role":"invite_write"}]}`,
			want: []Member{
				{UID: "u-1", Email: "admin@example.com", Role: "super_admin", Status: MemberActive, api: APIDocumented},
				{UID: "u-2", Email: "dev@example.com", ImageURL: ptr("https://img/2.png"), Role: "write", Status: MemberPending, api: APIDocumented},
			},
			wantAPI: APIDocumented,
		},
		"rbac bare": {
			answer: `[` +
				`{"uid":"u-1","email":"admin@example.com","image_url":"","role":"org_super_admin","is_tmp":false},` +
				`{"uid":"u-2","email":"dev@example.com","image_url":"","role":"org_member","is_tmp":true,"extra":1}]`,
			want: []Member{
				{UID: "u-1", Email: "admin@example.com", Role: "org_super_admin", Status: MemberActive, api: APIProduction},
				{UID: "u-2", Email: "dev@example.com", Role: "org_member", Status: MemberPending, api: APIProduction},
			},
			wantAPI: APIProduction,
		},
		"docs empty": {answer: `{"data":[]}`, want: []Member{}, wantAPI: APIUnknown},
		"rbac empty": {answer: `[]`, want: []Member{}, wantAPI: APIUnknown},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s := newStub(t, answer(http.StatusOK, tt.answer))
			client := s.client()
			got, err := client.ListMembers(t.Context(), "org-1")
			if err != nil {
				t.Fatalf("ListMembers: %v", err)
			}
			if got == nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
			if client.API() != tt.wantAPI {
				t.Errorf("API() = %v after the list, want %v", client.API(), tt.wantAPI)
			}
			req := s.only()
			if req.method != http.MethodGet || req.path != "/organization/members/" {
				t.Errorf("request = %s %s, want GET /organization/members/", req.method, req.path)
			}
			if q := req.query["orgId"]; len(q) != 1 || q[0] != "org-1" {
				t.Errorf("orgId query = %v, want [org-1]", q)
			}
		})
	}
}

// Both APIs' members decode to the same Member: a role without the invite_ prefix, a status, and
// no image as nil; each tells which API sent it, or nothing when it cannot.
func TestMemberDecodesBothAPIs(t *testing.T) {
	tests := map[string]struct {
		json       string
		wantRole   string
		wantStatus MemberStatus
		wantAPI    API
	}{
		"docs accepted":          {`{"role":"write","image_url":null}`, "write", MemberActive, APIDocumented},
		"docs pending":           {`{"role":"invite_write"}`, "write", MemberPending, APIDocumented},
		"docs pending sa":        {`{"role":"invite_super_admin"}`, "super_admin", MemberPending, APIDocumented},
		"rbac accepted":          {`{"role":"org_admin","is_tmp":false}`, "org_admin", MemberActive, APIProduction},
		"rbac pending":           {`{"role":"org_member","is_tmp":true}`, "org_member", MemberPending, APIProduction},
		"rbac without is_tmp":    {`{"role":"org_member"}`, "org_member", MemberActive, APIProduction},
		"rbac unknown role":      {`{"role":"apikey_manager","is_tmp":false}`, "apikey_manager", MemberActive, APIProduction},
		"unknown role alone":     {`{"role":"apikey_manager"}`, "apikey_manager", MemberActive, APIUnknown},
		"prefix only once":       {`{"role":"invite_invite_read"}`, "invite_read", MemberPending, APIDocumented},
		"empty image is none":    {`{"role":"org_member","image_url":"","is_tmp":false}`, "org_member", MemberActive, APIProduction},
		"pending by is_tmp wins": {`{"role":"org_admin","is_tmp":true}`, "org_admin", MemberPending, APIProduction},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			var m Member
			if err := json.Unmarshal([]byte(tt.json), &m); err != nil {
				t.Fatal(err)
			}
			if m.Role != tt.wantRole || m.Status != tt.wantStatus || m.api != tt.wantAPI {
				t.Errorf("got role %q, status %q, API %v; want %q, %q, %v", m.Role, m.Status, m.api, tt.wantRole, tt.wantStatus, tt.wantAPI)
			}
			if m.Pending() != (tt.wantStatus == MemberPending) {
				t.Errorf("Pending() = %v with status %q", m.Pending(), m.Status)
			}
			if m.ImageURL != nil {
				t.Errorf("ImageURL = %q, want nil for no image", *m.ImageURL)
			}
		})
	}
}

func TestAddMember(t *testing.T) {
	tests := map[string]struct {
		answer string
		want   *Member
	}{
		"docs with data": {
			answer: `{"status":"OK","data":{"uid":"u-2","email":"dev@example.com","role":"invite_write","image_url":null}}`,
			want:   &Member{UID: "u-2", Email: "dev@example.com", Role: "write", Status: MemberPending, api: APIDocumented},
		},
		"rbac without data": {answer: `{"status":"ok"}`, want: nil},
		"empty answer":      {answer: ``, want: nil},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s := newStub(t, answer(http.StatusOK, tt.answer))
			got, err := s.client().AddMember(t.Context(), AddMemberRequest{
				OrganizationID: "org-1", Email: "dev@example.com", Role: "write",
			})
			if err != nil {
				t.Fatalf("AddMember: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			req := s.only()
			if req.method != http.MethodPost || req.path != "/organization/members/" {
				t.Errorf("request = %s %s, want POST /organization/members/", req.method, req.path)
			}
			fields := bodyFields(t, req.body)
			// Both dialects must find the role where they look for it.
			for name, want := range map[string]string{
				"orgId": "org-1", "email": "dev@example.com", "role": "write", "invite_type": "write",
			} {
				if got := field(t, fields, name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
		})
	}
}

func TestAddMemberMalformedData(t *testing.T) {
	s := newStub(t, answer(http.StatusOK, `{"status":"OK","data":{"uid":5}}`))
	_, err := s.client().AddMember(t.Context(), AddMemberRequest{OrganizationID: "o", Email: "e@example.com", Role: "read"})
	if err == nil {
		t.Fatal("want an error for malformed member data")
	}
	if !IsAmbiguous(err) {
		t.Errorf("IsAmbiguous = false for an unreadable answer to a write")
	}
}

func TestRemoveMember(t *testing.T) {
	for name, body := range map[string]string{
		"docs": `{"status":"OK"}`,
		"rbac": `{"status":"ok"}`,
	} {
		t.Run(name, func(t *testing.T) {
			s := newStub(t, answer(http.StatusOK, body))
			if err := s.client().RemoveMember(t.Context(), "org-1", "Dev@Example.com"); err != nil {
				t.Fatalf("RemoveMember: %v", err)
			}
			req := s.only()
			if req.method != http.MethodDelete || req.path != "/organization/members/" {
				t.Errorf("request = %s %s, want DELETE /organization/members/", req.method, req.path)
			}
			if ct := req.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			fields := bodyFields(t, req.body)
			if got := field(t, fields, "orgId"); got != "org-1" {
				t.Errorf("orgId = %q", got)
			}
			// The email goes out as given: the rbac dialect matches it exactly.
			if got := field(t, fields, "email"); got != "Dev@Example.com" {
				t.Errorf("email = %q", got)
			}
			if len(req.query) != 0 {
				t.Errorf("unexpected query %v", req.query)
			}
		})
	}
}
