package provider

import (
	"context"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// The validators below run at plan time, so a typo is reported before anything reaches the API,
// with the attribute named and the fix spelled out.

// notBlankValidator rejects empty strings and strings of only white space: Capgo refuses them, but
// only at apply.
type notBlankValidator struct{}

func notBlank() validator.String { return notBlankValidator{} }

func (notBlankValidator) Description(context.Context) string {
	return "must not be empty or blank"
}

func (v notBlankValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (notBlankValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if strings.TrimSpace(req.ConfigValue.ValueString()) == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Blank "+req.Path.String(),
			fmt.Sprintf("%s must not be empty or only white space; give it a value such as \"My team\".", req.Path))
	}
}

// emailValidator accepts one bare address (name@domain), the only form Capgo takes.
type emailValidator struct{}

func emailAddress() validator.String { return emailValidator{} }

func (emailValidator) Description(context.Context) string {
	return "must be a single email address such as dev@example.com"
}

func (v emailValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (emailValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value := req.ConfigValue.ValueString()
	if !isEmailAddress(value) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid email address",
			fmt.Sprintf("%s = %q is not an email address. Use a bare address such as dev@example.com, "+
				"without a display name, angle brackets or spaces.", req.Path, value))
	}
}

// emailDomain is a host name with at least one dot, as the domain of an account's email has.
var emailDomain = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$`)

// isEmailAddress reports whether s is exactly one bare address, name@host.domain.
func isEmailAddress(s string) bool {
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		return false
	}
	at := strings.LastIndex(s, "@")
	return at > 0 && emailDomain.MatchString(s[at+1:])
}

// absoluteURLValidator accepts an absolute http or https URL, as Capgo expects for logos.
type absoluteURLValidator struct{}

func absoluteURL() validator.String { return absoluteURLValidator{} }

func (absoluteURLValidator) Description(context.Context) string {
	return "must be an absolute http or https URL"
}

func (v absoluteURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (absoluteURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value := req.ConfigValue.ValueString()
	u, err := url.Parse(value)
	if err != nil || !u.IsAbs() || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL",
			fmt.Sprintf("%s = %q is not an absolute http(s) URL. Use a full address such as "+
				"https://example.com/logo.png, or remove %s to have none.", req.Path, value, req.Path))
	}
}

// organizationIDValidator accepts what can be an organization ID: Capgo's IDs are opaque, but
// never blank and never hold white space or a slash (the member import ID uses one as separator).
type organizationIDValidator struct{}

func organizationID() validator.String { return organizationIDValidator{} }

func (organizationIDValidator) Description(context.Context) string {
	return "must be an organization ID, without spaces or slashes"
}

func (v organizationIDValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (organizationIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value := req.ConfigValue.ValueString()
	if !isOrganizationID(value) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid organization ID",
			fmt.Sprintf("%s = %q is not an organization ID. Refer to a managed organization with "+
				"capgo_organization.<name>.id, or copy an ID from the capgo_organizations data source.", req.Path, value))
	}
}

// isOrganizationID reports whether s can be an organization ID.
func isOrganizationID(s string) bool {
	return strings.TrimSpace(s) != "" && !strings.ContainsAny(s, "/ \t\r\n")
}
