package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

func TestOrganizationFromAPI(t *testing.T) {
	logo, customer, empty := "https://example.com/logo.png", "cus_123", ""
	tests := map[string]struct {
		in   capgo.Organization
		want organizationModel
	}{
		"every field": {
			in: capgo.Organization{
				ID: "o1", Name: "Mobile", ManagementEmail: "b@example.com", Logo: &logo, CustomerID: &customer,
				CreatedBy: "u1", CreatedAt: "2026-01-01T00:00:00Z", UpdatedAt: "2026-01-02T00:00:00Z",
			},
			want: organizationModel{
				ID: types.StringValue("o1"), Name: types.StringValue("Mobile"),
				ManagementEmail: types.StringValue("b@example.com"), Logo: types.StringValue(logo),
				CustomerID: types.StringValue(customer), CreatedBy: types.StringValue("u1"),
				CreatedAt: types.StringValue("2026-01-01T00:00:00Z"), UpdatedAt: types.StringValue("2026-01-02T00:00:00Z"),
			},
		},
		"absent optionals are null": {
			in: capgo.Organization{ID: "o2", Name: "N", ManagementEmail: "m@example.com", CreatedBy: "u", CreatedAt: "c", UpdatedAt: "u"},
			want: organizationModel{
				ID: types.StringValue("o2"), Name: types.StringValue("N"), ManagementEmail: types.StringValue("m@example.com"),
				Logo: types.StringNull(), CustomerID: types.StringNull(), CreatedBy: types.StringValue("u"),
				CreatedAt: types.StringValue("c"), UpdatedAt: types.StringValue("u"),
			},
		},
		"empty strings are null, so a cleared logo is no diff": {
			in: capgo.Organization{ID: "o3", Name: "N", ManagementEmail: "m@example.com", Logo: &empty, CustomerID: &empty, CreatedBy: "u", CreatedAt: "c", UpdatedAt: "u"},
			want: organizationModel{
				ID: types.StringValue("o3"), Name: types.StringValue("N"), ManagementEmail: types.StringValue("m@example.com"),
				Logo: types.StringNull(), CustomerID: types.StringNull(), CreatedBy: types.StringValue("u"),
				CreatedAt: types.StringValue("c"), UpdatedAt: types.StringValue("u"),
			},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := organizationFromAPI(&tt.in); got != tt.want {
				t.Errorf("organizationFromAPI() =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestOrganizationWithUnknownsNulled(t *testing.T) {
	in := organizationModel{
		ID: types.StringValue("o1"), Name: types.StringValue("N"), ManagementEmail: types.StringUnknown(),
		Logo: types.StringNull(), CreatedBy: types.StringUnknown(), CreatedAt: types.StringUnknown(),
		UpdatedAt: types.StringUnknown(), CustomerID: types.StringUnknown(),
	}
	got := in.withUnknownsNulled()
	want := organizationModel{
		ID: types.StringValue("o1"), Name: types.StringValue("N"), ManagementEmail: types.StringNull(),
		Logo: types.StringNull(), CreatedBy: types.StringNull(), CreatedAt: types.StringNull(),
		UpdatedAt: types.StringNull(), CustomerID: types.StringNull(),
	}
	if got != want {
		t.Errorf("withUnknownsNulled() =\n%+v\nwant\n%+v", got, want)
	}
	if !in.ManagementEmail.IsUnknown() {
		t.Error("withUnknownsNulled must not change its receiver")
	}
}

// What Capgo stores in another form than the plan or the prior state has it is kept as they have
// it: no diff, no inconsistent result after apply.
func TestOrganizationStateKeepsTheFormWritten(t *testing.T) {
	signed := func(token string) *string {
		s := "https://storage.example/object/sign/logos/o1.png?token=" + token
		return &s
	}
	website := func(s string) *string { return &s }
	tests := map[string]struct {
		org                   capgo.Organization
		prior                 organizationModel
		wantWebsite, wantLogo types.String
	}{
		"normalised website": {
			org:         capgo.Organization{HasWebsite: true, Website: website("https://capgo.app/")},
			prior:       organizationModel{Website: types.StringValue("capgo.app"), Logo: types.StringNull()},
			wantWebsite: types.StringValue("capgo.app"), wantLogo: types.StringNull(),
		},
		"another website": {
			org:         capgo.Organization{HasWebsite: true, Website: website("https://capgo.io/")},
			prior:       organizationModel{Website: types.StringValue("capgo.app"), Logo: types.StringNull()},
			wantWebsite: types.StringValue("https://capgo.io/"), wantLogo: types.StringNull(),
		},
		"server without websites": {
			org:         capgo.Organization{},
			prior:       organizationModel{Website: types.StringValue("capgo.app"), Logo: types.StringNull()},
			wantWebsite: types.StringValue("capgo.app"), wantLogo: types.StringNull(),
		},
		"logo signed again": {
			org:         capgo.Organization{HasWebsite: true, Logo: signed("b")},
			prior:       organizationModel{Website: types.StringNull(), Logo: types.StringValue(*signed("a"))},
			wantWebsite: types.StringNull(), wantLogo: types.StringValue(*signed("a")),
		},
		"logo cleared with an empty string": {
			org:         capgo.Organization{HasWebsite: true, Logo: website("")},
			prior:       organizationModel{Website: types.StringNull(), Logo: types.StringValue("")},
			wantWebsite: types.StringNull(), wantLogo: types.StringValue(""),
		},
		"logo of the console, not configured": {
			org:         capgo.Organization{HasWebsite: true, Logo: signed("a")},
			prior:       organizationModel{Website: types.StringNull(), Logo: types.StringUnknown()},
			wantWebsite: types.StringNull(), wantLogo: types.StringValue(*signed("a")),
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got := organizationStateFromAPI(&tt.org, tt.prior)
			if !got.Website.Equal(tt.wantWebsite) || !got.Logo.Equal(tt.wantLogo) {
				t.Errorf("website %s, logo %s; want %s, %s", got.Website, got.Logo, tt.wantWebsite, tt.wantLogo)
			}
		})
	}
}
