package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/Cap-go/terraform-provider-capgo/internal/mockserver"
)

// protocolServer is the provider's server, configured against a mock, for requests a test sends
// as Terraform would, with the value types of its resources and of their identities.
type protocolServer struct {
	tfprotov6.ProviderServer
	resources, identities map[string]tftypes.Type
}

// configuredProviderServer starts the provider's server and configures it with the admin's key.
func (m *accMock) configuredProviderServer(t *testing.T) *protocolServer {
	t.Helper()
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(bg, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	identitySchemas, err := server.GetResourceIdentitySchemas(bg, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	s := &protocolServer{ProviderServer: server, resources: map[string]tftypes.Type{}, identities: map[string]tftypes.Type{}}
	for name, schema := range schemas.ResourceSchemas {
		s.resources[name] = schema.ValueType()
	}
	for name, schema := range identitySchemas.IdentitySchemas {
		s.identities[name] = schema.ValueType()
	}
	config := s.value(t, schemas.Provider.ValueType(), map[string]string{"api_url": m.URL, "api_key": mockserver.AdminAPIKey})
	resp, err := server.ConfigureProvider(bg, &tfprotov6.ConfigureProviderRequest{Config: config})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("configure the provider: %s: %s", d.Summary, d.Detail)
		}
	}
	return s
}

// value is an object of type typ with the given string attributes, and every other one null.
func (s *protocolServer) value(t *testing.T, typ tftypes.Type, strings map[string]string) *tfprotov6.DynamicValue {
	t.Helper()
	object, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("%s is no object type", typ)
	}
	attributes := map[string]tftypes.Value{}
	for name, attributeType := range object.AttributeTypes {
		attributes[name] = tftypes.NewValue(attributeType, nil)
	}
	for name, v := range strings {
		attributes[name] = tftypes.NewValue(tftypes.String, v)
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attributes))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// decode reads a value of type typ.
func (s *protocolServer) decode(t *testing.T, typ tftypes.Type, dv *tfprotov6.DynamicValue) tftypes.Value {
	t.Helper()
	if dv == nil {
		t.Fatal("no value")
	}
	v, err := dv.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
