package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// listOrganizations runs the organization list resource with a configured client and returns its
// results.
func listOrganizations(t *testing.T, client *capgo.Client) []list.ListResult {
	t.Helper()
	ctx := t.Context()
	schemaResp := &resource.SchemaResponse{}
	(&organizationResource{}).Schema(ctx, resource.SchemaRequest{}, schemaResp)
	identityResp := &resource.IdentitySchemaResponse{}
	(&organizationResource{}).IdentitySchema(ctx, resource.IdentitySchemaRequest{}, identityResp)
	r := &organizationListResource{}
	r.Configure(ctx, resource.ConfigureRequest{ProviderData: &providerData{client: client}}, &resource.ConfigureResponse{})
	stream := &list.ListResultsStream{}
	r.List(ctx, list.ListRequest{ResourceSchema: schemaResp.Schema, ResourceIdentitySchema: identityResp.IdentitySchema}, stream)
	var results []list.ListResult
	for result := range stream.Results {
		results = append(results, result)
	}
	return results
}

// A list of organizations cut at the production API's limit says so, once; a shorter one, or a
// longer one from a server that does not cut, says nothing.
func TestOrganizationListWarnsWhenItMayBeTruncated(t *testing.T) {
	t.Parallel()
	for _, tt := range truncationCases {
		t.Run(fmt.Sprintf("%s/%d", tt.dialect, tt.count), func(t *testing.T) {
			t.Parallel()
			results := listOrganizations(t, adminWithOrganizations(t, tt.dialect, tt.count))
			var warnings []string
			for _, result := range results {
				if result.Diagnostics.HasError() {
					t.Fatalf("unexpected error: %v", result.Diagnostics)
				}
				for _, w := range result.Diagnostics.Warnings() {
					warnings = append(warnings, w.Summary()+": "+w.Detail())
				}
			}
			if want := min(tt.count, byDialect(tt.dialect, tt.count, capgo.OrganizationListLimit)); len(results) != want {
				t.Errorf("%d results, want %d", len(results), want)
			}
			switch {
			case !tt.wantWarning && len(warnings) != 0:
				t.Fatalf("unexpected warning: %s", warnings[0])
			case tt.wantWarning && (len(warnings) != 1 || !strings.Contains(warnings[0], "may be incomplete")):
				t.Fatalf("want one warning that the list may be incomplete, got %q", warnings)
			}
		})
	}
}
