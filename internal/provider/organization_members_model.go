package provider

import (
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// organizationMembersModel is the Terraform view of an organization's whole membership.
type organizationMembersModel struct {
	ID                   types.String               `tfsdk:"id"`
	OrganizationID       types.String               `tfsdk:"organization_id"`
	Members              map[string]membershipEntry `tfsdk:"members"`
	ReinviteOnRoleChange types.Bool                 `tfsdk:"reinvite_on_role_change"`
}

// membershipEntry is one member of the map, keyed by email.
type membershipEntry struct {
	Role   types.String `tfsdk:"role"`
	Status types.String `tfsdk:"status"`
	UserID types.String `tfsdk:"user_id"`
}

// entryFor finds email among the keys of entries, without regard to case, and returns the key as
// it is written there.
func entryFor(entries map[string]membershipEntry, email string) (string, membershipEntry, bool) {
	if entry, ok := entries[email]; ok {
		return email, entry, true
	}
	for key, entry := range entries {
		if strings.EqualFold(key, email) {
			return key, entry, true
		}
	}
	return "", membershipEntry{}, false
}

// membershipFromServer is the map of exactly the members the server holds. A member already in
// known (the configuration, or the prior state) keeps the email's spelling and the role's name
// written there when the server holds the same role, so that neither letter case nor the server's
// vocabulary ever shows a diff.
func membershipFromServer(known map[string]membershipEntry, members []capgo.Member) map[string]membershipEntry {
	out := make(map[string]membershipEntry, len(members))
	for _, m := range members {
		key, entry, found := entryFor(known, m.Email)
		if !found {
			key = m.Email
		}
		role := m.Role
		if found && !entry.Role.IsNull() && !entry.Role.IsUnknown() && capgo.SameRole(entry.Role.ValueString(), m.Role) {
			role = entry.Role.ValueString()
		}
		out[key] = membershipEntry{
			Role:   types.StringValue(role),
			Status: types.StringValue(memberStatus(m)),
			UserID: types.StringValue(m.UID),
		}
	}
	return out
}

// configuredRoles are the roles the map asks for, by email as written.
func configuredRoles(entries map[string]membershipEntry) map[string]string {
	out := make(map[string]string, len(entries))
	for email, entry := range entries {
		out[email] = entry.Role.ValueString()
	}
	return out
}
