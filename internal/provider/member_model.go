package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// memberModel is the Terraform view of one membership, pending or accepted.
type memberModel struct {
	ID             types.String `tfsdk:"id"`
	OrganizationID types.String `tfsdk:"organization_id"`
	Email          emailValue   `tfsdk:"email"`
	Role           types.String `tfsdk:"role"`
	Status         types.String `tfsdk:"status"`
	UserID         types.String `tfsdk:"user_id"`
	ImageURL       types.String `tfsdk:"image_url"`
	// ReinviteOnRoleChange lets a role change on a server that cannot change roles in place remove
	// an accepted member and invite them again, the only way it offers.
	ReinviteOnRoleChange types.Bool `tfsdk:"reinvite_on_role_change"`
}

var (
	pathOrganizationID = path.Root("organization_id")
	pathEmail          = path.Root("email")
	pathRole           = path.Root("role")
)

// memberID is the resource ID and import ID of a membership.
func memberID(organizationID, email string) string {
	return organizationID + "/" + email
}

func memberIDValue(organizationID, email string) types.String {
	return types.StringValue(memberID(organizationID, email))
}

// setFromAPI copies what the API says of a member into the model. The role is the same whether
// the invitation is pending or accepted, so an invitation accepted in the Capgo console is no
// diff; status tells pending from active instead. A role the model already holds stays as it is written when the
// server reports the same role under another name (org_member for write), so that neither
// vocabulary ever shows a diff.
func (m *memberModel) setFromAPI(member capgo.Member) {
	m.Email = newEmailValue(member.Email)
	reported := member.Role
	if m.Role.IsNull() || m.Role.IsUnknown() || !capgo.SameRole(m.Role.ValueString(), reported) {
		m.Role = types.StringValue(reported)
	}
	m.Status = types.StringValue(memberStatus(member))
	m.UserID = types.StringValue(member.UID)
	m.ImageURL = optionalString(member.ImageURL)
	if m.ID.IsNull() || m.ID.IsUnknown() {
		m.ID = types.StringValue(memberID(m.OrganizationID.ValueString(), member.Email))
	}
}

func memberStatus(member capgo.Member) string {
	if member.Pending() {
		return statusPending
	}
	return statusActive
}
