package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

func TestMemberSetFromAPI(t *testing.T) {
	image := "https://example.com/a.png"
	tests := map[string]struct {
		in                 capgo.Member
		wantRole, wantStat string
		wantImage          types.String
	}{
		"pending":         {in: capgo.Member{UID: "u", Email: "d@example.com", Role: "write", Status: capgo.MemberPending}, wantRole: "write", wantStat: "pending", wantImage: types.StringNull()},
		"active":          {in: capgo.Member{UID: "u", Email: "d@example.com", Role: "admin", ImageURL: &image}, wantRole: "admin", wantStat: "active", wantImage: types.StringValue(image)},
		"pending super":   {in: capgo.Member{UID: "u", Email: "d@example.com", Role: "super_admin", Status: capgo.MemberPending}, wantRole: "super_admin", wantStat: "pending", wantImage: types.StringNull()},
		"empty image url": {in: capgo.Member{UID: "u", Email: "d@example.com", Role: "read", ImageURL: new(string)}, wantRole: "read", wantStat: "active", wantImage: types.StringNull()},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			m := memberModel{OrganizationID: types.StringValue("o1"), ID: types.StringNull()}
			m.setFromAPI(tt.in)
			if m.Role.ValueString() != tt.wantRole || m.Status.ValueString() != tt.wantStat || !m.ImageURL.Equal(tt.wantImage) {
				t.Errorf("got role %s status %s image %s", m.Role, m.Status, m.ImageURL)
			}
			if m.UserID.ValueString() != "u" || m.ID.ValueString() != "o1/d@example.com" {
				t.Errorf("got user_id %s id %s", m.UserID, m.ID)
			}
		})
	}
}

func TestParseMemberImportID(t *testing.T) {
	orgID, email, err := parseMemberImportID("org-1/Dev@Example.com")
	if err != nil || orgID != "org-1" || email != "Dev@Example.com" {
		t.Fatalf("got %q %q %v", orgID, email, err)
	}
	for _, bad := range []string{"", "org-1", "/dev@example.com", "org-1/", "org-1/dev", "org 1/dev@example.com", "org-1/a@b.com/x"} {
		if _, _, err := parseMemberImportID(bad); err == nil || !strings.Contains(err.Error(), "<organization_id>/<email>") {
			t.Errorf("%q: want an error showing the format, got %v", bad, err)
		}
	}
}

func TestMemberRoleValidator(t *testing.T) {
	for _, role := range memberRoles {
		if detail := runStringValidator(memberRole(), types.StringValue(role)); detail != "" {
			t.Errorf("%s rejected: %s", role, detail)
		}
	}
	if detail := runStringValidator(memberRole(), types.StringValue("invite_write")); !strings.Contains(detail, `attr = "write"`) {
		t.Errorf("invite_write should suggest write: %q", detail)
	}
	if detail := runStringValidator(memberRole(), types.StringValue("Write")); !strings.Contains(detail, "not a Capgo role") {
		t.Errorf("roles are case sensitive in Capgo: %q", detail)
	}
}

func TestEmailSemanticEquality(t *testing.T) {
	ctx := context.Background()
	equal, diags := newEmailValue("Dev@Example.com").StringSemanticEquals(ctx, newEmailValue("dev@example.com"))
	if diags.HasError() || !equal {
		t.Fatalf("case-only difference should be equal: %v %v", equal, diags)
	}
	equal, _ = newEmailValue("dev@example.com").StringSemanticEquals(ctx, newEmailValue("ops@example.com"))
	if equal {
		t.Fatal("different addresses must differ")
	}
	if newEmailValue("a@example.com").Equal(newEmailValue("A@example.com")) {
		t.Fatal("Equal is exact; only semantic equality ignores case")
	}
}
