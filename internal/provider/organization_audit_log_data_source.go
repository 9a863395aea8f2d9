package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

var (
	_ datasource.DataSource              = (*organizationAuditLogDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*organizationAuditLogDataSource)(nil)
)

// The bounds of max_entries: every entry is read on every plan, so a log is read in pages of 100 up
// to ten of them.
const (
	defaultAuditLogEntries = 100
	maxAuditLogEntries     = 1000
)

// NewOrganizationAuditLogDataSource returns the capgo_organization_audit_log data source.
func NewOrganizationAuditLogDataSource() datasource.DataSource {
	return &organizationAuditLogDataSource{}
}

type organizationAuditLogDataSource struct {
	configured
}

type organizationAuditLogDataSourceModel struct {
	OrganizationID types.String         `tfsdk:"organization_id"`
	Table          types.String         `tfsdk:"table"`
	Operation      types.String         `tfsdk:"operation"`
	MaxEntries     types.Int64          `tfsdk:"max_entries"`
	Entries        []auditLogEntryModel `tfsdk:"entries"`
}

type auditLogEntryModel struct {
	ID              types.Int64  `tfsdk:"id"`
	CreatedAt       types.String `tfsdk:"created_at"`
	TableName       types.String `tfsdk:"table_name"`
	RecordID        types.String `tfsdk:"record_id"`
	Operation       types.String `tfsdk:"operation"`
	UserID          types.String `tfsdk:"user_id"`
	ActorType       types.String `tfsdk:"actor_type"`
	ActorUserID     types.String `tfsdk:"actor_user_id"`
	ActorUserEmail  types.String `tfsdk:"actor_user_email"`
	ActorAPIKeyID   types.Int64  `tfsdk:"actor_apikey_id"`
	ActorAPIKeyName types.String `tfsdk:"actor_apikey_name"`
	ChangedFields   []string     `tfsdk:"changed_fields"`
	OldRecord       types.String `tfsdk:"old_record"`
	NewRecord       types.String `tfsdk:"new_record"`
}

func (d *organizationAuditLogDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization_audit_log"
}

func (d *organizationAuditLogDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(description string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the newest entries of a Capgo organization's audit log: who changed what in the " +
			"organization, its apps, channels, bundles and members, from the Capgo console or with an API key. Capgo " +
			"keeps entries for 30 days. Needs Capgo's production API (the documented API has no audit log) and an API " +
			"key of an `org_admin` or `org_super_admin` of the organization.",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the organization.",
				Required:            true,
				Validators:          []validator.String{organizationID()},
			},
			"table": schema.StringAttribute{
				MarkdownDescription: "Reads only the changes of this table: `orgs` (the organization itself), `apps`, " +
					"`channels`, `app_versions` (bundles) or `org_users` (members and invitations). When not set, " +
					"every table.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(capgo.AuditLogTables...)},
			},
			"operation": schema.StringAttribute{
				MarkdownDescription: "Reads only the changes of this kind: `INSERT`, `UPDATE` or `DELETE`, in capitals. " +
					"When not set, every kind.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(capgo.AuditLogOperations...)},
			},
			"max_entries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("The most entries read, the newest: from 1 to %d, default %d. Capgo "+
					"answers %d a request, so each hundred is one more request on every plan.",
					maxAuditLogEntries, defaultAuditLogEntries, capgo.AuditLogPageSize),
				Optional:   true,
				Computed:   true,
				Validators: []validator.Int64{int64validator.Between(1, maxAuditLogEntries)},
			},
			"entries": schema.ListNestedAttribute{
				MarkdownDescription: "The entries, newest first.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":         schema.Int64Attribute{MarkdownDescription: "The entry's number.", Computed: true},
						"created_at": computed("When the change was made (RFC 3339)."),
						"table_name": computed("The table of the row that changed: `orgs`, `apps`, `channels`, `app_versions` or `org_users`."),
						"record_id": computed("The ID of the row that changed: the organization's ID for `orgs`, the " +
							"membership's for `org_users`."),
						"operation": computed("`INSERT`, `UPDATE` or `DELETE`."),
						"user_id":   computed("The user Capgo records the change under; null when none."),
						"actor_type": computed("Who made the change: `user` (in the Capgo console), `apikey` (through the " +
							"API, as Terraform does), `system` or `unknown`."),
						"actor_user_id":    computed("The ID of the user who made the change, or owns the API key; null when none."),
						"actor_user_email": computed("The email of that user; null when none."),
						"actor_apikey_id": schema.Int64Attribute{
							MarkdownDescription: "The ID of the API key the change was made with; null when none.",
							Computed:            true,
						},
						"actor_apikey_name": computed("The name of that API key; null when none."),
						"changed_fields": schema.ListAttribute{
							MarkdownDescription: "The names of the fields an `UPDATE` changed; null for other operations.",
							ElementType:         types.StringType,
							Computed:            true,
						},
						"old_record": computed("The whole row before the change, as JSON (read it with `jsondecode`); null " +
							"for an `INSERT`."),
						"new_record": computed("The whole row after the change, as JSON; null for a `DELETE`."),
					},
				},
			},
		},
	}
}

