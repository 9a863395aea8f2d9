package provider

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

var (
	_ resource.Resource                = (*organizationWebhookResource)(nil)
	_ resource.ResourceWithConfigure   = (*organizationWebhookResource)(nil)
	_ resource.ResourceWithImportState = (*organizationWebhookResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*organizationWebhookResource)(nil)
	_ resource.ResourceWithIdentity    = (*organizationWebhookResource)(nil)
)

// NewOrganizationWebhookResource returns the capgo_organization_webhook resource.
func NewOrganizationWebhookResource() resource.Resource {
	return &organizationWebhookResource{}
}

// organizationWebhookResource is one webhook of an organization: where Capgo posts the changes of
// the tables it subscribes to, signed with a secret Capgo shows only when it creates the webhook.
type organizationWebhookResource struct {
	configured
}

// webhookModel is the Terraform view of a webhook.
type webhookModel struct {
	ID              types.String `tfsdk:"id"`
	OrganizationID  types.String `tfsdk:"organization_id"`
	Name            types.String `tfsdk:"name"`
	URL             types.String `tfsdk:"url"`
	Events          types.Set    `tfsdk:"events"`
	Enabled         types.Bool   `tfsdk:"enabled"`
	DeliveryVersion types.String `tfsdk:"delivery_version"`
	Secret          types.String `tfsdk:"secret"`
	CreatedAt       types.String `tfsdk:"created_at"`
}

// webhookIdentity is the identity of a webhook: its organization and its ID.
type webhookIdentity struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	ID             types.String `tfsdk:"id"`
}

var pathURL = path.Root("url")

func (r *organizationWebhookResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization_webhook"
}

func (r *organizationWebhookResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A webhook of a Capgo organization: Capgo posts a signed event to `url` whenever a row " +
			"of a table in `events` changes (a member invited, a channel switched, a bundle uploaded). Needs " +
			"Capgo's production API and an API key of an `org_admin` or `org_super_admin` of the organization " +
			"that holds no app- or channel-level role.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The webhook's ID, chosen by Capgo.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the organization. Changing it replaces the webhook.",
				Required:            true,
				Validators:          []validator.String{organizationID()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "A name for people; not unique.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"url": schema.StringAttribute{
				MarkdownDescription: "Where Capgo posts the events: an `https` URL of a public host name (Capgo's own " +
					"service refuses plain `http`, IP addresses and local hosts; a self-hosted Capgo may allow them, so " +
					"the plan only warns).",
				Required:   true,
				Validators: []validator.String{webhookURL()},
			},
			"events": schema.SetAttribute{
				MarkdownDescription: "The tables whose changes are posted, at least one of " + markdownList(capgo.WebhookEvents) +
					" (`org_users` for memberships, `orgs` for the organization itself). A set: order and repetition " +
					"make no difference.",
				Required:    true,
				ElementType: types.StringType,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.OneOf(capgo.WebhookEvents...)),
				},
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether Capgo posts events. Capgo turns a webhook off by itself after 10 failed " +
					"attempts of one delivery or an answer 410; the next plan then turns it on again and says why it was " +
					"off. Defaults to `true`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"delivery_version": schema.StringAttribute{
				MarkdownDescription: "How deliveries are signed: `legacy` (`X-Capgo-Signature` only) or `standard` (also " +
					"the `webhook-id`, `webhook-timestamp` and `webhook-signature` headers of the Standard Webhooks " +
					"scheme). Defaults to `legacy`, as Capgo's.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(capgo.WebhookDeliveryLegacy),
				Validators: []validator.String{stringvalidator.OneOf(capgo.WebhookDeliveryLegacy, capgo.WebhookDeliveryStandard)},
			},
			"secret": schema.StringAttribute{
				MarkdownDescription: "The secret deliveries are signed with (`whsec_…`). Capgo shows it only when it " +
					"creates the webhook, and cannot rotate it: to get a new one, replace the webhook " +
					"(`terraform apply -replace=<address>`), which gives it a new ID too. An imported webhook has no " +
					"secret in the state.",
				Computed:      true,
				Sensitive:     true,
				PlanModifiers: keep,
			},
			"created_at": schema.StringAttribute{
				MarkdownDescription: "When the webhook was created (RFC 3339).",
				Computed:            true,
				PlanModifiers:       keep,
			},
		},
	}
}

func (r *organizationWebhookResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"organization_id": identityschema.StringAttribute{Description: "The ID of the organization.", RequiredForImport: true},
			"id":              identityschema.StringAttribute{Description: "The webhook's ID.", RequiredForImport: true},
		},
	}
}

func (r *organizationWebhookResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.configure(req.ProviderData, &resp.Diagnostics)
}

