package capgo

import (
	"net/http"
	"reflect"
	"testing"
)

func TestListMembers(t *testing.T) {
	tests := map[string]struct {
		answer string
		want   []Member
	}{
		"docs wrapped": {
			answer: `{"data":[` +
				`{"uid":"u-1","email":"admin@example.com","image_url":null,"role":"super_admin"},` +
				`{"uid":"u-2","email":"dev@example.com","image_url":"https://img/2.png","role":"invite_write"}]}`,
			want: []Member{
				{UID: "u-1", Email: "admin@example.com", Role: "super_admin"},
				{UID: "u-2", Email: "dev@example.com", ImageURL: ptr("https://img/2.png"), Role: "invite_write"},
			},
		},
		"rbac bare": {
			answer: `[` +
				`{"uid":"u-1","email":"admin@example.com","image_url":"","role":"org_super_admin","is_tmp":false},` +
				`{"uid":"u-2","email":"dev@example.com","image_url":"","role":"org_member","is_tmp":true,"extra":1}]`,
			want: []Member{
				{UID: "u-1", Email: "admin@example.com", ImageURL: ptr(""), Role: "org_super_admin", IsTmp: ptr(false)},
				{UID: "u-2", Email: "dev@example.com", ImageURL: ptr(""), Role: "org_member", IsTmp: ptr(true)},
			},
		},
		"docs empty": {answer: `{"data":[]}`, want: []Member{}},
		"rbac empty": {answer: `[]`, want: []Member{}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s := newStub(t, answer(http.StatusOK, tt.answer))
			got, err := s.client().ListMembers(t.Context(), "org-1")
			if err != nil {
				t.Fatalf("ListMembers: %v", err)
			}
			if got == nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
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

func TestMemberPendingAndPlainRole(t *testing.T) {
	tests := map[string]struct {
		member      Member
		wantPending bool
		wantRole    string
	}{
		"docs accepted":    {Member{Role: "write"}, false, "write"},
		"docs pending":     {Member{Role: "invite_write"}, true, "write"},
		"docs pending sa":  {Member{Role: "invite_super_admin"}, true, "super_admin"},
		"rbac accepted":    {Member{Role: "org_admin", IsTmp: ptr(false)}, false, "org_admin"},
		"rbac pending":     {Member{Role: "org_member", IsTmp: ptr(true)}, true, "org_member"},
		"rbac no is_tmp":   {Member{Role: "org_member"}, false, "org_member"},
		"prefix only once": {Member{Role: "invite_invite_read"}, true, "invite_read"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := tt.member.Pending(); got != tt.wantPending {
				t.Errorf("Pending() = %v, want %v", got, tt.wantPending)
			}
			if got := tt.member.PlainRole(); got != tt.wantRole {
				t.Errorf("PlainRole() = %q, want %q", got, tt.wantRole)
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
			want:   &Member{UID: "u-2", Email: "dev@example.com", Role: "invite_write"},
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
