package capgo

import (
	"net/http"
	"testing"
)

// The client recognises the API from the first answer that tells, and keeps it.
func TestClientRecognisesTheAPI(t *testing.T) {
	tests := map[string]struct {
		status int
		body   string
		call   apiCall
		want   API
	}{
		"documented members":           {200, `{"data":[{"uid":"u","email":"a@example.com","role":"super_admin","image_url":null}]}`, callListMembers, APIDocumented},
		"production members":           {200, `[{"uid":"u","email":"a@example.com","role":"org_super_admin","image_url":"","is_tmp":false}]`, callListMembers, APIProduction},
		"production unknown role":      {200, `[{"uid":"u","email":"a@example.com","role":"apikey_manager","image_url":"","is_tmp":false}]`, callListMembers, APIProduction},
		"documented error":             {403, `{"error":"Admin role required","status":"KO"}`, callUpdate, APIDocumented},
		"production error":             {400, `{"error":"invalid_body","message":"Invalid body","moreInfo":{}}`, callCreate, APIProduction},
		"organization with website":    {200, `{"id":"org-1","name":"Acme","website":null}`, callGet, APIProduction},
		"organization without website": {200, `{"data":{"id":"org-1","name":"Acme"}}`, callGet, APIUnknown},
		"not capgo":                    {502, `<html>bad gateway</html>`, callGet, APIUnknown},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s := newStub(t, answer(tt.status, tt.body))
			client := s.client(noRetries)
			_ = tt.call.run(t.Context(), client)
			if got := client.API(); got != tt.want {
				t.Errorf("API() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestClientKeepsTheFirstAPIItRecognised(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 1 {
			reply(w, http.StatusOK, `{"data":[{"uid":"u","email":"a@example.com","role":"admin","image_url":null}]}`)
			return
		}
		reply(w, http.StatusOK, `[{"uid":"u","email":"a@example.com","role":"org_admin","image_url":"","is_tmp":false}]`)
	})
	client := s.client()
	for range 2 {
		if _, err := client.ListMembers(t.Context(), "org-1"); err != nil {
			t.Fatal(err)
		}
	}
	if got := client.API(); got != APIDocumented {
		t.Errorf("API() = %v, want the first answer's (documented)", got)
	}
}

func TestWhatEachAPICanDo(t *testing.T) {
	tests := []struct {
		api                     API
		inPlace, deletesWithLas bool
	}{
		{APIDocumented, true, false},
		{APIProduction, false, true},
		{APIUnknown, true, false}, // as documented, until an answer tells
	}
	for _, tt := range tests {
		can := tt.api.capabilities()
		if can.ChangesRolesInPlace != tt.inPlace {
			t.Errorf("%v: ChangesRolesInPlace = %v, want %v", tt.api, can.ChangesRolesInPlace, tt.inPlace)
		}
		if can.DeletesOrganizationWithLastSuperAdmin != tt.deletesWithLas {
			t.Errorf("%v: DeletesOrganizationWithLastSuperAdmin = %v, want %v", tt.api, can.DeletesOrganizationWithLastSuperAdmin, tt.deletesWithLas)
		}
		if can.Known != (tt.api != APIUnknown) {
			t.Errorf("%v: Known = %v", tt.api, can.Known)
		}
	}
}

func TestRoleToSend(t *testing.T) {
	for _, role := range append(PlainRoles(), OrgRoles()...) {
		if got, ok := ProductionCapabilities.RoleToSend(role); !ok || got != role {
			t.Errorf("production API: %q sent as %q, %v; want it as given", role, got, ok)
		}
	}
	documented := map[string]string{
		"read": "read", "upload": "upload", "write": "write", "admin": "admin", "super_admin": "super_admin",
		"org_admin": "admin", "org_super_admin": "super_admin",
	}
	for role, want := range documented {
		if got, ok := DocumentedCapabilities.RoleToSend(role); !ok || got != want {
			t.Errorf("documented API: %q sent as %q, %v; want %q", role, got, ok, want)
		}
	}
	for _, role := range []string{"org_member", "org_billing_admin", "apikey_manager"} {
		if got, ok := DocumentedCapabilities.RoleToSend(role); ok {
			t.Errorf("documented API: %q sent as %q, want no name for it", role, got)
		}
	}
}