// webhookURL accepts an absolute http or https URL with a host; Capgo's stricter rules are
// warned about at plan time, as a self-hosted Capgo may not apply them.
func webhookURL() validator.String {
	return stringRule{
		description: "must be an absolute http or https URL",
		problem: func(attribute path.Path, value string) (string, string) {
			u, err := url.Parse(value)
			if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
				return "Invalid webhook URL", fmt.Sprintf("%s = %q is not an absolute http or https URL, such as "+
					"\"https://hooks.example.com/capgo\".", attribute, value)
			}
			return "", ""
		},
	}
}

// capgoURLRule is the rule of Capgo's own service a webhook URL breaks, or "".
func capgoURLRule(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	switch {
	case host == "localhost" || strings.HasSuffix(host, ".localhost"):
		return "it must point to a public host, not localhost"
	case net.ParseIP(host) != nil:
		return "it must use a host name, not an IP address"
	case u.Scheme != "https":
		return "it must use https"
	}
	return ""
}

// ModifyPlan refuses a server without webhooks at plan time, warns about a URL Capgo's own service
// refuses, and says why a webhook Capgo turned off is being turned on again.
func (r *organizationWebhookResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan webhookModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if known(plan.URL) {
		if rule := capgoURLRule(plan.URL.ValueString()); rule != "" {
			resp.Diagnostics.AddAttributeWarning(pathURL, "Capgo's service refuses this webhook URL",
				fmt.Sprintf("url = %q: Capgo's own service refuses it, as %s. A self-hosted Capgo may accept it; "+
					"against api.capgo.app the apply will fail.", plan.URL.ValueString(), rule))
		}
	}
	if r.client == nil || plan.OrganizationID.IsUnknown() {
		return
	}
	orgID := plan.OrganizationID.ValueString()
	if can, err := r.client.ServerCapabilities(ctx, orgID); err == nil && can.Known && !can.Webhooks {
		resp.Diagnostics.Append(noWebhooksDiagnostic())
		return
	}
	if req.State.Raw.IsNull() {
		return
	}
	var state webhookModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if !resp.Diagnostics.HasError() && !state.Enabled.ValueBool() && plan.Enabled.ValueBool() {
		resp.Diagnostics.AddAttributeWarning(path.Root("enabled"), "This plan turns the webhook on again",
			r.whyTurnedOff(ctx, orgID, state.ID.ValueString()))
	}
}

// whyTurnedOff says why a webhook is off, from its last failed delivery when there is one.
func (r *organizationWebhookResource) whyTurnedOff(ctx context.Context, orgID, id string) string {
	text := fmt.Sprintf("Webhook %s is off. Capgo turns a webhook off by itself after 10 failed attempts of one "+
		"delivery, or when the receiver answers 410 Gone", id)
	deliveries, err := r.client.RecentWebhookDeliveries(ctx, orgID, id)
	if err == nil {
		if i := slices.IndexFunc(deliveries, func(d capgo.WebhookDelivery) bool { return d.Status == "failed" }); i >= 0 {
			d := deliveries[i]
			status := "no answer"
			if d.ResponseStatus != nil {
				status = fmt.Sprintf("answer %d", *d.ResponseStatus)
			}
			text += fmt.Sprintf("; its last failed delivery (%s, %s, %d attempts) got %s", d.EventType, d.CreatedAt,
				d.AttemptCount, status)
		}
	}
	return text + ". Check that the receiver answers 2xx before applying, or it will be turned off again."
}

// noWebhooksDiagnostic refuses a server without webhooks.
func noWebhooksDiagnostic() diag.Diagnostic {
	return diag.NewErrorDiagnostic("Organization webhooks need Capgo's production API",
		"This Capgo server speaks the documented API, which has no organization webhooks, so "+
			"capgo_organization_webhook cannot be managed there. Nothing was sent.")
}

// webhookErrorDiagnostic reports a failed webhook call, pointing at url for Capgo's URL rules.
func webhookErrorDiagnostic(action string, err error) diag.Diagnostic {
	if apiErr, ok := capgo.AsAPIError(err); ok && apiErr.Code == "invalid_url" {
		return diag.NewAttributeErrorDiagnostic(pathURL, "Webhook URL refused",
			fmt.Sprintf("Capgo refused url: %s. Capgo's service takes only https URLs of public host names (no IP "+
				"addresses, no local hosts).", apiErr.Message))
	}
	if apiErr, ok := capgo.AsAPIError(err); ok && apiErr.Code == "no_permission" {
		return diag.NewErrorDiagnostic("Unable to "+action, fmt.Sprintf("Capgo refused: %s. Managing webhooks "+
			"needs an API key of an org_admin or org_super_admin of the organization, and one that holds no app- "+
			"or channel-level role anywhere: create such a key in the Capgo console.", apiErr.Message))
	}
	if errors.Is(err, capgo.ErrNoWebhooks) {
		return noWebhooksDiagnostic()
	}
	return apiErrorDiagnostic(action, err)
}

