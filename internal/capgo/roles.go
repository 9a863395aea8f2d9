package capgo

import (
	"slices"
	"strings"
)

// Capgo names roles in two vocabularies. The documented API has five roles, weakest first; the
// production API has four, with other names, and may list roles outside them (apikey_manager, given
// in the Capgo console), which a client must accept. Roles are plain strings here, as the server
// names them, so that a role this package does not know passes through unchanged.
var (
	documentedRoles = []string{"read", "upload", "write", "admin", RoleSuperAdmin}
	productionRoles = []string{RoleOrgMember, "org_billing_admin", RoleOrgAdmin, RoleOrgSuperAdmin}
)

// Role names that callers compare against.
const (
	RoleSuperAdmin    = "super_admin"
	RoleOrgMember     = "org_member"
	RoleOrgAdmin      = "org_admin"
	RoleOrgSuperAdmin = "org_super_admin"
)

// invitePrefix marks a pending invitation's role in the documented API (invite_write); it is
// not part of the role.
const invitePrefix = "invite_"

// PlainRoles are the roles of Capgo's documented API (read … super_admin), weakest first.
func PlainRoles() []string { return slices.Clone(documentedRoles) }

// OrgRoles are the roles of Capgo's production API (org_member … org_super_admin), weakest first.
func OrgRoles() []string { return slices.Clone(productionRoles) }

func isDocumentedRole(role string) bool { return slices.Contains(documentedRoles, role) }

func isProductionRole(role string) bool { return strings.HasPrefix(role, "org_") }

// IsInvitationRole reports a role as the documented API shows a pending invitation's
// (invite_write), and returns the role itself.
func IsInvitationRole(role string) (plain string, ok bool) {
	return strings.CutPrefix(role, invitePrefix)
}

// ProductionRole is the production API's name for a role of either vocabulary: read, upload and
// write are all org_member there. A role of neither is returned as it is.
func ProductionRole(role string) string {
	switch role {
	case "read", "upload", "write":
		return RoleOrgMember
	case "admin":
		return RoleOrgAdmin
	case RoleSuperAdmin:
		return RoleOrgSuperAdmin
	}
	return role
}

// documentedRole is the documented API's name for a role, when it has one. org_member stands for
// any of read, upload and write, and org_billing_admin for none of them: there is no right
// answer, so there is none.
func documentedRole(role string) (string, bool) {
	switch role {
	case RoleOrgAdmin:
		return "admin", true
	case RoleOrgSuperAdmin:
		return RoleSuperAdmin, true
	}
	if isDocumentedRole(role) {
		return role, true
	}
	return "", false
}

// SameRole reports whether the role a server reports is the role asked for. When either side
// speaks the production vocabulary the comparison is made in it, so "write" is "org_member": no
// configuration shows a difference for the server's choice of names. Between two documented roles
// only equal names match: read and write differ there.
func SameRole(asked, reported string) bool {
	if asked == reported {
		return true
	}
	if isProductionRole(asked) || isProductionRole(reported) {
		return ProductionRole(asked) == ProductionRole(reported)
	}
	return false
}

// IsSuperAdminRole reports the role in full control of an organization, in either vocabulary.
func IsSuperAdminRole(role string) bool { return ProductionRole(role) == RoleOrgSuperAdmin }

// managesMembers reports a role that may manage an organization's members once accepted: admin or
// super_admin, in either vocabulary.
func managesMembers(role string) bool {
	role = ProductionRole(role)
	return role == RoleOrgAdmin || role == RoleOrgSuperAdmin
}
