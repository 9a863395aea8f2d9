package provider

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// clientSettings is the provider's configuration once every fallback has been applied.
type clientSettings struct {
	apiKey            string
	apiURL            string
	maxRetries        int
	requestTimeout    time.Duration
	operationTimeout  time.Duration
	requestsPerMinute int
}

// resolveSettings applies, for each setting, the provider block, then its environment variable,
// then the default. Errors name both the attribute and the variable, and never echo the key.
func resolveSettings(config capgoProviderModel) (clientSettings, diag.Diagnostics) {
	var diags diag.Diagnostics
	settings := clientSettings{
		apiKey: os.Getenv(envAPIKey),
		apiURL: capgo.DefaultBaseURL,
	}

	if !config.APIKey.IsNull() {
		settings.apiKey = config.APIKey.ValueString()
	}
	if strings.TrimSpace(settings.apiKey) == "" {
		diags.AddAttributeError(path.Root("api_key"), "Missing Capgo API key",
			"The provider needs a Capgo API key. Set the api_key attribute in the provider block, or the "+
				envAPIKey+" environment variable. Keys are created in the Capgo console.")
	}

	urlSource := "api_url"
	if !config.APIURL.IsNull() {
		settings.apiURL = config.APIURL.ValueString()
	} else if v := os.Getenv(envAPIURL); v != "" {
		settings.apiURL, urlSource = v, "The "+envAPIURL+" environment variable"
	}
	if err := capgo.CheckBaseURL(settings.apiURL); err != nil {
		diags.AddAttributeError(path.Root("api_url"), "Invalid Capgo API URL", urlSource+": "+err.Error())
	}

	settings.maxRetries = wholeNumberSetting(config.MaxRetries, &diags, wholeNumber{
		attribute: "max_retries", env: envMaxRetries, summary: "Invalid retry count",
		valid: capgo.CheckMaxRetries, fallback: capgo.DefaultMaxRetries,
		rangeText: fmt.Sprintf("0 to %d", capgo.MaxMaxRetries),
	})
	settings.requestsPerMinute = wholeNumberSetting(config.RequestsPerMinute, &diags, wholeNumber{
		attribute: "requests_per_minute", env: envRequestsPerMinute, summary: "Invalid request rate",
		valid: capgo.CheckRequestsPerMinute, fallback: capgo.DefaultRequestsPerMinute,
		rangeText: fmt.Sprintf("0 (no pacing) to %d", capgo.MaxRequestsPerMinute),
	})

	settings.requestTimeout = durationSetting(config.RequestTimeout, &diags, requestTimeoutSetting)
	settings.operationTimeout = durationSetting(config.OperationTimeout, &diags, operationTimeoutSetting)
	return settings, diags
}

// duration describes a duration setting with an environment variable.
type duration struct {
	attribute, env, summary string
	parse                   func(string) (time.Duration, error)
	fallback                time.Duration
}

var (
	requestTimeoutSetting = duration{attribute: "request_timeout", env: envRequestTimeout, summary: "Invalid request timeout",
		parse: capgo.ParseRequestTimeout, fallback: capgo.DefaultRequestTimeout}
	operationTimeoutSetting = duration{attribute: "operation_timeout", env: envOperationTimeout,
		summary: "Invalid operation timeout", parse: capgo.ParseOperationTimeout, fallback: capgo.DefaultOperationTimeout}
)

// durationSetting applies the attribute, then its environment variable, then the default.
func durationSetting(attribute types.String, diags *diag.Diagnostics, d duration) time.Duration {
	source, value := "", ""
	if !attribute.IsNull() {
		source, value = d.attribute, attribute.ValueString()
	} else if v := os.Getenv(d.env); v != "" {
		source, value = "The "+d.env+" environment variable", v
	}
	if source == "" {
		return d.fallback
	}
	parsed, err := d.parse(value)
	if err != nil {
		diags.AddAttributeError(path.Root(d.attribute), d.summary, source+": "+err.Error())
	}
	return parsed
}

// durationRule checks a duration setting at plan time.
func durationRule(d duration) validator.String {
	return stringRule{
		description: "must be a duration such as 30s or 2m",
		problem: func(_ path.Path, value string) (string, string) {
			if _, err := d.parse(value); err != nil {
				return d.summary, d.attribute + ": " + err.Error()
			}
			return "", ""
		},
	}
}

// wholeNumber describes a whole-number setting with an environment variable.
type wholeNumber struct {
	attribute, env, summary, rangeText string
	valid                              func(int) error
	fallback                           int
}

// wholeNumberSetting is the setting's value: from the provider block (checked by its schema), then
// from its environment variable, then its default.
func wholeNumberSetting(configured types.Int64, diags *diag.Diagnostics, setting wholeNumber) int {
	if !configured.IsNull() {
		return int(configured.ValueInt64())
	}
	v := os.Getenv(setting.env)
	if v == "" {
		return setting.fallback
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err == nil {
		err = setting.valid(n)
	}
	if err != nil {
		diags.AddAttributeError(path.Root(setting.attribute), setting.summary,
			fmt.Sprintf("The %s environment variable is %q; set it to a whole number from %s, or unset it to use "+
				"the default of %d.", setting.env, v, setting.rangeText, setting.fallback))
	}
	return n
}