// sortedEvents are the events of a set, sorted, as they are sent.
func sortedEvents(ctx context.Context, set types.Set, diags *diag.Diagnostics) []string {
	var events []string
	diags.Append(set.ElementsAs(ctx, &events, false)...)
	slices.Sort(events)
	return slices.Compact(events)
}

// setFromAPI copies what Capgo says of a webhook into m; the secret stays as m holds it.
func (m *webhookModel) setFromAPI(hook *capgo.Webhook) {
	m.ID = types.StringValue(hook.ID)
	m.OrganizationID = types.StringValue(hook.OrganizationID)
	m.Name = types.StringValue(hook.Name)
	m.URL = types.StringValue(hook.URL)
	events := make([]attr.Value, 0, len(hook.Events))
	for _, e := range hook.Events {
		events = append(events, types.StringValue(e))
	}
	m.Events = types.SetValueMust(types.StringType, events)
	m.Enabled = types.BoolValue(hook.Enabled)
	m.DeliveryVersion = types.StringValue(hook.DeliveryVersion)
	m.CreatedAt = types.StringValue(hook.CreatedAt)
	if hook.Secret != "" {
		m.Secret = types.StringValue(hook.Secret)
	}
	if m.Secret.IsUnknown() {
		m.Secret = types.StringNull()
	}
}

