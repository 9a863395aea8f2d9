package main

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestStoreMakesEveryValueKnown(t *testing.T) {
	objectType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"email": tftypes.String, "id": tftypes.String, "reinvite": tftypes.Bool, "count": tftypes.Number,
		"image_url": tftypes.String,
	}}
	plan := tftypes.NewValue(objectType, map[string]tftypes.Value{
		"email":     tftypes.NewValue(tftypes.String, "dev@example.com"),
		"id":        tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"reinvite":  tftypes.NewValue(tftypes.Bool, tftypes.UnknownValue),
		"count":     tftypes.NewValue(tftypes.Number, tftypes.UnknownValue),
		"image_url": tftypes.NewValue(tftypes.String, nil),
	})
	want := tftypes.NewValue(objectType, map[string]tftypes.Value{
		"email":     tftypes.NewValue(tftypes.String, "dev@example.com"),
		"id":        tftypes.NewValue(tftypes.String, "schemaonly"),
		"reinvite":  tftypes.NewValue(tftypes.Bool, false),
		"count":     tftypes.NewValue(tftypes.Number, 0),
		"image_url": tftypes.NewValue(tftypes.String, nil),
	})

	var state tftypes.Value
	var diags diag.Diagnostics
	store(plan, &state, &diags)
	if diags.HasError() {
		t.Fatalf("store: %v", diags)
	}
	if !state.Equal(want) {
		t.Errorf("store gave\n%s\nwant\n%s", state, want)
	}
	if !state.IsFullyKnown() {
		t.Error("the state still holds unknown values")
	}
}
