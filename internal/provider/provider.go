// Package provider implements the Capgo Terraform provider on terraform-plugin-framework.
package provider

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

const (
	envAPIKey            = "CAPGO_API_KEY"
	envAPIURL            = "CAPGO_API_URL"
	envMaxRetries        = "CAPGO_MAX_RETRIES"
	envRequestTimeout    = "CAPGO_REQUEST_TIMEOUT"
	envOperationTimeout  = "CAPGO_OPERATION_TIMEOUT"
	envRequestsPerMinute = "CAPGO_REQUESTS_PER_MINUTE"
	// envAppendUserAgent lets wrappers such as CI systems identify themselves, as other providers allow.
	envAppendUserAgent = "TF_APPEND_USER_AGENT"
)

var (
	_ provider.Provider            = (*capgoProvider)(nil)
	_ provider.ProviderWithActions = (*capgoProvider)(nil)
)

// capgoProvider is the provider: it turns its configuration into one API client shared by every
// resource and data source.
type capgoProvider struct {
	version string
}

// capgoProviderModel maps the provider block.
type capgoProviderModel struct {
	APIKey         types.String `tfsdk:"api_key"`
	APIURL         types.String `tfsdk:"api_url"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	// OperationTimeout bounds one API call with its retries (capgo/operation.go).
	OperationTimeout types.String `tfsdk:"operation_timeout"`
	// RequestsPerMinute paces the requests of the provider process (capgo/pacing.go).
	RequestsPerMinute types.Int64 `tfsdk:"requests_per_minute"`
}

// unknownSettings names the settings only known at apply.
func (m capgoProviderModel) unknownSettings() []string {
	var names []string
	for _, setting := range []struct {
		name    string
		unknown bool
	}{
		{"api_key", m.APIKey.IsUnknown()},
		{"api_url", m.APIURL.IsUnknown()},
		{"max_retries", m.MaxRetries.IsUnknown()},
		{"request_timeout", m.RequestTimeout.IsUnknown()},
		{"operation_timeout", m.OperationTimeout.IsUnknown()},
		{"requests_per_minute", m.RequestsPerMinute.IsUnknown()},
	} {
		if setting.unknown {
			names = append(names, setting.name)
		}
	}
	return names
}

// New returns a constructor for the provider, as providerserver.Serve expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &capgoProvider{version: version}
	}
}

func (p *capgoProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "capgo"
	resp.Version = p.version
}

func (p *capgoProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages [Capgo](https://capgo.app) organizations and their members.",
		Attributes: map[string]schema.Attribute{
			"api_key": schema.StringAttribute{
				MarkdownDescription: "A Capgo API key, created in the Capgo console. The key acts with the rights of " +
					"the user who owns it. Falls back to the `" + envAPIKey + "` environment variable.",
				Optional:  true,
				Sensitive: true,
			},
			"api_url": schema.StringAttribute{
				MarkdownDescription: "The Capgo API base URL. Falls back to the `" + envAPIURL + "` environment " +
					"variable, then to `" + capgo.DefaultBaseURL + "`. Must use `https`, except for loopback hosts " +
					"(`localhost`, `127.0.0.0/8`, `::1`) such as a local mock server.",
				Optional: true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a request that failed for a passing reason (rate "+
					"limiting, a server error, a network error) is tried again, waiting longer each time and "+
					"honouring `Retry-After`. `0` turns retries off. A request is sent at most `max_retries + 1` "+
					"times in one operation, read-backs after an unclear answer included, and a server that cannot "+
					"be reached at all (connection refused, no such host) is tried at most 3 times; the final error "+
					"says how many attempts were made over how long. Falls back to the `%s` environment variable, "+
					"then to `%d`.", envMaxRetries, capgo.DefaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, capgo.MaxMaxRetries)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("How long one request may take before it is abandoned (and, if "+
					"safe, tried again), as a Go duration such as `30s` or `2m`. A server that has not answered "+
					"any request of the run yet and does not answer within it is tried at most 3 times, as one "+
					"that cannot be reached. Falls back to the `%s` environment variable, then to `%s`.",
					envRequestTimeout, capgo.DefaultRequestTimeout),
				Optional:   true,
				Validators: []validator.String{durationRule(requestTimeoutSetting)},
			},
			"operation_timeout": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("How long one API operation may take in all, its retries and "+
					"the waits between them included (for a change whose answer was lost, the reads that check "+
					"whether it took effect too), as a Go duration such as `2m`. The error then says how long it "+
					"waited and for which request. Falls back to the `%s` environment variable, then to `%s`.",
					envOperationTimeout, capgo.DefaultOperationTimeout),
				Optional:   true,
				Validators: []validator.String{durationRule(operationTimeoutSetting)},
			},
			"requests_per_minute": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many requests per minute the provider sends at most, spread "+
					"evenly, counting every request of the Terraform run with this key, whatever the parallelism. "+
					"Capgo's production API refuses more than 2000 per minute and key; at or below that, a run of any "+
					"size gets no refusal for it (one that still comes is waited out as its `Retry-After` asks). "+
					"`0` sends without pacing. Falls back to the `%s` environment variable, then to `%d`.",
					envRequestsPerMinute, capgo.DefaultRequestsPerMinute),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, capgo.MaxRequestsPerMinute)},
			},
		},
	}
}

// ValidateConfig rejects a malformed api_url at plan time, before anything talks to the API.
func (p *capgoProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var config capgoProviderModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !config.APIURL.IsNull() && !config.APIURL.IsUnknown() {
		if err := capgo.CheckBaseURL(config.APIURL.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("api_url"), "Invalid Capgo API URL", "api_url: "+err.Error())
		}
	}
	if !config.APIKey.IsNull() && !config.APIKey.IsUnknown() && strings.TrimSpace(config.APIKey.ValueString()) == "" {
		resp.Diagnostics.AddAttributeError(path.Root("api_key"), "Empty Capgo API key",
			"api_key is set but empty. Set it to a Capgo API key, or remove it to use the "+envAPIKey+" environment variable.")
	}
}

var (
	_ provider.ProviderWithValidateConfig = (*capgoProvider)(nil)
	_ provider.ProviderWithListResources  = (*capgoProvider)(nil)
)

func (p *capgoProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config capgoProviderModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// A value computed by another resource is unknown until apply, and the plan must not fail for
	// it. Terraform still refreshes resources and reads data sources with this unconfigured
	// provider: they get no client and the names of the unknown settings, and each either leaves
	// what it cannot know as it is or says which setting it is waiting for.
	if unknown := config.unknownSettings(); len(unknown) > 0 {
		tflog.Debug(ctx, "Capgo provider configuration not yet known; deferring client set-up",
			map[string]any{"unknown_settings": unknown})
		data := &providerData{unknownSettings: unknown}
		resp.DataSourceData, resp.ResourceData, resp.ListResourceData, resp.ActionData = data, data, data, data
		return
	}

	settings, diags := resolveSettings(config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	client, err := capgo.NewClient(capgo.Config{
		BaseURL:           settings.apiURL,
		APIKey:            settings.apiKey,
		UserAgent:         p.userAgent(req.TerraformVersion),
		MaxRetries:        &settings.maxRetries,
		RequestsPerMinute: &settings.requestsPerMinute,
		RequestTimeout:    settings.requestTimeout,
		OperationTimeout:  settings.operationTimeout,
	})
	if err != nil {
		resp.Diagnostics.AddError("Unable to create the Capgo API client", err.Error())
		return
	}
	data := &providerData{client: client}
	resp.DataSourceData, resp.ResourceData, resp.ListResourceData, resp.ActionData = data, data, data, data
}

// userAgent identifies the provider and the Terraform version to Capgo.
func (p *capgoProvider) userAgent(terraformVersion string) string {
	ua := "terraform-provider-capgo/" + p.version + " Terraform/" + terraformVersion
	if extra := strings.TrimSpace(os.Getenv(envAppendUserAgent)); extra != "" {
		ua += " " + extra
	}
	return ua
}

func (p *capgoProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewOrganizationResource,
		NewOrganizationMemberResource,
		NewOrganizationMembersResource,
		NewOrganizationSecurityResource,
		NewOrganizationWebhookResource,
	}
}

func (p *capgoProvider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{
		NewOrganizationWebhookTestAction,
	}
}

func (p *capgoProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewOrganizationDataSource,
		NewOrganizationsDataSource,
		NewOrganizationMembersDataSource,
		NewOrganizationWebhooksDataSource,
		NewOrganizationAuditLogDataSource,
	}
}

// ListResources are what `terraform query` (Terraform 1.14+) lists to import, one per resource.
func (p *capgoProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewOrganizationListResource,
		NewOrganizationMemberListResource,
		NewOrganizationMembersListResource,
		NewOrganizationWebhookListResource,
	}
}
