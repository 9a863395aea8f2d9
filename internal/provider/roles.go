package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// Capgo names roles in two vocabularies. Its documented API has five roles, weakest first;
// its production API (2026) has four, with other names. A configuration may use either, against
// either server.
var (
	documentedRoles = []string{"read", "upload", "write", "admin", "super_admin"}
	productionRoles = []string{"org_member", "org_billing_admin", "org_admin", "org_super_admin"}

	// memberRoles is every role a configuration may name.
	memberRoles = append(append([]string{}, documentedRoles...), productionRoles...)
)

const (
	roleSuperAdmin    = "super_admin"
	roleOrgMember     = "org_member"
	roleOrgAdmin      = "org_admin"
	roleOrgSuperAdmin = "org_super_admin"

	// invitePrefix is how the documented API marks the role of someone invited who has not
	// accepted yet.
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

func isProductionRole(role string) bool {
	return strings.HasPrefix(role, "org_")
}

// productionRole is the production API's name for a role of either vocabulary: read, upload and
// write are all org_member there.
func productionRole(role string) string {
	switch role {
	case "read", "upload", "write":
		return roleOrgMember
	case "admin":
		return roleOrgAdmin
	case roleSuperAdmin:
		return roleOrgSuperAdmin
	}
	return role
}

// documentedRole is the documented API's name for a role, when it has one. org_member stands for
// any of read, upload and write, and org_billing_admin for none of them: there is no right
// answer, so there is none.
func documentedRole(role string) (string, bool) {
	switch role {
	case roleOrgAdmin:
		return "admin", true
	case roleOrgSuperAdmin:
		return roleSuperAdmin, true
	}
	for _, r := range documentedRoles {
		if r == role {
			return role, true
		}
	}
	return "", false
}

// sameRole reports whether the role a server reports (without invite_) is the role the
// configuration asked for. When either side speaks the production vocabulary the comparison is
// made in it, so "write" is "org_member", and no configuration shows a diff for the server's
// choice of names. Between two documented roles, only equal names match: read and write differ
// there.
func sameRole(configured, reported string) bool {
	if configured == reported {
		return true
	}
	if isProductionRole(configured) || isProductionRole(reported) {
		return productionRole(configured) == productionRole(reported)
	}
	return false
}

// isSuperAdminRole reports the role in full control of an organization, in either vocabulary.
func isSuperAdminRole(role string) bool {
	return productionRole(role) == roleOrgSuperAdmin
}

// speaksProduction reports whether a member list came from Capgo's production API: it flags
// invitations with is_tmp and uses its own role names, where the documented API does neither.
// A list always holds at least the caller, so it always tells.
func speaksProduction(members []capgo.Member) bool {
	for _, m := range members {
		if m.IsTmp != nil || isProductionRole(m.Role) {
			return true
		}
	}
	return false
}

// roleToSend is the role to ask the server for: as configured for the production API, which takes
// both vocabularies, and in the documented vocabulary for the documented API.
func roleToSend(role string, production bool) (string, error) {
	if production {
		return role, nil
	}
	if sent, ok := documentedRole(role); ok {
		return sent, nil
	}
	return "", fmt.Errorf("role = %q exists only in Capgo's production API, and this server speaks the documented "+
		"API, whose roles are %s. Use one of those (org_member there means any of \"read\", \"upload\" and \"write\")",
		role, quotedList(documentedRoles))
}

// memberRole accepts one of memberRoles, and explains the invite_ prefix to anyone who copied a
// role from the API's answer.
func memberRole() validator.String {
	return stringRule{
		description: "must be one of " + quotedList(memberRoles),
		problem: func(attribute path.Path, role string) (string, string) {
			if isMemberRole(role) {
				return "", ""
			}
			if plain, ok := strings.CutPrefix(role, invitePrefix); ok && isMemberRole(plain) {
				return "Invalid role", fmt.Sprintf("%s = %q: the %q prefix is how the Capgo API reports an invitation "+
					"that has not been accepted yet, not a role you can assign. Write %s = %q; the member's status "+
					"attribute tells whether the invitation is still pending.", attribute, role, invitePrefix, attribute, plain)
			}
			return "Invalid role", fmt.Sprintf("%s = %q is not a Capgo role. Use one of %s (Capgo's documented roles), "+
				"or one of %s (the names Capgo's production API uses).", attribute, role, quotedList(documentedRoles),
				quotedList(productionRoles))
		},
	}
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
