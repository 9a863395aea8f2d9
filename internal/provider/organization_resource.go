package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

var (
	_ resource.Resource                = (*organizationResource)(nil)
	_ resource.ResourceWithConfigure   = (*organizationResource)(nil)
	_ resource.ResourceWithImportState = (*organizationResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*organizationResource)(nil)
	_ resource.ResourceWithIdentity    = (*organizationResource)(nil)
)

// NewOrganizationResource returns the capgo_organization resource.
func NewOrganizationResource() resource.Resource {
	return &organizationResource{}
}

type organizationResource struct {
	configured
}

func (r *organizationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization"
}

func (r *organizationResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Capgo organization. Organizations group apps and the people who work on them. " +
			"The user who owns the provider's API key becomes the organization's first `super_admin`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The organization's ID, chosen by Capgo.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The organization's name. Names need not be unique.",
				Required:            true,
				Validators:          []validator.String{notBlank(), storedAsWritten()},
			},
			"management_email": schema.StringAttribute{
				MarkdownDescription: "The address Capgo writes to about the organization (billing, notices). " +
					"When not set, Capgo uses the email of the user who created the organization, and that value is kept.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{emailAddress()},
				PlanModifiers: keep,
			},
			"logo": schema.StringAttribute{
				MarkdownDescription: "An absolute URL of the organization's logo, or `\"\"` for none. When not set, the " +
					"provider leaves the logo as it is, such as one uploaded in the Capgo console (which Capgo's " +
					"production API answers with an address that changes on every read: that is no change).",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{logoAddress()},
				PlanModifiers: keep,
			},
			"website": schema.StringAttribute{
				MarkdownDescription: "The organization's website, such as `capgo.app` or `https://capgo.app/pricing`. Capgo " +
					"stores it normalised (`capgo.app` as `https://capgo.app/`); either form is the same website and " +
					"no change. Removing it from the configuration clears it in Capgo. Only Capgo's production API " +
					"stores websites; against a server that does not (Capgo's documented API), it is kept in the " +
					"Terraform state only, with a warning.",
				Optional:      true,
				Validators:    []validator.String{websiteAddress()},
				PlanModifiers: []planmodifier.String{keepStoredWebsite{}},
			},
			"created_by": schema.StringAttribute{
				MarkdownDescription: "The user ID of the organization's creator.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"created_at": schema.StringAttribute{
				MarkdownDescription: "When the organization was created (RFC 3339).",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"updated_at": schema.StringAttribute{
				MarkdownDescription: "When the organization was last changed (RFC 3339).",
				Computed:            true,
			},
			"customer_id": schema.StringAttribute{
				MarkdownDescription: "Capgo's billing customer ID; until billing is set up, null (Capgo's production API: `pending_<id>`).",
				Computed:            true,
				PlanModifiers:       keep,
			},
		},
	}
}

func (r *organizationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				Description:       "The organization's ID.",
				RequiredForImport: true,
			},
		},
	}
}

// ModifyPlan plans no update when nothing Capgo stores changes. A configured value Capgo holds in
// another form (a website, see keepStoredWebsite) still makes the configuration differ from the
// state, and the framework then marks updated_at as unknown: kept as it is, the plan is empty.
func (r *organizationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	var plan, state organizationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	unchanged := plan.Name.Equal(state.Name) && plan.ManagementEmail.Equal(state.ManagementEmail) &&
		plan.Logo.Equal(state.Logo) && plan.Website.Equal(state.Website)
	if unchanged || r.keepsTimestamps(ctx, state.ID.ValueString()) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("updated_at"), state.UpdatedAt)...)
	}
}

// keepsTimestamps reports a server known never to move updated_at. The apply plans again in a
// process that has read nothing yet: the organization is read then (through the shared list), so
// that it plans what the plan did.
func (r *organizationResource) keepsTimestamps(ctx context.Context, id string) bool {
	if r.client == nil {
		return false
	}
	if !r.client.Capabilities().Known {
		_, _ = r.client.GetOrganizationShared(ctx, id) // a failure tells nothing: updated_at stays unknown
	}
	can := r.client.Capabilities()
	return can.Known && !can.UpdatesTimestamps
}

func (r *organizationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.configure(req.ProviderData, &resp.Diagnostics)
}

