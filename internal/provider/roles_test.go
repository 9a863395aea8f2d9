package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

func TestSameRole(t *testing.T) {
	tests := []struct {
		configured, reported string
		want                 bool
	}{
		{"write", "write", true},
		{"write", "read", false}, // the documented API tells them apart
		{"write", "org_member", true},
		{"read", "org_member", true},
		{"upload", "org_member", true},
		{"admin", "org_admin", true},
		{"super_admin", "org_super_admin", true},
		{"org_admin", "admin", true},
		{"org_member", "org_member", true},
		{"org_billing_admin", "org_billing_admin", true},
		{"write", "org_admin", false},
		{"admin", "org_super_admin", false},
		{"org_member", "org_billing_admin", false},
		{"admin", "org_billing_admin", false},
	}
	for _, tt := range tests {
		if got := sameRole(tt.configured, tt.reported); got != tt.want {
			t.Errorf("sameRole(%q, %q) = %v, want %v", tt.configured, tt.reported, got, tt.want)
		}
	}
}

func TestRoleToSend(t *testing.T) {
	for _, role := range memberRoles {
		if got, err := roleToSend(role, true); err != nil || got != role {
			t.Errorf("production API: %q sent as %q, %v; want it as configured", role, got, err)
		}
	}
	documented := map[string]string{
		"read": "read", "upload": "upload", "write": "write", "admin": "admin", "super_admin": "super_admin",
		"org_admin": "admin", "org_super_admin": "super_admin",
	}
	for role, want := range documented {
		if got, err := roleToSend(role, false); err != nil || got != want {
			t.Errorf("documented API: %q sent as %q, %v; want %q", role, got, err, want)
		}
	}
	for _, role := range []string{"org_member", "org_billing_admin"} {
		_, err := roleToSend(role, false)
		if err == nil || !strings.Contains(err.Error(), `role = "`+role+`"`) {
			t.Errorf("documented API: %q must be refused with a message naming it, got %v", role, err)
		}
	}
}

func TestSpeaksProduction(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name    string
		members []capgo.Member
		want    bool
	}{
		{"documented roles", []capgo.Member{{Role: "super_admin"}, {Role: "invite_write"}}, false},
		{"production roles", []capgo.Member{{Role: "org_super_admin"}}, true},
		{"is_tmp false", []capgo.Member{{Role: "custom", IsTmp: &no}}, true},
		{"is_tmp true", []capgo.Member{{Role: "custom", IsTmp: &yes}}, true},
		{"empty", nil, false},
	}
	for _, tt := range tests {
		if got := speaksProduction(tt.members); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestMemberRoleValidatorTakesBothVocabularies(t *testing.T) {
	for _, role := range []string{"org_member", "org_billing_admin", "org_admin", "org_super_admin"} {
		if detail := runStringValidator(memberRole(), types.StringValue(role)); detail != "" {
			t.Errorf("%s rejected: %s", role, detail)
		}
	}
	if detail := runStringValidator(memberRole(), types.StringValue("invite_org_admin")); !strings.Contains(detail, `attr = "org_admin"`) {
		t.Errorf("invite_org_admin should suggest org_admin: %q", detail)
	}
	if detail := runStringValidator(memberRole(), types.StringValue("owner")); !strings.Contains(detail, `"org_member"`) {
		t.Errorf("the error should list the production names too: %q", detail)
	}
}

func TestSetFromAPIKeepsTheConfiguredVocabulary(t *testing.T) {
	tests := []struct {
		prior, reported, want string
	}{
		{"write", "org_member", "write"},
		{"write", "org_admin", "org_admin"}, // a real change shows
		{"org_admin", "admin", "org_admin"},
		{"write", "invite_read", "read"},
		{"", "org_member", "org_member"}, // imported: the server's name
	}
	for _, tt := range tests {
		m := memberModel{OrganizationID: types.StringValue("o1"), Role: types.StringNull()}
		if tt.prior != "" {
			m.Role = types.StringValue(tt.prior)
		}
		m.setFromAPI(capgo.Member{UID: "u1", Email: "dev@example.com", Role: tt.reported})
		if got := m.Role.ValueString(); got != tt.want {
			t.Errorf("prior %q, reported %q: role %q, want %q", tt.prior, tt.reported, got, tt.want)
		}
	}
}
