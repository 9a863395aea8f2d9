package mockserver

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strconv"
)

// auditEntry is one row of an organization's audit log, as
// GET /organization/audit answers it (README.md, 2.4).
type auditEntry struct {
	ID              int64          `json:"id"`
	CreatedAt       string         `json:"created_at"`
	TableName       string         `json:"table_name"`
	RecordID        string         `json:"record_id"`
	Operation       string         `json:"operation"`
	UserID          string         `json:"user_id"`
	OrgID           string         `json:"org_id"`
	OldRecord       map[string]any `json:"old_record"`
	NewRecord       map[string]any `json:"new_record"`
	ChangedFields   []string       `json:"changed_fields"`
	ActorType       string         `json:"actor_type"`
	ActorUserID     *string        `json:"actor_user_id"`
	ActorUserEmail  *string        `json:"actor_user_email"`
	ActorAPIKeyID   *int64         `json:"actor_apikey_id"`
	ActorAPIKeyName *string        `json:"actor_apikey_name"`
}

// The tables and operations of the audit log.
const (
	auditTableOrganizations = "orgs"
	auditTableMembers       = "org_users"

	auditInsert = "INSERT"
	auditUpdate = "UPDATE"
	auditDelete = "DELETE"
)

// The kinds of actor: a request made with an API key, or a person in the
// Capgo console (the mock's control API stands for it).
const (
	auditActorAPIKey = "apikey"
	auditActorUser   = "user"
)

// auditKeyName is the name of every key of the mock: the accounts of a seed
// file name none.
const auditKeyName = "default"

// auditChange is a write to record: a row of table before and after (nil
// for an insert, or for a deletion).
type auditChange struct {
	table, recordID string
	before, after   any
}

// record appends the change to o's audit log, made by actor through its API
// key when viaKey, else in the console, and announces it to o's webhooks.
// An update that changes nothing is not recorded.
func (s *store) record(o *organization, actor *user, viaKey bool, c auditChange) {
	e := auditEntry{
		CreatedAt: timestamp(s.now()),
		TableName: c.table,
		RecordID:  c.recordID,
		UserID:    actor.uid,
		OrgID:     o.id,
		OldRecord: asRecord(c.before),
		NewRecord: asRecord(c.after),
		ActorType: auditActorUser,
	}
	switch {
	case c.before == nil:
		e.Operation = auditInsert
	case c.after == nil:
		e.Operation = auditDelete
	default:
		e.Operation = auditUpdate
		e.ChangedFields = changedFields(e.OldRecord, e.NewRecord)
		if len(e.ChangedFields) == 0 {
			return
		}
	}
	uid, email := actor.uid, actor.email
	e.ActorUserID, e.ActorUserEmail = &uid, &email
	if viaKey {
		keyID, name := actor.apiKeyID, auditKeyName
		e.ActorType, e.ActorAPIKeyID, e.ActorAPIKeyName = auditActorAPIKey, &keyID, &name
	}
	s.auditSeq++
	e.ID = s.auditSeq
	o.audit = append(o.audit, e)
	s.emit(o, e)
}

// asRecord turns a row into the JSON object the log holds, nil for none.
func asRecord(row any) map[string]any {
	if row == nil {
		return nil
	}
	data, err := json.Marshal(row)
	if err != nil {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(data, &m) != nil {
		return nil
	}
	return m
}

// changedFields names the fields whose values differ, sorted.
func changedFields(before, after map[string]any) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(after)) {
		if !reflect.DeepEqual(before[k], after[k]) {
			out = append(out, k)
		}
	}
	return out
}

// memberRecord is a membership as the audit log records it.
func memberRecord(o *organization, m *member) map[string]any {
	return map[string]any{"id": m.id, "org_id": o.id, "user_id": m.user.uid, "email": m.user.email, "role": m.role, "is_tmp": m.pending}
}

// memberChange is the change of a membership, before and after being nil
// for an insert or a deletion.
func memberChange(m *member, before, after map[string]any) auditChange {
	return auditChange{table: auditTableMembers, recordID: strconv.FormatInt(m.id, 10), before: nilIfEmpty(before), after: nilIfEmpty(after)}
}

// nilIfEmpty keeps a nil map a nil interface, which record reads as no row.
func nilIfEmpty(m map[string]any) any {
	if m == nil {
		return nil
	}
	return m
}
