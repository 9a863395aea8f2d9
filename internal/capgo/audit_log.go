package capgo

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
)

// Capgo's production API keeps an audit log of each organization's changes for 30 days: who
// changed which row of which table, and how. Only org_admins and org_super_admins may read it;
// the documented API has none.

const (
	auditLogRoute = "/organization/audit/"
	// AuditLogPageSize is the most entries Capgo answers in one page of the audit log.
	AuditLogPageSize = 100
)

// The tables and operations the audit log records, as its filters take them (case included).
var (
	AuditLogTables     = []string{"orgs", "apps", "channels", "app_versions", "org_users"}
	AuditLogOperations = []string{"INSERT", "UPDATE", "DELETE"}
)

// ErrNoAuditLog reports a server that keeps no audit log of organizations: any but Capgo's
// production API.
var ErrNoAuditLog = errors.New("this Capgo server (the documented API) keeps no organization audit log; " +
	"only Capgo's production API (https://api.capgo.app) has one")

// AuditLogQuery says which entries of an organization's audit log ListAuditLog reads.
type AuditLogQuery struct {
	OrganizationID string
	// Table and Operation, when set, keep only the entries of that table (orgs, apps, channels,
	// app_versions, org_users) and of that operation (INSERT, UPDATE, DELETE).
	Table, Operation string
	// Limit is the most entries read, the newest; 0 or less reads them all.
	Limit int
}

// AuditEntry is one change of an organization's audit log. The records are the whole row before
// and after the change, as JSON, null for none; ChangedFields is a JSON list of the names of the
// fields an UPDATE changed, null otherwise. The Actor fields say who made the change: ActorType
// is user (in the Capgo console), apikey, system or unknown.
type AuditEntry struct {
	ID              int64           `json:"id"`
	CreatedAt       string          `json:"created_at"`
	TableName       string          `json:"table_name"`
	RecordID        string          `json:"record_id"`
	Operation       string          `json:"operation"`
	UserID          *string         `json:"user_id"`
	OrganizationID  string          `json:"org_id"`
	OldRecord       json.RawMessage `json:"old_record"`
	NewRecord       json.RawMessage `json:"new_record"`
	ChangedFields   json.RawMessage `json:"changed_fields"`
	ActorType       string          `json:"actor_type"`
	ActorUserID     *string         `json:"actor_user_id"`
	ActorUserEmail  *string         `json:"actor_user_email"`
	ActorAPIKeyID   *int64          `json:"actor_apikey_id"`
	ActorAPIKeyName *string         `json:"actor_apikey_name"`
}

// auditLogPage is the answer of one page: the entries and the paging the server applied.
type auditLogPage struct {
	Data  []AuditEntry `json:"data"`
	Total *int         `json:"total"`
	Page  int          `json:"page"`
	Limit int          `json:"limit"`
}

// ListAuditLog reads the organization's audit log, newest first, page after page until it has
// q.Limit entries or the log ends. It needs the org_admin or org_super_admin role; Capgo answers
// anyone else as it answers an organization the key cannot see (KindNotFound). A server without
// an audit log gives ErrNoAuditLog, and is sent nothing for it.
func (c *Client) ListAuditLog(ctx context.Context, q AuditLogQuery) ([]AuditEntry, error) {
	can, err := c.ServerCapabilities(ctx, q.OrganizationID)
	if err != nil {
		return nil, err
	}
	if can.Known && !can.AuditLog {
		return nil, ErrNoAuditLog
	}
	pageSize := AuditLogPageSize
	if q.Limit > 0 {
		pageSize = min(pageSize, q.Limit)
	}
	entries := []AuditEntry{}
	// Entries logged while the pages are read push older ones onto the next page, where they
	// would come a second time.
	seen := map[int64]bool{}
	for page := 0; ; page++ {
		p, err := c.auditLogPage(ctx, q, page, pageSize)
		if err != nil {
			return nil, err
		}
		for _, e := range p.Data {
			if !seen[e.ID] && (q.Limit <= 0 || len(entries) < q.Limit) {
				seen[e.ID] = true
				entries = append(entries, e)
			}
		}
		// The server may apply a smaller limit than asked: the pages are of its size.
		applied := p.Limit
		if applied <= 0 {
			applied = pageSize
		}
		last := len(p.Data) < applied || (p.Total != nil && (page+1)*applied >= *p.Total)
		if last || (q.Limit > 0 && len(entries) >= q.Limit) {
			return entries, nil
		}
	}
}

// auditLogPage reads one page of the audit log.
func (c *Client) auditLogPage(ctx context.Context, q AuditLogQuery, page, size int) (*auditLogPage, error) {
	query := url.Values{"orgId": {q.OrganizationID}, "page": {strconv.Itoa(page)}, "limit": {strconv.Itoa(size)}}
	if q.Table != "" {
		query.Set("tableName", q.Table)
	}
	if q.Operation != "" {
		query.Set("operation", q.Operation)
	}
	body, err := c.do(ctx, call{method: http.MethodGet, route: auditLogRoute, query: query})
	if err != nil {
		return nil, err
	}
	var p auditLogPage
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, decodeError(http.MethodGet, auditLogRoute, err)
	}
	return &p, nil
}