func (r *organizationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if !r.hasClient(&resp.Diagnostics, "create the organization") {
		return
	}
	var plan organizationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}

	name := plan.Name.ValueString()
	// CreateOrganizationOnce never makes a second organization when an answer is lost.
	id, err := r.client.CreateOrganizationOnce(ctx, capgo.CreateOrganizationRequest{Name: name})
	if capgo.KindOf(err) == capgo.KindNotAllowed {
		resp.Diagnostics.Append(createNotAllowedDiagnostic(name, err))
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(fmt.Sprintf("create organization %q", name), err))
		return
	}
	tflog.Info(ctx, "created Capgo organization", map[string]any{"organization_id": id})

	// From here on the organization exists. Whatever fails next, it is written to state so that
	// Terraform marks it tainted and replaces or deletes it, rather than leaving it orphaned.
	plan.ID = types.StringValue(id)
	setIdentity(ctx, resp.Identity, organizationIdentity{ID: plan.ID}, &resp.Diagnostics)
	saveOnFailure := func() {
		resp.Diagnostics.Append(resp.State.Set(ctx, plan.withUnknownsNulled())...)
	}

	// The create call takes only a name; everything else is an update.
	update := capgo.UpdateOrganizationRequest{ID: id}
	needsUpdate := false
	if v := plan.ManagementEmail; !v.IsNull() && !v.IsUnknown() {
		update.ManagementEmail = stringPointer(v.ValueString())
		needsUpdate = true
	}
	if v := plan.Logo; !v.IsNull() && !v.IsUnknown() && v.ValueString() != "" {
		update.Logo = stringPointer(v.ValueString())
		needsUpdate = true
	}
	if v := plan.Website; !v.IsNull() && !v.IsUnknown() {
		update.Website = stringPointer(v.ValueString())
		needsUpdate = true
	}
	if needsUpdate {
		if err := r.update(ctx, update); err != nil {
			resp.Diagnostics.Append(apiErrorDiagnostic(fmt.Sprintf("set up the new organization %q (%s)", name, id), err))
			saveOnFailure()
			return
		}
	}

	org, err := r.client.GetOrganization(ctx, id)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(fmt.Sprintf("read the new organization %q (%s)", name, id), err))
		saveOnFailure()
		return
	}
	// This key created it, so its creator is the key's own user.
	r.client.NoteKeyUser(org.CreatedBy)
	warnWebsiteIgnored(&resp.Diagnostics, org, plan.Website)
	resp.Diagnostics.Append(resp.State.Set(ctx, organizationStateFromAPI(org, plan))...)
}

func (r *organizationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state organizationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Set before anything else: state written by a release without identities has none, and a
	// read must return one even when it keeps or removes the state.
	setIdentity(ctx, resp.Identity, organizationIdentity{ID: state.ID}, &resp.Diagnostics)
	if r.readWithoutClient(req, resp) {
		return
	}

	// One organization list answers every organization refreshed by this process.
	org, err := r.client.GetOrganizationShared(ctx, state.ID.ValueString())
	if capgo.KindOf(err) == capgo.KindNotFound {
		// Deleted outside Terraform, or the key lost access: the plan should offer to create it.
		tflog.Warn(ctx, "Capgo organization no longer found; removing it from state", map[string]any{
			"organization_id": state.ID.ValueString(),
		})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(fmt.Sprintf("read organization %s", state.ID.ValueString()), err))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, organizationStateFromAPI(org, state))...)
}

func (r *organizationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	if !r.hasClient(&resp.Diagnostics, "update the organization") {
		return
	}
	var plan, state organizationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// A failed update keeps the state as it was, not the plan.
	defer func() {
		if resp.Diagnostics.HasError() {
			resp.State.Raw = req.State.Raw.Copy()
		}
	}()
	setIdentity(ctx, resp.Identity, organizationIdentity{ID: state.ID}, &resp.Diagnostics)

	id := state.ID.ValueString()
	update := capgo.UpdateOrganizationRequest{ID: id}
	if !plan.Name.Equal(state.Name) {
		update.Name = stringPointer(plan.Name.ValueString())
	}
	if !plan.ManagementEmail.IsUnknown() && !plan.ManagementEmail.IsNull() && !plan.ManagementEmail.Equal(state.ManagementEmail) {
		update.ManagementEmail = stringPointer(plan.ManagementEmail.ValueString())
	}
	if !plan.Logo.IsUnknown() && !plan.Logo.Equal(state.Logo) {
		// "" clears the logo; Capgo's production API refuses null.
		update.Logo = stringPointer(plan.Logo.ValueString())
	}
	if !plan.Website.Equal(state.Website) {
		update.Website = stringPointer(plan.Website.ValueString()) // likewise
	}

	if update.Name != nil || update.ManagementEmail != nil || update.Logo != nil || update.Website != nil {
		if err := r.update(ctx, update); err != nil {
			resp.Diagnostics.Append(apiErrorDiagnostic(fmt.Sprintf("update organization %q (%s)", state.Name.ValueString(), id), err))
			return
		}
	}

	org, err := r.client.GetOrganization(ctx, id)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(fmt.Sprintf("read organization %s after updating it", id), err))
		return
	}
	if !plan.Website.Equal(state.Website) {
		warnWebsiteIgnored(&resp.Diagnostics, org, plan.Website)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, organizationStateFromAPI(org, plan))...)
}

