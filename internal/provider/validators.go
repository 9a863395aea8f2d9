package provider

import (
	"context"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// The validators below run at plan time, so a typo is reported before anything reaches the API,
// with the attribute named and the fix spelled out.

// stringRule is a plan-time check of a string attribute. problem says why a value is refused, as
// an error summary and detail, or returns an empty summary for a value it accepts. Null and
// unknown values are left to Required and to apply time.
type stringRule struct {
	description string
	problem     func(attribute path.Path, value string) (summary, detail string)
}

func (r stringRule) Description(context.Context) string { return r.description }

func (r stringRule) MarkdownDescription(context.Context) string { return r.description }

func (r stringRule) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if summary, detail := r.problem(req.Path, req.ConfigValue.ValueString()); summary != "" {
		resp.Diagnostics.AddAttributeError(req.Path, summary, detail)
	}
}

// notBlank rejects empty strings and strings of only white space: Capgo refuses them, but only at
// apply.
func notBlank() validator.String {
	return stringRule{
		description: "must not be empty or blank",
		problem: func(attribute path.Path, value string) (string, string) {
			if strings.TrimSpace(value) != "" {
				return "", ""
			}
			return "Blank " + attribute.String(), fmt.Sprintf("%s must not be empty or only white space; give it "+
				"a value such as \"My team\".", attribute)
		},
	}
}

// emailAddress accepts one bare address (name@domain), the only form Capgo takes.
func emailAddress() validator.String {
	return stringRule{
		description: "must be a single email address such as dev@example.com",
		problem: func(attribute path.Path, value string) (string, string) {
			if isEmailAddress(value) {
				return "", ""
			}
			return "Invalid email address", fmt.Sprintf("%s = %q is not an email address. Use a bare address "+
				"such as dev@example.com, without a display name, angle brackets or spaces.", attribute, value)
		},
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

// absoluteURL accepts an absolute http or https URL, as Capgo expects for logos and websites.
func absoluteURL() stringRule {
	return stringRule{
		description: "must be an absolute http or https URL",
		problem: func(attribute path.Path, value string) (string, string) {
			u, err := url.Parse(value)
			if err == nil && u.IsAbs() && u.Host != "" && (u.Scheme == "https" || u.Scheme == "http") {
				return "", ""
			}
			return "Invalid URL", fmt.Sprintf("%s = %q is not an absolute http(s) URL. Use a full address such "+
				"as https://example.com/logo.png, or remove %s to have none.", attribute, value, attribute)
		},
	}
}

// organizationID accepts what can be an organization ID: Capgo's IDs are opaque, but never blank
// and never hold white space or a slash (the member import ID uses one as separator).
func organizationID() validator.String {
	return stringRule{
		description: "must be an organization ID, without spaces or slashes",
		problem: func(attribute path.Path, value string) (string, string) {
			if isOrganizationID(value) {
				return "", ""
			}
			return "Invalid organization ID", fmt.Sprintf("%s = %q is not an organization ID. Refer to a managed "+
				"organization with capgo_organization.<name>.id, or copy an ID from the capgo_organizations data "+
				"source.", attribute, value)
		},
	}
}

// isOrganizationID reports whether s can be an organization ID.
func isOrganizationID(s string) bool {
	return strings.TrimSpace(s) != "" && !strings.ContainsAny(s, "/ \t\r\n")
}
