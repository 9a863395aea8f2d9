package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// memberPlanValue builds a member object as Terraform holds it; a nil map is a null object.
func memberPlanValue(t *testing.T, objectType tftypes.Object, attributes map[string]string) tftypes.Value {
	t.Helper()
	if attributes == nil {
		return tftypes.NewValue(objectType, nil)
	}
	values := map[string]tftypes.Value{}
	for name, attrType := range objectType.AttributeTypes {
		v, ok := attributes[name]
		switch {
		case !ok:
			values[name] = tftypes.NewValue(attrType, nil)
		case attrType.Is(tftypes.Bool):
			values[name] = tftypes.NewValue(tftypes.Bool, v == "true")
		default:
			values[name] = tftypes.NewValue(tftypes.String, v)
		}
	}
	return tftypes.NewValue(objectType, values)
}

func TestMemberPlanWarnsWhenASuperAdminGoes(t *testing.T) {
	ctx := context.Background()
	r := NewOrganizationMemberResource()
	schemaResp := &resource.SchemaResponse{}
	r.Schema(ctx, resource.SchemaRequest{}, schemaResp)
	objectType, ok := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("member schema is not an object")
	}
	member := func(email, role string) map[string]string {
		return map[string]string{"id": "o1/" + email, "organization_id": "o1", "email": email, "role": role, "status": "active"}
	}

	tests := []struct {
		name        string
		state, plan map[string]string
		wantWarning string
	}{
		{name: "destroying a super_admin", state: member("owner@example.com", "super_admin"), wantWarning: "destroys the membership of owner@example.com"},
		{name: "replacing a super_admin", state: member("owner@example.com", "super_admin"), plan: member("other@example.com", "super_admin"), wantWarning: "replaces the membership"},
		{name: "destroying a writer", state: member("dev@example.com", "write")},
		{name: "destroying an org_super_admin", state: member("owner@example.com", "org_super_admin"), wantWarning: "destroys the membership of owner@example.com"},
		{name: "changing the email's case", state: member("owner@example.com", "super_admin"), plan: member("Owner@Example.com", "super_admin")},
		{name: "creating", plan: member("owner@example.com", "super_admin")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := resource.ModifyPlanRequest{
				State: tfsdk.State{Schema: schemaResp.Schema, Raw: memberPlanValue(t, objectType, tt.state)},
				Plan:  tfsdk.Plan{Schema: schemaResp.Schema, Raw: memberPlanValue(t, objectType, tt.plan)},
			}
			resp := &resource.ModifyPlanResponse{Plan: req.Plan}
			r.(resource.ResourceWithModifyPlan).ModifyPlan(ctx, req, resp)
			if resp.Diagnostics.HasError() {
				t.Fatalf("unexpected error: %v", resp.Diagnostics)
			}
			warnings := resp.Diagnostics.Warnings()
			switch {
			case tt.wantWarning == "" && len(warnings) != 0:
				t.Fatalf("unexpected warning: %s", warnings[0].Detail())
			case tt.wantWarning != "" && (len(warnings) != 1 || !strings.Contains(warnings[0].Detail(), tt.wantWarning)):
				t.Fatalf("want one warning containing %q, got %v", tt.wantWarning, warnings)
			}
		})
	}
}