func (r *organizationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	if !r.hasClient(&resp.Diagnostics, "delete the organization") {
		return
	}
	var state organizationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}

	id := state.ID.ValueString()
	if r.client.AccessLost(id) {
		// Not seeing it any more proves nothing: a membership removed earlier in this run was the key's.
		resp.Diagnostics.AddError("Terraform lost access to the organization",
			fmt.Sprintf("Earlier in this run the provider removed or demoted the API key's own membership of "+
				"organization %s, and the key can no longer see it. Nothing was sent: the organization was not deleted, "+
				"and it stays in the Terraform state. Use the API key of an org_super_admin of the organization.", id))
		return
	}
	err := r.client.WriteConfirmed(ctx,
		func(ctx context.Context) error {
			err := r.client.DeleteOrganization(ctx, id)
			if organizationGone(ctx, r.client, id, err) {
				return nil // already gone: the goal of a delete is met
			}
			return err
		},
		func(ctx context.Context) (bool, error) {
			_, err := r.client.GetOrganization(ctx, id)
			if capgo.KindOf(err) == capgo.KindNotFound {
				return true, nil
			}
			return false, err
		})
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(fmt.Sprintf("delete organization %q (%s)", state.Name.ValueString(), state.ID.ValueString()), err))
	}
}

// update sends an organization update. After an ambiguous failure it reads the organization
// back, and sends the update again only if it did not take effect.
func (r *organizationResource) update(ctx context.Context, update capgo.UpdateOrganizationRequest) error {
	return r.client.WriteConfirmed(ctx,
		func(ctx context.Context) error {
			_, err := r.client.UpdateOrganization(ctx, update)
			return err
		},
		func(ctx context.Context) (bool, error) {
			org, err := r.client.GetOrganization(ctx, update.ID)
			if err != nil {
				return false, err
			}
			return organizationHolds(org, update), nil
		})
}

// organizationHolds reports whether org already has every field update sets.
func organizationHolds(org *capgo.Organization, update capgo.UpdateOrganizationRequest) bool {
	if update.Name != nil && org.Name != *update.Name {
		return false
	}
	if update.ManagementEmail != nil && !strings.EqualFold(org.ManagementEmail, *update.ManagementEmail) {
		return false
	}
	if update.Logo != nil && !capgo.SameLogo(optionalString(org.Logo).ValueString(), *update.Logo) {
		return false
	}
	if update.Website != nil && org.HasWebsite && !capgo.SameWebsite(optionalString(org.Website).ValueString(), *update.Website) {
		return false
	}
	return true
}

func (r *organizationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, ok := organizationToImport(ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	if !r.hasClient(&resp.Diagnostics, "look up the organization to import") {
		return
	}
	if d := lookUpOrganizationToImport(ctx, r.client, id, "it"); d != nil {
		resp.Diagnostics.Append(d)
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	setIdentity(ctx, resp.Identity, organizationIdentity{ID: types.StringValue(id)}, &resp.Diagnostics)
}

// lookUpOrganizationToImport reads the organization an import names, at once: Terraform's own
// message for an import that finds nothing names neither the ID nor the reason. what completes
// "read organization <id> to import …" in the message of any other failure.
func lookUpOrganizationToImport(ctx context.Context, client *capgo.Client, id, what string) diag.Diagnostic {
	_, err := client.GetOrganizationShared(ctx, id)
	switch {
	case err == nil:
		return nil
	case capgo.KindOf(err) == capgo.KindNotFound:
		return diag.NewErrorDiagnostic("Cannot import: organization not found", importOrganizationNotFoundDetail(id))
	}
	return apiErrorDiagnostic(fmt.Sprintf("read organization %s to import %s", id, what), err)
}

// importOrganizationNotFoundDetail explains an import of an organization the key cannot see.
func importOrganizationNotFoundDetail(id string) string {
	return fmt.Sprintf("No organization %q is visible to the API key's user. Either it does not exist, or the user "+
		"is not an accepted member of it: Capgo shows an organization only to its accepted members (a pending "+
		"invitation is not enough). Check the ID (the capgo_organizations data source lists the visible ones), "+
		"and use the API key of a member of the organization.", id)
}

// warnWebsiteIgnored tells a user who set a website that the server does not store websites.
func warnWebsiteIgnored(diags *diag.Diagnostics, org *capgo.Organization, website types.String) {
	if org.HasWebsite || website.IsNull() || website.IsUnknown() {
		return
	}
	diags.AddAttributeWarning(path.Root("website"), "Website not stored by this Capgo server",
		fmt.Sprintf("This Capgo server (the documented API) does not store websites, so website = %q of organization "+
			"%s is kept in the Terraform state only. Capgo's production API stores it.", website.ValueString(), org.ID))
}
