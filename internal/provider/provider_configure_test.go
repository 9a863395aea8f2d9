package provider

import (
	"context"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// providerConfig builds the provider block as Terraform would send it. A nil value is null;
// tftypes.UnknownValue stands for a value only known at apply.
func providerConfig(t *testing.T, apiKey, apiURL any) tfsdk.Config {
	t.Helper()
	return providerConfigWith(t, map[string]any{"api_key": apiKey, "api_url": apiURL})
}

// providerConfigWith builds the provider block from attribute values (strings, int64s, nil or
// tftypes.UnknownValue); attributes not given are null.
func providerConfigWith(t *testing.T, settings map[string]any) tfsdk.Config {
	t.Helper()
	ctx := context.Background()
	schemaResp := &provider.SchemaResponse{}
	New("test")().Schema(ctx, provider.SchemaRequest{}, schemaResp)
	objectType, ok := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("provider schema is not an object")
	}
	values := map[string]tftypes.Value{}
	for name, attrType := range objectType.AttributeTypes {
		v := settings[name]
		if n, isInt := v.(int64); isInt {
			v = new(big.Float).SetInt64(n)
		}
		values[name] = tftypes.NewValue(attrType, v)
	}
	for name := range settings {
		if _, known := objectType.AttributeTypes[name]; !known {
			t.Fatalf("the provider has no attribute %q", name)
		}
	}
	return tfsdk.Config{Schema: schemaResp.Schema, Raw: tftypes.NewValue(objectType, values)}
}

func configure(t *testing.T, config tfsdk.Config) *provider.ConfigureResponse {
	t.Helper()
	resp := &provider.ConfigureResponse{}
	p := New("1.2.3")()
	p.Configure(context.Background(), provider.ConfigureRequest{TerraformVersion: "1.11.4", Config: config}, resp)
	return resp
}

func diagnosticsText(resp *provider.ConfigureResponse) string {
	var b strings.Builder
	for _, d := range resp.Diagnostics {
		b.WriteString(d.Summary() + ": " + d.Detail() + "\n")
	}
	return b.String()
}

// headerRecorder is an API stand-in that remembers the headers of the last request.
type headerRecorder struct {
	mu     sync.Mutex
	header http.Header
}

