package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The refresh's own reading of the state gives what the framework's would, for every shape a state
// takes: a full map, an empty one, and an import's, whose members and flag are null.
func TestOrganizationMembersFromValueMatchesTheFramework(t *testing.T) {
	ctx := context.Background()
	schemaResp := &resource.SchemaResponse{}
	(&organizationMembersResource{}).Schema(ctx, resource.SchemaRequest{}, schemaResp)
	full := membersModel(types.StringValue("o1"), true, map[string]string{"a@example.com": "write", "B@example.com": "org_admin"})
	full.Members["a@example.com"] = membershipEntry{Role: types.StringValue("write"), Status: types.StringValue("active"), UserID: types.StringValue("u1")}
	tests := map[string]organizationMembersModel{
		"full":     *full,
		"empty":    {ID: types.StringValue("o1"), OrganizationID: types.StringValue("o1"), ReinviteOnRoleChange: types.BoolValue(false), Members: map[string]membershipEntry{}},
		"imported": {ID: types.StringValue("o1"), OrganizationID: types.StringValue("o1"), ReinviteOnRoleChange: types.BoolNull()},
	}
	for name, model := range tests {
		t.Run(name, func(t *testing.T) {
			state := tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), nil)}
			if diags := state.Set(ctx, model); diags.HasError() {
				t.Fatal(diags)
			}
			var want organizationMembersModel
			if diags := state.Get(ctx, &want); diags.HasError() {
				t.Fatal(diags)
			}
			got, err := organizationMembersFromValue(state.Raw)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != want.ID || got.OrganizationID != want.OrganizationID || got.ReinviteOnRoleChange != want.ReinviteOnRoleChange ||
				(got.Members == nil) != (want.Members == nil) || len(got.Members) != len(want.Members) {
				t.Fatalf("got %+v, want %+v", got, want)
			}
			for email, entry := range want.Members {
				if got.Members[email] != entry {
					t.Errorf("%s: got %+v, want %+v", email, got.Members[email], entry)
				}
			}
		})
	}
}
