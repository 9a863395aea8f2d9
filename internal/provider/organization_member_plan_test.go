package provider

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
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
	r := &organizationMemberResource{}
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
			r.ModifyPlan(ctx, req, resp)
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

// planDestroyWarnings runs ModifyPlan for the destroy of email's membership of orgID, with a
// configured client, and returns the warnings' details.
func planDestroyWarnings(t *testing.T, client *capgo.Client, orgID, email, role string) []string {
	t.Helper()
	ctx := context.Background()
	r := &organizationMemberResource{}
	r.Configure(ctx, resource.ConfigureRequest{ProviderData: &providerData{client: client}},
		&resource.ConfigureResponse{})
	schemaResp := &resource.SchemaResponse{}
	r.Schema(ctx, resource.SchemaRequest{}, schemaResp)
	objectType, _ := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	state := map[string]string{"id": orgID + "/" + email, "organization_id": orgID, "email": email, "role": role, "status": "active"}
	req := resource.ModifyPlanRequest{
		State: tfsdk.State{Schema: schemaResp.Schema, Raw: memberPlanValue(t, objectType, state)},
		Plan:  tfsdk.Plan{Schema: schemaResp.Schema, Raw: memberPlanValue(t, objectType, nil)},
	}
	resp := &resource.ModifyPlanResponse{Plan: req.Plan}
	r.ModifyPlan(ctx, req, resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("unexpected error: %v", resp.Diagnostics)
	}
	var details []string
	for _, w := range resp.Diagnostics.Warnings() {
		details = append(details, w.Summary()+": "+w.Detail())
	}
	return details
}

// With the member list at hand, a planned removal says what the provider knows: the last accepted
// super_admin's removal will be refused; the key's own membership costs Terraform its access;
// another super_admin goes without a word.
func TestMemberPlanSaysWhatTheProviderKnows(t *testing.T) {
	t.Parallel()
	for _, dialect := range dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			mock := newAccMockIn(t, dialect)
			admin := mock.client(mockserver.AdminAPIKey)
			superAdmin := byDialect(dialect, "super_admin", "org_super_admin")
			orgID, err := admin.CreateOrganization(bg, capgo.CreateOrganizationRequest{Name: "Mobile"})
			mock.mustDo("create the organization", err)

			// The key's user is the only super_admin.
			warnings := planDestroyWarnings(t, mock.client(mockserver.AdminAPIKey), orgID, mockserver.AdminEmail, superAdmin)
			if len(warnings) != 1 || !strings.Contains(warnings[0], "the last accepted super_admin") ||
				!strings.Contains(warnings[0], "will refuse") || strings.Contains(warnings[0], "If they are") {
				t.Fatalf("last super_admin: want one definite warning, got %q", warnings)
			}

			// A second accepted super_admin, and a second organization where the key's user is alone:
			// the provider can tell whose key it holds.
			_, err = admin.AddMember(bg, capgo.AddMemberRequest{OrganizationID: orgID, Email: mockserver.OpsEmail, Role: superAdmin})
			mock.mustDo("invite ops", err)
			mock.mustDo("accept", mock.AcceptInvitation(orgID, mockserver.OpsEmail))
			mock.giveKeyUserAnOrganizationOfItsOwn()

			warnings = planDestroyWarnings(t, mock.client(mockserver.AdminAPIKey), orgID, mockserver.AdminEmail, superAdmin)
			if len(warnings) != 1 || !strings.Contains(warnings[0], "Terraform will lose access") {
				t.Fatalf("the key's own membership: want the lost-access warning, got %q", warnings)
			}
			if warnings := planDestroyWarnings(t, mock.client(mockserver.AdminAPIKey), orgID, mockserver.OpsEmail, superAdmin); len(warnings) != 0 {
				t.Fatalf("another super_admin, with the key's user known: want no warning, got %q", warnings)
			}
		})
	}
}

// An invitation the server confirmed but that could not be read back stays in the state, pending,
// with a warning: an error would taint the membership, and its replacement would remove and
// re-invite someone who may have accepted meanwhile.
func TestMemberCreateKeepsAnInvitationNotReadBack(t *testing.T) {
	var gets, posts atomic.Int32
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet && gets.Add(1) == 1:
			_, _ = io.WriteString(w, `[{"uid":"u-admin","email":"admin@example.com","image_url":"","role":"org_super_admin","is_tmp":false}]`)
		case r.Method == http.MethodGet:
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"error":"unknown_error","message":"boom","moreInfo":{}}`)
		case r.Method == http.MethodPost:
			posts.Add(1)
			_, _ = io.WriteString(w, `{"status":"ok"}`)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(server.Close)
	noRetries := 0
	client, err := capgo.NewClient(capgo.Config{BaseURL: server.URL, APIKey: "k", MaxRetries: &noRetries})
	if err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	r := &organizationMemberResource{configured{client: client}}
	schemaResp := &resource.SchemaResponse{}
	r.Schema(ctx, resource.SchemaRequest{}, schemaResp)
	objectType, _ := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	plan := memberPlanValue(t, objectType, map[string]string{"organization_id": "o1", "email": "dev@example.com", "role": "write",
		"reinvite_on_role_change": "false"})
	resp := &resource.CreateResponse{State: tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(objectType, nil)}}
	r.Create(ctx, resource.CreateRequest{Plan: tfsdk.Plan{Schema: schemaResp.Schema, Raw: plan}}, resp)

	if resp.Diagnostics.HasError() {
		t.Fatalf("the create failed, which taints the membership: %v", resp.Diagnostics)
	}
	if len(resp.Diagnostics.Warnings()) != 1 || !strings.Contains(resp.Diagnostics.Warnings()[0].Detail(), "dev@example.com") {
		t.Errorf("want one warning naming the member, got %v", resp.Diagnostics)
	}
	var state memberModel
	if diags := resp.State.Get(ctx, &state); diags.HasError() {
		t.Fatal(diags)
	}
	if state.Status.ValueString() != statusPending || state.Role.ValueString() != "write" || state.ID.ValueString() != "o1/dev@example.com" {
		t.Errorf("state: status %s, role %s, id %s; want pending, write, o1/dev@example.com", state.Status, state.Role, state.ID)
	}
	if posts.Load() != 1 {
		t.Errorf("%d invitations sent, want 1", posts.Load())
	}
}