func (h *headerRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.header = r.Header.Clone()
	h.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"data": []}`))
}

func (h *headerRecorder) last() http.Header {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.header
}

func clearProviderEnv(t *testing.T) {
	t.Helper()
	t.Setenv(envAPIKey, "")
	t.Setenv(envAPIURL, "")
	t.Setenv(envAppendUserAgent, "")
	t.Setenv(envMaxRetries, "")
	t.Setenv(envRequestTimeout, "")
	t.Setenv(envOperationTimeout, "")
	t.Setenv(envRequestsPerMinute, "")
}

func TestConfigureMissingAPIKey(t *testing.T) {
	clearProviderEnv(t)
	resp := configure(t, providerConfig(t, nil, nil))
	if !resp.Diagnostics.HasError() {
		t.Fatal("expected an error when no API key is configured")
	}
	text := diagnosticsText(resp)
	for _, want := range []string{"api_key", "CAPGO_API_KEY"} {
		if !strings.Contains(text, want) {
			t.Errorf("error should name %q, got:\n%s", want, text)
		}
	}
	if resp.ResourceData != nil {
		t.Error("no client may be configured without a key")
	}
}

func TestConfigureAPIURLValidation(t *testing.T) {
	tests := []struct {
		name    string
		url     string
		wantErr string
	}{
		{name: "https", url: "https://api.capgo.app"},
		{name: "https with path", url: "https://capgo.example.com/api/"},
		{name: "http on 127.0.0.1", url: "http://127.0.0.1:8787"},
		{name: "http on 127.1.2.3", url: "http://127.1.2.3:8787"},
		{name: "http on localhost", url: "http://localhost:8787"},
		{name: "http on ::1", url: "http://[::1]:8787"},
		{name: "http elsewhere", url: "http://api.capgo.app", wantErr: "plain http"},
		{name: "http on a private address", url: "http://10.0.0.1", wantErr: "plain http"},
		{name: "relative", url: "api.capgo.app", wantErr: "not an absolute URL"},
		{name: "other scheme", url: "ftp://api.capgo.app", wantErr: "must use https"},
		{name: "empty", url: "", wantErr: "not an absolute URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearProviderEnv(t)
			resp := configure(t, providerConfig(t, "secret-key", tt.url))
			text := diagnosticsText(resp)
			if tt.wantErr == "" {
				if resp.Diagnostics.HasError() {
					t.Fatalf("unexpected error: %s", text)
				}
				clientOf(t, resp.ResourceData)
				return
			}
			if !resp.Diagnostics.HasError() {
				t.Fatalf("expected an error containing %q", tt.wantErr)
			}
			if !strings.Contains(text, tt.wantErr) || !strings.Contains(text, "api_url") {
				t.Errorf("error should name api_url and say %q, got:\n%s", tt.wantErr, text)
			}
			if strings.Contains(text, "secret-key") {
				t.Errorf("error leaks the API key:\n%s", text)
			}
		})
	}
}

func TestConfigureInvalidURLFromEnvironment(t *testing.T) {
	clearProviderEnv(t)
	t.Setenv(envAPIURL, "http://capgo.example.com")
	resp := configure(t, providerConfig(t, "k", nil))
	if !strings.Contains(diagnosticsText(resp), envAPIURL) {
		t.Fatalf("error should name %s, got:\n%s", envAPIURL, diagnosticsText(resp))
	}
}

// clientOf is the API client in what Configure handed to resources and data sources.
func clientOf(t *testing.T, data any) *capgo.Client {
	t.Helper()
	pd, ok := data.(*providerData)
	if !ok || pd.client == nil {
		t.Fatalf("expected provider data with a client, got %#v", data)
	}
	return pd.client
}

func TestConfigureUnknownValuesDoNotFailThePlan(t *testing.T) {
	clearProviderEnv(t)
	unknown := tftypes.UnknownValue
	for name, tt := range map[string]struct {
		config  tfsdk.Config
		unknown string
	}{
		"unknown key": {providerConfig(t, unknown, nil), "api_key"},
		"unknown url": {providerConfig(t, "k", unknown), "api_url"},
	} {
		t.Run(name, func(t *testing.T) {
			resp := configure(t, tt.config)
			if resp.Diagnostics.HasError() {
				t.Fatalf("unknown values must not fail the plan: %s", diagnosticsText(resp))
			}
			// Terraform still refreshes and reads data sources with this provider: they must get no
			// client, and the name of the setting they wait for.
			for _, data := range []any{resp.ResourceData, resp.DataSourceData} {
				pd, ok := data.(*providerData)
				if !ok {
					t.Fatalf("expected *providerData, got %T", data)
				}
				if pd.client != nil {
					t.Fatal("no client can be built before the values are known")
				}
				if len(pd.unknownSettings) != 1 || pd.unknownSettings[0] != tt.unknown {
					t.Fatalf("unknown settings = %v, want [%s]", pd.unknownSettings, tt.unknown)
				}
			}
		})
	}
}

// TestConfigureHeaders checks what the configured client actually sends: the key as it is, in the
// authorization header, and the User-Agent with both versions.
func TestConfigureHeaders(t *testing.T) {
	recorder := &headerRecorder{}
	server := httptest.NewServer(recorder)
	defer server.Close()

	tests := []struct {
		name       string
		configKey  any
		configURL  any
		env        map[string]string
		wantKey    string
		wantSuffix string
	}{
		{
			name:      "from configuration",
			configKey: "configured-key",
			configURL: server.URL,
			env:       map[string]string{envAPIKey: "environment-key"},
			wantKey:   "configured-key",
		},
		{
			name:    "from environment",
			env:     map[string]string{envAPIKey: "environment-key", envAPIURL: server.URL},
			wantKey: "environment-key",
		},
		{
			name:       "with an appended user agent",
			configKey:  "configured-key",
			configURL:  server.URL,
			env:        map[string]string{envAppendUserAgent: "ci-runner/7"},
			wantKey:    "configured-key",
			wantSuffix: " ci-runner/7",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearProviderEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			resp := configure(t, providerConfig(t, tt.configKey, tt.configURL))
			if resp.Diagnostics.HasError() {
				t.Fatal(diagnosticsText(resp))
			}
			client := clientOf(t, resp.ResourceData)
			if resp.DataSourceData != resp.ResourceData {
				t.Error("resources and data sources should share one client")
			}
			if _, err := client.ListOrganizations(context.Background()); err != nil {
				t.Fatal(err)
			}
			header := recorder.last()
			if got := header.Get("Authorization"); got != tt.wantKey {
				t.Errorf("authorization header = %q, want the raw key %q", got, tt.wantKey)
			}
			wantUA := "terraform-provider-capgo/1.2.3 Terraform/1.11.4" + tt.wantSuffix
			if got := header.Get("User-Agent"); got != wantUA {
				t.Errorf("User-Agent = %q, want %q", got, wantUA)
			}
		})
	}
}

func TestValidateConfigRejectsEmptyKeyAndBadURL(t *testing.T) {
	p := &capgoProvider{version: "test"}
	resp := &provider.ValidateConfigResponse{}
	p.ValidateConfig(context.Background(), provider.ValidateConfigRequest{Config: providerConfig(t, " ", "http://capgo.example.com")}, resp)
	got := map[string]bool{}
	for _, d := range resp.Diagnostics {
		if withPath, ok := d.(diag.DiagnosticWithPath); ok {
			got[withPath.Path().String()] = true
		}
	}
	if len(resp.Diagnostics) != 2 || !got["api_key"] || !got["api_url"] {
		t.Fatalf("expected one error on api_key and one on api_url, got: %v", resp.Diagnostics)
	}
}
