package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// Capgo's production API stores some values in another form than it is sent: names without HTML
// tags and surrounding white space, websites normalised (capgo.app is stored as
// https://capgo.app/). A value it would rewrite is either refused at plan time, with the reason,
// or compared in the form Capgo stores, so that an apply never ends in an inconsistent result and
// the next plan is empty.

// htmlTag is what Capgo's production API removes from a name.
var htmlTag = regexp.MustCompile(`<[^>]*>`)

// storedAsWritten refuses a name Capgo would store otherwise than written.
func storedAsWritten() validator.String {
	return stringRule{
		description: "must not start or end with white space, nor hold HTML tags",
		problem: func(attribute path.Path, value string) (string, string) {
			switch {
			case strings.TrimSpace(value) == "":
				return "", "" // notBlank says so
			case strings.TrimSpace(value) != value:
				return "Name with surrounding white space", fmt.Sprintf("%s = %q: Capgo removes white space around "+
					"a name, so it would store %q and every plan would show a change. Write %s = %q.",
					attribute, value, strings.TrimSpace(value), attribute, strings.TrimSpace(value))
			case htmlTag.MatchString(value):
				stored := strings.TrimSpace(htmlTag.ReplaceAllString(value, ""))
				return "Name with HTML tags", fmt.Sprintf("%s = %q: Capgo removes HTML tags from a name, so it would "+
					"store %q. Write the name without tags.", attribute, value, stored)
			}
			return "", ""
		},
	}
}

// websiteAddress accepts what Capgo's production API stores as a website: an address with or
// without https://, not another scheme, and without a user or password.
func websiteAddress() validator.String {
	return stringRule{
		description: "must be a web address such as capgo.app or https://capgo.app",
		problem: func(attribute path.Path, value string) (string, string) {
			if strings.TrimSpace(value) == "" {
				return "Empty website", fmt.Sprintf("%s is empty. Remove it to have no website.", attribute)
			}
			if _, err := capgo.NormalizeWebsite(value); err != nil {
				return "Invalid website", fmt.Sprintf("%s: %s. Capgo takes a web address such as capgo.app or "+
					"https://capgo.app/pricing.", attribute, err)
			}
			return "", ""
		},
	}
}

// logoAddress accepts an absolute http(s) URL, or "" for no logo.
func logoAddress() validator.String {
	urlRule := absoluteURL()
	return stringRule{
		description: "must be an absolute http or https URL, or \"\" for no logo",
		problem: func(attribute path.Path, value string) (string, string) {
			if value == "" {
				return "", ""
			}
			return urlRule.problem(attribute, value)
		},
	}
}

// keepStoredWebsite plans no change when the configured website is the one in state in another
// form: the state holds what Capgo stored (https://capgo.app/), the configuration what the user
// wrote (capgo.app), as after an import.
type keepStoredWebsite struct{}

func (keepStoredWebsite) Description(context.Context) string {
	return "a website Capgo stores in another form is no change"
}

func (m keepStoredWebsite) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (keepStoredWebsite) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.PlanValue.IsUnknown() || req.PlanValue.IsNull() || req.StateValue.IsUnknown() || req.StateValue.IsNull() {
		return
	}
	if capgo.SameWebsite(req.PlanValue.ValueString(), req.StateValue.ValueString()) {
		resp.PlanValue = req.StateValue
	}
}
