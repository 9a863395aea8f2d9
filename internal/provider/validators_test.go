package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func runStringValidator(v validator.String, value types.String) string {
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("attr"), ConfigValue: value}, resp)
	var b strings.Builder
	for _, d := range resp.Diagnostics {
		b.WriteString(d.Detail())
	}
	return b.String()
}

func TestStringValidators(t *testing.T) {
	tests := []struct {
		name      string
		validator validator.String
		value     types.String
		wantError bool
	}{
		{"blank", notBlank(), types.StringValue(" \t"), true},
		{"empty", notBlank(), types.StringValue(""), true},
		{"not blank", notBlank(), types.StringValue("x"), false},
		{"null is left to Required", notBlank(), types.StringNull(), false},
		{"unknown waits for apply", notBlank(), types.StringUnknown(), false},
		{"email", emailAddress(), types.StringValue("dev@example.com"), false},
		{"email with plus", emailAddress(), types.StringValue("dev+ci@sub.example.com"), false},
		{"email with capitals", emailAddress(), types.StringValue("Dev@Example.com"), false},
		{"email without at", emailAddress(), types.StringValue("dev.example.com"), true},
		{"email with display name", emailAddress(), types.StringValue("Dev <dev@example.com>"), true},
		{"email with spaces", emailAddress(), types.StringValue(" dev@example.com"), true},
		{"two emails", emailAddress(), types.StringValue("a@example.com,b@example.com"), true},
		{"email unknown", emailAddress(), types.StringUnknown(), false},
		{"https url", absoluteURL(), types.StringValue("https://example.com/a.png"), false},
		{"http url", absoluteURL(), types.StringValue("http://example.com/a.png"), false},
		{"relative url", absoluteURL(), types.StringValue("/a.png"), true},
		{"ftp url", absoluteURL(), types.StringValue("ftp://example.com/a.png"), true},
		{"no host", absoluteURL(), types.StringValue("https:///a.png"), true},
		{"organization id", organizationID(), types.StringValue("0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b"), false},
		{"blank organization id", organizationID(), types.StringValue(" "), true},
		{"organization id with a slash", organizationID(), types.StringValue("org/dev@example.com"), true},
		{"organization id with a space", organizationID(), types.StringValue("org 1"), true},
		{"unknown organization id", organizationID(), types.StringUnknown(), false},
		{"name as stored", storedAsWritten(), types.StringValue("Mobile team"), false},
		{"name with surrounding space", storedAsWritten(), types.StringValue(" Mobile "), true},
		{"name with a trailing newline", storedAsWritten(), types.StringValue("Mobile\n"), true},
		{"name with html", storedAsWritten(), types.StringValue("<b>Mobile</b>"), true},
		{"name with a comparison", storedAsWritten(), types.StringValue("A > B"), false},
		{"website without scheme", websiteAddress(), types.StringValue("capgo.app"), false},
		{"website in capitals", websiteAddress(), types.StringValue("HTTPS://Capgo.app"), false},
		{"website with a port", websiteAddress(), types.StringValue("example.com:3000"), false},
		{"website of another scheme", websiteAddress(), types.StringValue("ftp://capgo.app"), true},
		{"website with a password", websiteAddress(), types.StringValue("https://me:secret@capgo.app"), true},
		{"empty website", websiteAddress(), types.StringValue(""), true},
		{"logo", logoAddress(), types.StringValue("https://example.com/a.png"), false},
		{"no logo", logoAddress(), types.StringValue(""), false},
		{"relative logo", logoAddress(), types.StringValue("a.png"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			detail := runStringValidator(tt.validator, tt.value)
			if (detail != "") != tt.wantError {
				t.Fatalf("error = %q, want error: %v", detail, tt.wantError)
			}
			if tt.wantError && !strings.Contains(detail, "attr") {
				t.Errorf("the error must name the attribute: %q", detail)
			}
		})
	}
}
