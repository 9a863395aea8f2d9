package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Member roles, weakest first, as the configuration names them.
var memberRoles = []string{"read", "upload", "write", "admin", "super_admin"}

const (
	roleSuperAdmin = "super_admin"

	// invitePrefix is how the API marks the role of someone invited who has not accepted yet.
	invitePrefix = "invite_"

	statusPending = "pending"
	statusActive  = "active"
)

func isMemberRole(role string) bool {
	for _, r := range memberRoles {
		if r == role {
			return true
		}
	}
	return false
}

// memberRoleValidator accepts one of memberRoles, and explains the invite_ prefix to anyone who
// copied a role from the API's answer.
type memberRoleValidator struct{}

func memberRole() validator.String { return memberRoleValidator{} }

func (memberRoleValidator) Description(context.Context) string {
	return "must be one of " + quotedList(memberRoles)
}

func (v memberRoleValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (memberRoleValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	role := req.ConfigValue.ValueString()
	if isMemberRole(role) {
		return
	}
	if plain, ok := strings.CutPrefix(role, invitePrefix); ok && isMemberRole(plain) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid role",
			fmt.Sprintf("%s = %q: the %q prefix is how the Capgo API reports an invitation that has not been "+
				"accepted yet, not a role you can assign. Write %s = %q; the member's status attribute tells "+
				"whether the invitation is still pending.", req.Path, role, invitePrefix, req.Path, plain))
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid role",
		fmt.Sprintf("%s = %q is not a Capgo role. Use one of %s.", req.Path, role, quotedList(memberRoles)))
}

func quotedList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(quoted, ", ")
}

// markdownList renders values as `a`, `b`, `c` for schema descriptions.
func markdownList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = "`" + v + "`"
	}
	return strings.Join(quoted, ", ")
}
