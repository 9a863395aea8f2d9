package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

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
		{"write", "read", "read"},
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
