package mockserver

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The test event of POST /webhooks/test (README.md, 2.5).
const (
	webhookTestEvent    = "test.ping"
	webhookTestMessage  = "This is a test webhook from Capgo"
	webhookUserAgent    = "Capgo-Webhook/1.0"
	webhookTargetHeader = "X-Mock-Webhook-URL"
)

// webhookEvent is one event: a change, or a test. Every webhook it goes to,
// and every retry, carries the same id and timestamp.
type webhookEvent struct {
	name, id, timestamp, orgID string
	data                       any
}

// webhookPayload is the body of a delivery, its members in the order Capgo
// sends them; type, first, only in the standard version.
type webhookPayload struct {
	Type      string `json:"type,omitempty"`
	Event     string `json:"event"`
	EventID   string `json:"event_id"`
	Timestamp string `json:"timestamp"`
	OrgID     string `json:"org_id"`
	Data      any    `json:"data"`
}

// changeData is the data of an event that announces a change: the audit
// entry (2.6) without its own id and dates.
type changeData struct {
	Table           string         `json:"table"`
	Operation       string         `json:"operation"`
	RecordID        string         `json:"record_id"`
	OldRecord       map[string]any `json:"old_record"`
	NewRecord       map[string]any `json:"new_record"`
	ChangedFields   []string       `json:"changed_fields"`
	ActorType       string         `json:"actor_type"`
	ActorUserID     *string        `json:"actor_user_id"`
	ActorUserEmail  *string        `json:"actor_user_email"`
	ActorAPIKeyID   *int64         `json:"actor_apikey_id"`
	ActorAPIKeyName *string        `json:"actor_apikey_name"`
}

// testData is the data of the test event, which has no actor.
type testData struct {
	Table         string     `json:"table"`
	Operation     string     `json:"operation"`
	RecordID      string     `json:"record_id"`
	OldRecord     any        `json:"old_record"`
	NewRecord     testRecord `json:"new_record"`
	ChangedFields []string   `json:"changed_fields"`
}

type testRecord struct {
	Message   string `json:"message"`
	Timestamp string `json:"timestamp"`
}

// changeEvent is the event of an audit entry: <table>.<operation>, with a
// fresh event id.
func changeEvent(e auditEntry) webhookEvent {
	return webhookEvent{
		name:      e.TableName + "." + e.Operation,
		id:        newID(),
		timestamp: e.CreatedAt,
		orgID:     e.OrgID,
		data: changeData{
			Table: e.TableName, Operation: e.Operation, RecordID: e.RecordID,
			OldRecord: e.OldRecord, NewRecord: e.NewRecord, ChangedFields: e.ChangedFields,
			ActorType: e.ActorType, ActorUserID: e.ActorUserID, ActorUserEmail: e.ActorUserEmail,
			ActorAPIKeyID: e.ActorAPIKeyID, ActorAPIKeyName: e.ActorAPIKeyName,
		},
	}
}

// testEvent is the test.ping of an organization, made at now.
func testEvent(orgID string, now time.Time) webhookEvent {
	ts := timestamp(now)
	return webhookEvent{
		name:      webhookTestEvent,
		id:        newID(),
		timestamp: ts,
		orgID:     orgID,
		data: testData{
			Table: "test", Operation: "TEST", RecordID: "test-record-id",
			NewRecord: testRecord{Message: webhookTestMessage, Timestamp: ts},
		},
	}
}

// payload encodes the event as a delivery of version sends it. HTML
// characters are left as they are, as JavaScript's JSON.stringify leaves
// them; receivers check the signature over these bytes, whatever they are.
func (ev webhookEvent) payload(version string) []byte {
	p := webhookPayload{Event: ev.name, EventID: ev.id, Timestamp: ev.timestamp, OrgID: ev.orgID, Data: ev.data}
	if version == webhookVersionStandard {
		p.Type = ev.name
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	// Encoding the mock's own types cannot fail.
	_ = enc.Encode(p)
	return bytes.TrimRight(buf.Bytes(), "\n")
}

// deliveryHeader is the header of one attempt at unix second ts: Capgo's
// own, with the legacy signature, and in the standard version the three
// headers of the Standard Webhooks scheme as well. The keys are spelled as
// Capgo spells them.
func deliveryHeader(d *delivery, secret string, ts int64) http.Header {
	stamp := strconv.FormatInt(ts, 10)
	h := http.Header{}
	h["Content-Type"] = []string{"application/json"}
	h["User-Agent"] = []string{webhookUserAgent}
	h["X-Capgo-Event"] = []string{d.eventType}
	h["X-Capgo-Event-ID"] = []string{d.eventID}
	h["X-Capgo-Timestamp"] = []string{stamp}
	h["X-Capgo-Signature"] = []string{legacySignature(secret, stamp, d.body)}
	if d.deliveryVersion == webhookVersionStandard {
		h["webhook-id"] = []string{d.eventID}
		h["webhook-timestamp"] = []string{stamp}
		h["webhook-signature"] = []string{standardSignature(secret, d.eventID, stamp, d.body)}
	}
	return h
}

// legacySignature is v1=<ts>.<hex>, the HMAC-SHA256 of "<ts>.<body>" keyed
// with the whole secret, whsec_ included.
func legacySignature(secret, stamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(stamp + "."))
	mac.Write(body)
	return "v1=" + stamp + "." + hex.EncodeToString(mac.Sum(nil))
}

// standardSignature is v1,<base64>, the HMAC-SHA256 of
// "<event id>.<ts>.<body>" keyed with the bytes the secret encodes after
// whsec_.
func standardSignature(secret, eventID, stamp string, body []byte) string {
	// The mock made the secret, so it decodes.
	key, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, webhookSecretPrefix))
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(eventID + "." + stamp + "."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
