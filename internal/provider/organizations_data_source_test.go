package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// readOrganizations runs the capgo_organizations data source's Read against a client.
func readOrganizations(t *testing.T, client *capgo.Client) *datasource.ReadResponse {
	t.Helper()
	ctx := context.Background()
	d := &organizationsDataSource{}
	d.Configure(ctx, datasource.ConfigureRequest{ProviderData: &providerData{client: client}},
		&datasource.ConfigureResponse{})
	schemaResp := &datasource.SchemaResponse{}
	d.Schema(ctx, datasource.SchemaRequest{}, schemaResp)
	objectType := schemaResp.Schema.Type().TerraformType(ctx)
	resp := &datasource.ReadResponse{State: tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(objectType, nil)}}
	d.Read(ctx, datasource.ReadRequest{Config: tfsdk.Config{Schema: schemaResp.Schema, Raw: tftypes.NewValue(objectType, nil)}}, resp)
	return resp
}

// truncationCases are lists of organizations around the production API's limit of 50.
var truncationCases = []struct {
	dialect     string
	count       int
	wantWarning bool
}{
	{mockserver.DialectRBAC, 49, false},
	{mockserver.DialectRBAC, 60, true},
	{mockserver.DialectDocs, 60, false}, // longer than the limit: from a server that does not cut
}

// adminWithOrganizations is a client of the admin of a mock of dialect where the admin belongs to
// count organizations.
func adminWithOrganizations(t *testing.T, dialect string, count int) *capgo.Client {
	t.Helper()
	mock := newAccMockIn(t, dialect)
	client := mock.client(mockserver.AdminAPIKey)
	// The production API lists the admin's seeded organization of its own as well.
	for i := len(mock.adminsSeededOrganizations()); i < count; i++ {
		_, err := client.CreateOrganization(bg, capgo.CreateOrganizationRequest{Name: fmt.Sprintf("Org %02d", i)})
		mock.mustDo("create an organization", err)
	}
	return client
}

// Capgo's production API lists at most 50 organizations: a list of that many may be incomplete,
// and the data source says so instead of passing it off as the whole.
func TestOrganizationsDataSourceWarnsWhenTheListMayBeTruncated(t *testing.T) {
	t.Parallel()
	for _, tt := range truncationCases {
		t.Run(fmt.Sprintf("%s/%d", tt.dialect, tt.count), func(t *testing.T) {
			t.Parallel()
			client := adminWithOrganizations(t, tt.dialect, tt.count)
			resp := readOrganizations(t, client)
			if resp.Diagnostics.HasError() {
				t.Fatalf("unexpected error: %v", resp.Diagnostics)
			}
			warnings := resp.Diagnostics.Warnings()
			switch {
			case !tt.wantWarning && len(warnings) != 0:
				t.Fatalf("unexpected warning: %s", warnings[0].Detail())
			case tt.wantWarning && (len(warnings) != 1 || !strings.Contains(warnings[0].Detail(), "capgo_organization data source")):
				t.Fatalf("want one warning pointing to the capgo_organization data source, got %v", warnings)
			}
		})
	}
}
