package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Capgo compares emails without regard to case and answers with the email as the account
// registered it. emailType keeps whatever the configuration says when the API's answer differs
// only in case, so `Dev@Example.com` in a configuration and `dev@example.com` from the API is no
// diff.

var (
	_ basetypes.StringTypable                    = emailType{}
	_ basetypes.StringValuableWithSemanticEquals = emailValue{}
)

type emailType struct {
	basetypes.StringType
}

func (t emailType) String() string { return "provider.emailType" }

func (t emailType) Equal(o attr.Type) bool {
	_, ok := o.(emailType)
	return ok
}

func (t emailType) ValueType(context.Context) attr.Value { return emailValue{} }

func (t emailType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return emailValue{StringValue: in}, nil
}

func (t emailType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	value, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	stringValue, ok := value.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", value)
	}
	return emailValue{StringValue: stringValue}, nil
}

// emailValue is an email address that equals another if they differ only in case.
type emailValue struct {
	basetypes.StringValue
}

func newEmailValue(s string) emailValue {
	return emailValue{StringValue: basetypes.NewStringValue(s)}
}

func (v emailValue) Type(context.Context) attr.Type { return emailType{} }

func (v emailValue) Equal(o attr.Value) bool {
	other, ok := o.(emailValue)
	return ok && v.StringValue.Equal(other.StringValue)
}

func (v emailValue) StringSemanticEquals(_ context.Context, newValuable basetypes.StringValuable) (bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	newValue, ok := newValuable.(emailValue)
	if !ok {
		diags.AddError("Semantic equality check error",
			fmt.Sprintf("Expected an email value, got %T. This is a bug in the provider; please report it.", newValuable))
		return false, diags
	}
	return strings.EqualFold(v.ValueString(), newValue.ValueString()), diags
}