func (r *organizationWebhookResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if !r.hasClient(&resp.Diagnostics, "create the webhook") {
		return
	}
	var plan webhookModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	events := sortedEvents(ctx, plan.Events, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := plan.OrganizationID.ValueString()
	create := capgo.CreateWebhookRequest{OrganizationID: orgID, Name: plan.Name.ValueString(), URL: plan.URL.ValueString(),
		Events: events, Enabled: plan.Enabled.ValueBoolPointer(), DeliveryVersion: plan.DeliveryVersion.ValueString()}
	// A lost answer loses the secret with it, and Capgo never shows it again: the webhooks there
	// before are noted, so that one made by a lost create can be found and removed.
	before, err := r.client.ListWebhooks(ctx, orgID)
	if err != nil {
		resp.Diagnostics.Append(webhookErrorDiagnostic(fmt.Sprintf("list the webhooks of organization %s", orgID), err))
		return
	}
	hook, err := r.client.CreateWebhook(ctx, create)
	if capgo.IsAmbiguous(err) {
		resp.Diagnostics.Append(r.removeLostCreation(ctx, create, before, err))
		return
	}
	if err != nil {
		resp.Diagnostics.Append(webhookErrorDiagnostic(fmt.Sprintf("create a webhook in organization %s", orgID), err))
		return
	}
	tflog.Info(ctx, "created Capgo organization webhook", map[string]any{"organization_id": orgID, "id": hook.ID})
	plan.setFromAPI(hook)
	setIdentity(ctx, resp.Identity, webhookIdentity{OrganizationID: plan.OrganizationID, ID: plan.ID}, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// removeLostCreation deletes the webhook a create whose answer was lost may have made: its secret
// is lost, and a webhook nobody can verify deliveries of is of no use. It says what it did.
func (r *organizationWebhookResource) removeLostCreation(ctx context.Context, create capgo.CreateWebhookRequest,
	before []capgo.Webhook, cause error,
) diag.Diagnostic {
	after, err := r.client.ListWebhooks(ctx, create.OrganizationID)
	if err != nil {
		return diag.NewErrorDiagnostic("Webhook creation not confirmed", fmt.Sprintf("Capgo's answer to the creation of "+
			"webhook %q was lost (%s), and listing the webhooks to find out what happened failed too (%s). If it was "+
			"created, delete it in the Capgo console: its secret is lost. Then run terraform apply again.",
			create.Name, cause, err))
	}
	removed := 0
	for _, hook := range after {
		if slices.ContainsFunc(before, func(b capgo.Webhook) bool { return b.ID == hook.ID }) ||
			hook.Name != create.Name || hook.URL != create.URL {
			continue
		}
		if err := r.client.DeleteWebhook(ctx, create.OrganizationID, hook.ID); err != nil && capgo.KindOf(err) != capgo.KindNotFound {
			return diag.NewErrorDiagnostic("Webhook created with its secret lost", fmt.Sprintf("Capgo's answer to the "+
				"creation of webhook %q was lost (%s), with the secret Capgo shows only then. Deleting webhook %s, "+
				"made by it, failed (%s): delete it in the Capgo console, then run terraform apply again.",
				create.Name, cause, hook.ID, err))
		}
		removed++
	}
	return diag.NewErrorDiagnostic("Webhook creation not confirmed", fmt.Sprintf("Capgo's answer to the creation "+
		"of webhook %q was lost (%s), and with it the secret Capgo shows only then. %d webhook(s) it made were "+
		"deleted; nothing is left half done. Run terraform apply again.", create.Name, cause, removed))
}

func (r *organizationWebhookResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state webhookModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	setIdentity(ctx, resp.Identity, webhookIdentity{OrganizationID: state.OrganizationID, ID: state.ID}, &resp.Diagnostics)
	if r.readWithoutClient(req, resp) {
		return
	}
	orgID, id := state.OrganizationID.ValueString(), state.ID.ValueString()
	hook, err := r.client.GetWebhook(ctx, orgID, id)
	if capgo.KindOf(err) == capgo.KindNotFound {
		tflog.Warn(ctx, "Capgo webhook no longer found; removing it from state", map[string]any{"organization_id": orgID, "id": id})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(webhookErrorDiagnostic(fmt.Sprintf("read webhook %s of organization %s", id, orgID), err))
		return
	}
	state.setFromAPI(hook)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

func (r *organizationWebhookResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	if !r.hasClient(&resp.Diagnostics, "change the webhook") {
		return
	}
	var plan, state webhookModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	events := sortedEvents(ctx, plan.Events, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID, id := state.OrganizationID.ValueString(), state.ID.ValueString()
	update := capgo.UpdateWebhookRequest{OrganizationID: orgID, WebhookID: id}
	if !plan.Name.Equal(state.Name) {
		update.Name = plan.Name.ValueStringPointer()
	}
	if !plan.URL.Equal(state.URL) {
		update.URL = plan.URL.ValueStringPointer()
	}
	if !plan.Events.Equal(state.Events) {
		update.Events = events
	}
	if !plan.Enabled.Equal(state.Enabled) {
		update.Enabled = plan.Enabled.ValueBoolPointer()
	}
	if !plan.DeliveryVersion.Equal(state.DeliveryVersion) {
		update.DeliveryVersion = plan.DeliveryVersion.ValueStringPointer()
	}
	setIdentity(ctx, resp.Identity, webhookIdentity{OrganizationID: state.OrganizationID, ID: state.ID}, &resp.Diagnostics)
	hook, err := r.client.UpdateWebhook(ctx, update)
	if err != nil {
		resp.State.Raw = req.State.Raw.Copy()
		resp.Diagnostics.Append(webhookErrorDiagnostic(fmt.Sprintf("change webhook %s of organization %s", id, orgID), err))
		return
	}
	plan.Secret = state.Secret
	plan.setFromAPI(hook)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

func (r *organizationWebhookResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	if !r.hasClient(&resp.Diagnostics, "delete the webhook") {
		return
	}
	var state webhookModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID, id := state.OrganizationID.ValueString(), state.ID.ValueString()
	err := r.client.DeleteWebhook(ctx, orgID, id)
	if err != nil && capgo.KindOf(err) != capgo.KindNotFound && !organizationGone(ctx, r.client, orgID, err) {
		resp.Diagnostics.Append(webhookErrorDiagnostic(fmt.Sprintf("delete webhook %s of organization %s", id, orgID), err))
	}
}

func (r *organizationWebhookResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	orgID, id, ok := webhookToImport(ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("organization_id"), orgID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	setIdentity(ctx, resp.Identity, webhookIdentity{OrganizationID: types.StringValue(orgID), ID: types.StringValue(id)}, &resp.Diagnostics)
}

// webhookToImport is the organization and ID of the webhook an import names: `<organization_id>/<id>`, or
// the identity.
func webhookToImport(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics) (orgID, id string, ok bool) {
	if importedByIdentity(req) {
		var identity webhookIdentity
		if diags.Append(req.Identity.Get(ctx, &identity)...); diags.HasError() {
			return "", "", false
		}
		orgID, id = identity.OrganizationID.ValueString(), identity.ID.ValueString()
	} else {
		orgID, id, _ = strings.Cut(req.ID, "/")
	}
	if !isOrganizationID(orgID) || id == "" || strings.Contains(id, "/") {
		diags.AddError("Invalid import ID", fmt.Sprintf("%q does not name a webhook. Use <organization_id>/<webhook_id>, "+
			"for example:\n\n  terraform import capgo_organization_webhook.events "+
			"0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b/6f1c2a7e-9b3d-4c4e-8f0a-1d2e3f405060", req.ID))
		return "", "", false
	}
	return orgID, id, true
}
