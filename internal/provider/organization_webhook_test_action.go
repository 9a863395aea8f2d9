package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

var _ action.ActionWithConfigure = (*organizationWebhookTestAction)(nil)

// NewOrganizationWebhookTestAction returns the capgo_organization_webhook_test action.
func NewOrganizationWebhookTestAction() action.Action {
	return &organizationWebhookTestAction{}
}

// organizationWebhookTestAction has Capgo deliver a test event to a webhook, and fails unless the
// receiver answered 2xx: run after a webhook's create or update, it proves the endpoint before the
// run ends.
type organizationWebhookTestAction struct {
	configured
}

type webhookTestModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	WebhookID      types.String `tfsdk:"webhook_id"`
}

func (a *organizationWebhookTestAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization_webhook_test"
}

func (a *organizationWebhookTestAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Has Capgo deliver a `test.ping` event to a webhook now, signed as every delivery, and " +
			"reports the receiver's answer: its status, how long it took and the start of its body. Fails unless the " +
			"receiver answered 2xx. Capgo delivers it even to a webhook that is off. Needs Terraform 1.14 or later.",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the webhook's organization.",
				Required:            true,
				Validators:          []validator.String{organizationID()},
			},
			"webhook_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the webhook, such as `capgo_organization_webhook.events.id`.",
				Required:            true,
			},
		},
	}
}

func (a *organizationWebhookTestAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.configure(req.ProviderData, &resp.Diagnostics)
}

func (a *organizationWebhookTestAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var config webhookTestModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || !a.hasClient(&resp.Diagnostics, "test the webhook") {
		return
	}
	orgID, id := config.OrganizationID.ValueString(), config.WebhookID.ValueString()
	if resp.SendProgress != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Capgo is delivering a test event to webhook %s", id)})
	}
	result, err := a.client.TestWebhook(ctx, orgID, id)
	if err != nil {
		resp.Diagnostics.Append(webhookErrorDiagnostic(fmt.Sprintf("test webhook %s of organization %s", id, orgID), err))
		return
	}
	report := webhookTestReport(result)
	if !result.Success {
		resp.Diagnostics.AddError("The webhook's receiver did not accept the test event", report)
		return
	}
	if resp.SendProgress != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: report})
	}
}

// webhookTestReport says what the receiver answered to a test delivery.
func webhookTestReport(r *capgo.WebhookTestResult) string {
	answer := "no HTTP answer"
	if r.Status != nil {
		answer = fmt.Sprintf("HTTP %d", *r.Status)
	}
	preview := strings.TrimSpace(r.ResponsePreview)
	if len(preview) > 200 {
		preview = preview[:200] + "…"
	}
	return fmt.Sprintf("Test delivery %s: %s after %d ms. The receiver answered: %q", r.DeliveryID, answer, r.DurationMS, preview)
}
