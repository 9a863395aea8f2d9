package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A resource identity (Terraform 1.12 and later, OpenTofu 1.12 and later) names the Capgo object
// a resource manages, and lets an import block name it by its parts instead of by an ID string.
// The framework refuses a read, create or update that leaves the identity null, so every path
// that writes or removes state sets it, from the state itself where nothing else is known.

// organizationIdentity is the identity of a capgo_organization: its ID, which never changes.
type organizationIdentity struct {
	ID types.String `tfsdk:"id"`
}

// memberIdentity is the identity of a capgo_organization_member. Capgo compares emails without
// regard to case, so the email is held in lower case: respelling it changes no identity.
type memberIdentity struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	Email          types.String `tfsdk:"email"`
}

// perOrganizationIdentity is the identity of a resource of which an organization has exactly one
// (capgo_organization_members, capgo_organization_security): the organization's ID.
type perOrganizationIdentity struct {
	OrganizationID types.String `tfsdk:"organization_id"`
}

func newMemberIdentity(organizationID, email string) memberIdentity {
	return memberIdentity{
		OrganizationID: types.StringValue(organizationID),
		Email:          types.StringValue(strings.ToLower(email)),
	}
}

// perOrganizationIdentitySchema is the identity schema of a one-per-organization resource.
func perOrganizationIdentitySchema(description string) identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"organization_id": identityschema.StringAttribute{Description: description, RequiredForImport: true},
		},
	}
}

// setIdentity writes an identity. A Terraform that predates identities gets none to write.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, value any, diags *diag.Diagnostics) {
	if identity == nil {
		return
	}
	diags.Append(identity.Set(ctx, value)...)
}

// importedByIdentity reports whether an import names its object by identity (an import block's
// identity argument) rather than by an ID string.
func importedByIdentity(req resource.ImportStateRequest) bool {
	return req.ID == "" && req.Identity != nil && !req.Identity.Raw.IsNull()
}

// organizationToImport is the ID of the organization an import names, by ID or by identity.
func organizationToImport(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics) (string, bool) {
	return importedOrganizationID(ctx, req, diags, "id", "Import an organization by its ID", "capgo_organization.example",
		func(identity organizationIdentity) types.String { return identity.ID })
}

// perOrganizationToImport is the ID of the organization an import of a one-per-organization
// resource names, by ID or by identity. what and example, such as "the members of an organization"
// and "capgo_organization_members.mobile", make the messages.
func perOrganizationToImport(ctx context.Context, req resource.ImportStateRequest, what, example string, diags *diag.Diagnostics) (string, bool) {
	return importedOrganizationID(ctx, req, diags, "organization_id", "Import "+what+" by the organization's ID", example,
		func(identity perOrganizationIdentity) types.String { return identity.OrganizationID })
}

// importedOrganizationID is the organization ID an import names: the import ID, or the identity
// attribute that idOf reads. A value that is no organization ID is refused with how to import
// (how, and the example address) or how to write the identity.
func importedOrganizationID[Identity any](ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics,
	attribute, how, example string, idOf func(Identity) types.String,
) (string, bool) {
	const listed = "The capgo_organizations data source lists the IDs your API key can see."
	if !importedByIdentity(req) {
		if !isOrganizationID(req.ID) {
			diags.AddError("Invalid import ID",
				fmt.Sprintf("%q is not an organization ID. %s, for example:\n\n"+
					"  terraform import %s 0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b\n\n%s", req.ID, how, example, listed))
			return "", false
		}
		return req.ID, true
	}
	var identity Identity
	if diags.Append(req.Identity.Get(ctx, &identity)...); diags.HasError() {
		return "", false
	}
	id := idOf(identity).ValueString()
	if !isOrganizationID(id) {
		diags.AddError("Invalid import identity",
			fmt.Sprintf("%s = %q is not an organization ID. For example:\n\n"+
				"  identity = {\n    %s = \"0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b\"\n  }\n\n%s", attribute, id, attribute, listed))
		return "", false
	}
	return id, true
}

// memberToImport is the organization and email of the membership an import names, by ID or by
// identity.
func memberToImport(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics) (orgID, email string, ok bool) {
	if !importedByIdentity(req) {
		orgID, email, err := parseMemberImportID(req.ID)
		if err != nil {
			diags.AddError("Invalid import ID", err.Error())
			return "", "", false
		}
		return orgID, email, true
	}
	var identity memberIdentity
	if diags.Append(req.Identity.Get(ctx, &identity)...); diags.HasError() {
		return "", "", false
	}
	orgID, email = identity.OrganizationID.ValueString(), identity.Email.ValueString()
	if !isOrganizationID(orgID) || !isEmailAddress(email) {
		diags.AddError("Invalid import identity",
			fmt.Sprintf("organization_id = %q, email = %q does not name a membership: organization_id must be an "+
				"organization ID and email an email address, for example:\n\n"+
				"  identity = {\n    organization_id = \"0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b\"\n"+
				"    email           = \"dev@example.com\"\n  }", orgID, email))
		return "", "", false
	}
	return orgID, email, true
}
