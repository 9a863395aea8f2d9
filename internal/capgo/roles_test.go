package capgo

import "testing"

func TestSameRole(t *testing.T) {
	tests := []struct {
		asked, reported string
		want            bool
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
		{"apikey_manager", "apikey_manager", true},
		{"write", "org_admin", false},
		{"admin", "org_super_admin", false},
		{"org_member", "org_billing_admin", false},
		{"admin", "org_billing_admin", false},
		{"org_member", "apikey_manager", false},
	}
	for _, tt := range tests {
		if got := SameRole(tt.asked, tt.reported); got != tt.want {
			t.Errorf("SameRole(%q, %q) = %v, want %v", tt.asked, tt.reported, got, tt.want)
		}
	}
}

func TestControlsOrganization(t *testing.T) {
	tests := []struct {
		member Member
		want   bool
	}{
		{Member{Role: "admin", Status: MemberActive}, true},
		{Member{Role: "super_admin", Status: MemberActive}, true},
		{Member{Role: "org_admin", Status: MemberActive}, true},
		{Member{Role: "org_super_admin", Status: MemberActive}, true},
		{Member{Role: "org_super_admin", Status: MemberPending}, false},
		{Member{Role: "write", Status: MemberActive}, false},
		{Member{Role: "org_billing_admin", Status: MemberActive}, false},
		{Member{Role: "apikey_manager", Status: MemberActive}, false},
	}
	for _, tt := range tests {
		if got := tt.member.ControlsOrganization(); got != tt.want {
			t.Errorf("%+v: ControlsOrganization() = %v, want %v", tt.member, got, tt.want)
		}
	}
}