func (d *organizationAuditLogDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.configure(req.ProviderData, &resp.Diagnostics)
}

func (d *organizationAuditLogDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config organizationAuditLogDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := config.OrganizationID.ValueString()
	if d.dataSourceReadWithoutClient(req, resp, "read the audit log of organization "+orgID) {
		return
	}
	if config.MaxEntries.IsNull() {
		config.MaxEntries = types.Int64Value(defaultAuditLogEntries)
	}

	entries, err := d.client.ListAuditLog(ctx, capgo.AuditLogQuery{
		OrganizationID: orgID,
		Table:          config.Table.ValueString(),
		Operation:      config.Operation.ValueString(),
		Limit:          int(config.MaxEntries.ValueInt64()),
	})
	if err != nil {
		resp.Diagnostics.Append(auditLogErrorDiagnostic(ctx, d.client, orgID, err))
		return
	}
	config.Entries = make([]auditLogEntryModel, 0, len(entries))
	for _, e := range entries {
		entry, diags := auditLogEntryFromAPI(e)
		if resp.Diagnostics.Append(diags...); diags.HasError() {
			return
		}
		config.Entries = append(config.Entries, entry)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, config)...)
}

// auditLogEntryFromAPI is an entry as the data source shows it: the records as compact JSON.
func auditLogEntryFromAPI(e capgo.AuditEntry) (auditLogEntryModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := auditLogEntryModel{
		ID:              types.Int64Value(e.ID),
		CreatedAt:       types.StringValue(e.CreatedAt),
		TableName:       types.StringValue(e.TableName),
		RecordID:        types.StringValue(e.RecordID),
		Operation:       types.StringValue(e.Operation),
		UserID:          optionalString(e.UserID),
		ActorType:       types.StringValue(e.ActorType),
		ActorUserID:     optionalString(e.ActorUserID),
		ActorUserEmail:  optionalString(e.ActorUserEmail),
		ActorAPIKeyID:   types.Int64PointerValue(e.ActorAPIKeyID),
		ActorAPIKeyName: optionalString(e.ActorAPIKeyName),
		OldRecord:       jsonString(e.OldRecord),
		NewRecord:       jsonString(e.NewRecord),
	}
	if !jsonNull(e.ChangedFields) {
		if err := json.Unmarshal(e.ChangedFields, &m.ChangedFields); err != nil {
			diags.AddError("Unexpected audit log entry", fmt.Sprintf("Capgo answered changed_fields = %s for entry %d, "+
				"not a list of field names: %s. Please report it.", e.ChangedFields, e.ID, err))
		}
	}
	return m, diags
}

// jsonString is raw JSON as a compact string, null for a JSON null or nothing.
func jsonString(raw json.RawMessage) types.String {
	if jsonNull(raw) {
		return types.StringNull()
	}
	var compact bytes.Buffer
	if json.Compact(&compact, raw) != nil {
		return types.StringValue(string(raw))
	}
	return types.StringValue(compact.String())
}

func jsonNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || bytes.Equal(raw, []byte("null"))
}

// auditLogErrorDiagnostic explains a failed read of the audit log. Capgo answers an organization
// the key cannot see and a member without the admin role alike, so the organization is read to
// tell which it is.
func auditLogErrorDiagnostic(ctx context.Context, client *capgo.Client, orgID string, err error) diag.Diagnostic {
	if errors.Is(err, capgo.ErrNoAuditLog) {
		return productionAPIOnlyDiagnostic("The organization audit log needs Capgo's production API",
			"organization audit log", "capgo_organization_audit_log cannot read that of organization "+orgID, "data source")
	}
	switch capgo.KindOf(err) {
	case capgo.KindNotFound, capgo.KindNoAccess, capgo.KindNotAllowed:
		_, readErr := client.GetOrganization(ctx, orgID)
		switch {
		case capgo.KindOf(readErr) == capgo.KindNotFound:
			return organizationNotFoundDiagnostic(orgID)
		case readErr == nil:
			return diag.NewAttributeErrorDiagnostic(pathOrganizationID, "No access to the organization's audit log",
				fmt.Sprintf("Capgo refused to show the audit log of organization %s to the API key's user (%s). Reading "+
					"it needs the org_admin or org_super_admin role in the organization; the key's user is a member "+
					"without it. Use an API key of an admin of the organization.", orgID, errorCode(err)))
		}
	}
	return apiErrorDiagnostic("read the audit log of organization "+orgID, err)
}
