package provider

import (
	"errors"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/membership"
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

// emailIndex finds the entries of a map keyed by email without regard to case, each in one
// lookup: a scan of the map for each member would make a large membership quadratic.
type emailIndex[V any] struct {
	entries map[string]V
	folded  map[string]string // the lower-case email → the key as written
}

func indexByEmail[V any](entries map[string]V) emailIndex[V] {
	folded := make(map[string]string, len(entries))
	for key := range entries {
		folded[strings.ToLower(key)] = key
	}
	return emailIndex[V]{entries: entries, folded: folded}
}

// find returns the key under which email is written, and its entry: the key spelt exactly so
// when there is one, else one that differs in letter case only.
func (ix emailIndex[V]) find(email string) (string, V, bool) {
	if entry, ok := ix.entries[email]; ok {
		return email, entry, true
	}
	key, ok := ix.folded[strings.ToLower(email)]
	if !ok {
		var none V
		return "", none, false
	}
	return key, ix.entries[key], true
}

// membershipFromServer is the map of exactly the members the server holds. A member already in
// known (the configuration, or the prior state) keeps the email's spelling and the role's name
// written there when the server holds the same role, so that neither letter case nor the server's
// vocabulary ever shows a diff.
func membershipFromServer(known map[string]membershipEntry, members []capgo.Member) map[string]membershipEntry {
	out := make(map[string]membershipEntry, len(members))
	index := indexByEmail(known)
	for _, m := range members {
		key, entry, found := index.find(m.Email)
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

// plannedMembership is the planned map with the status and user ID of each member as the apply
// will leave them, where that can be told from the prior state alone: the server may change before
// the apply plans again (a replacement's destroy runs first), and a value planned known must stay
// so. A member's user ID never changes; their status stays unless the change invites them again,
// which decided tells once the members were read. A member not in the prior state is unknown.
func plannedMembership(planned, prior map[string]membershipEntry, decided membership.Plan, read bool) map[string]membershipEntry {
	priorByEmail := indexByEmail(prior)
	reinvited := map[string]bool{}
	for _, c := range decided.Changes {
		if c.Action == membership.Reinvite {
			reinvited[strings.ToLower(c.Email)] = true
		}
	}
	for email, entry := range planned {
		entry.Status, entry.UserID = types.StringUnknown(), types.StringUnknown()
		if _, before, found := priorByEmail.find(email); found {
			entry.UserID = before.UserID
			switch {
			case capgo.SameRole(entry.Role.ValueString(), before.Role.ValueString()):
				entry.Status = before.Status
			case read && reinvited[strings.ToLower(email)]:
				entry.Status = types.StringValue(statusPending)
			case read:
				entry.Status = before.Status
			}
		}
		planned[email] = entry
	}
	return planned
}

// organizationMembersFromValue reads a state value as tfsdk.State.Get would, without the
// framework's reflection, which costs milliseconds at hundreds of members on every refresh: a null
// members map is a nil map, as with Get.
func organizationMembersFromValue(v tftypes.Value) (organizationMembersModel, error) {
	var m organizationMembersModel
	var attributes map[string]tftypes.Value
	if err := v.As(&attributes); err != nil {
		return m, err
	}
	var err error
	if m.ID, err = stringFromValue(attributes["id"]); err != nil {
		return m, err
	}
	if m.OrganizationID, err = stringFromValue(attributes["organization_id"]); err != nil {
		return m, err
	}
	if m.ReinviteOnRoleChange, err = boolFromValue(attributes["reinvite_on_role_change"]); err != nil {
		return m, err
	}
	members := attributes["members"]
	if !members.IsKnown() {
		return m, errors.New("members is unknown")
	}
	if members.IsNull() {
		return m, nil
	}
	var elements map[string]tftypes.Value
	if err := members.As(&elements); err != nil {
		return m, err
	}
	m.Members = make(map[string]membershipEntry, len(elements))
	for email, element := range elements {
		var fields map[string]tftypes.Value
		if err := element.As(&fields); err != nil {
			return m, err
		}
		var entry membershipEntry
		if entry.Role, err = stringFromValue(fields["role"]); err != nil {
			return m, err
		}
		if entry.Status, err = stringFromValue(fields["status"]); err != nil {
			return m, err
		}
		if entry.UserID, err = stringFromValue(fields["user_id"]); err != nil {
			return m, err
		}
		m.Members[email] = entry
	}
	return m, nil
}

func stringFromValue(v tftypes.Value) (types.String, error) {
	switch {
	case !v.IsKnown():
		return types.StringUnknown(), nil
	case v.IsNull():
		return types.StringNull(), nil
	}
	var s string
	err := v.As(&s)
	return types.StringValue(s), err
}

func boolFromValue(v tftypes.Value) (types.Bool, error) {
	switch {
	case !v.IsKnown():
		return types.BoolUnknown(), nil
	case v.IsNull():
		return types.BoolNull(), nil
	}
	var b bool
	err := v.As(&b)
	return types.BoolValue(b), err
}
