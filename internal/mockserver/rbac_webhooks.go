package mockserver

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The webhook routes of dialect rbac (README.md, 2.5). Each reads orgId,
// checks the caller's rights, then the rest of its parameters.

// The routes; ids travel in the query string or the body, never the path.
const (
	webhooksRoute          = "/webhooks"
	webhookTestRoute       = "/webhooks/test"
	webhookDeliveriesRoute = "/webhooks/deliveries"
	webhookRetryRoute      = "/webhooks/deliveries/retry"

	// webhooksPerPage is the size of a page of webhooks or deliveries.
	webhooksPerPage = 50
)

// Error codes and messages of the webhook routes.
const (
	rbacCodeNoPermission           = "no_permission"
	rbacCodeWebhookNotFound        = "webhook_not_found"
	rbacCodeInvalidURL             = "invalid_url"
	rbacCodeInvalidEvents          = "invalid_events"
	rbacCodeInvalidDeliveryVersion = "invalid_delivery_version"
	rbacCodeNoUpdates              = "no_updates"
	rbacCodeDeliveryNotFound       = "delivery_not_found"
	rbacCodeDeliveryNotFailed      = "delivery_not_failed"
	rbacCodeWebhookDisabled        = "webhook_disabled"

	rbacMsgAppScopedKey           = "App-scoped API keys cannot manage organization webhooks"
	rbacMsgNoOrgAccess            = "You can't access this organization"
	rbacMsgWebhookAdmin           = "You need admin access to manage webhooks"
	rbacMsgWebhookOtherOrg        = "Webhook does not belong to this organization"
	rbacMsgWebhookNotFound        = "Webhook not found"
	rbacMsgInvalidEvents          = "Invalid event types"
	rbacMsgInvalidDeliveryVersion = "Invalid webhook delivery version"
	rbacMsgNoUpdates              = "No fields to update"
	rbacMsgDeliveryNotFound       = "Delivery not found"
	rbacMsgDeliveryNotFailed      = "Only a failed delivery can be retried"
	rbacMsgWebhookDisabled        = "Webhook is disabled"
)

// webhookRoutes is a dialect that serves the webhook routes: rbac alone.
type webhookRoutes interface {
	getWebhooks(st *store, caller *user, req *apiRequest) *apiResponse
	createWebhook(st *store, caller *user, req *apiRequest) *apiResponse
	updateWebhook(st *store, caller *user, req *apiRequest) *apiResponse
	deleteWebhook(st *store, caller *user, req *apiRequest) *apiResponse
	testWebhook(st *store, caller *user, req *apiRequest) *apiResponse
	getDeliveries(st *store, caller *user, req *apiRequest) *apiResponse
	retryDelivery(st *store, caller *user, req *apiRequest) *apiResponse
}

func webhookRoutesOf(w webhookRoutes) map[string]handlerFunc {
	return map[string]handlerFunc{
		"GET " + webhooksRoute:          w.getWebhooks,
		"POST " + webhooksRoute:         w.createWebhook,
		"PUT " + webhooksRoute:          w.updateWebhook,
		"DELETE " + webhooksRoute:       w.deleteWebhook,
		"POST " + webhookTestRoute:      w.testWebhook,
		"GET " + webhookDeliveriesRoute: w.getDeliveries,
		"POST " + webhookRetryRoute:     w.retryDelivery,
	}
}

// rbacWebhookOrganization checks that the caller may manage the webhooks
// of organization id, in the order of 2.5: a key limited to apps, then
// membership, then the organization's rule on expiring keys, then the role.
func rbacWebhookOrganization(st *store, caller *user, id string) (*organization, *apiResponse) {
	orgID := map[string]any{"org_id": id}
	if caller.appScoped {
		return nil, rbacRefuse(rbacCodeNoPermission, rbacMsgAppScopedKey, orgID)
	}
	// rbacMembership applies the rule on expiring keys to members only, so
	// a stranger hears of membership first.
	o, self, fail := rbacMembership(st, caller, id)
	if fail != nil {
		return nil, fail
	}
	if o == nil || self == nil {
		return nil, rbacRefuse(rbacCodeInvalidOrgID, rbacMsgNoOrgAccess, orgID)
	}
	if !rbacRoleRank.atLeast(self.role, rbacRoleAdmin) {
		return nil, rbacRefuse(rbacCodeNoPermission, rbacMsgWebhookAdmin, orgID)
	}
	return o, nil
}

// rbacOrgWebhook looks up a webhook of o. One of another organization is
// not found when hidden, else refused as not belonging to o.
func rbacOrgWebhook(st *store, o *organization, id string, hidden bool) (*webhook, *apiResponse) {
	w := st.webhook(id)
	if w == nil || (hidden && w.orgID != o.id) {
		return nil, rbacWebhookNotFound(id)
	}
	if w.orgID != o.id {
		return nil, rbacRefuse(rbacCodeNoPermission, rbacMsgWebhookOtherOrg, map[string]any{"webhookId": id})
	}
	return w, nil
}

func rbacWebhookNotFound(id string) *apiResponse {
	return rbacRefuse(rbacCodeWebhookNotFound, rbacMsgWebhookNotFound, map[string]any{"webhookId": id})
}

// webhookParams reads the parameters of a webhook route, orgId first,
// and checks the caller's rights: a GET from its query string, the others
// as every rbac write (2.4).
func (d rbacDialect) webhookParams(st *store, caller *user, req *apiRequest) (params, *organization, *apiResponse) {
	p := params{query: req.query}
	if req.method != http.MethodGet {
		var fail *apiResponse
		if p, fail = d.readBody(req, true); fail != nil {
			return params{}, nil, fail
		}
	}
	id, bad := requiredOrgID(p)
	if bad != nil {
		return params{}, nil, d.refuseField(bad)
	}
	o, fail := rbacWebhookOrganization(st, caller, id)
	return p, o, fail
}

// requiredID reads an id parameter other than orgId.
func requiredID(p params, name string) (string, *apiResponse) {
	if id := p.str(name); id != "" {
		return id, nil
	}
	return "", rbacInvalidBody(name + " is required")
}

// getWebhooks answers GET /webhooks: with webhookId one webhook and its
// stats of the last 24 hours, else a page of webhooks, newest first.
func (d rbacDialect) getWebhooks(st *store, caller *user, req *apiRequest) *apiResponse {
	_, o, fail := d.webhookParams(st, caller, req)
	if fail != nil {
		return fail
	}
	page, ok := queryCount(req, "page", 0, 0)
	if !ok {
		return rbacInvalidBody("page must be a whole number from 0")
	}
	if id := req.query.Get("webhookId"); id != "" {
		w, fail := rbacOrgWebhook(st, o, id, true)
		if fail != nil {
			return fail
		}
		obj := webhookObjectOf(w)
		obj.Stats24h = statsOf(w, st.now().Add(-24*time.Hour))
		return okResponse(obj)
	}
	newest := slices.Clone(o.webhooks)
	slices.Reverse(newest)
	out := []webhookObject{}
	for _, w := range pageOf(newest, page) {
		out = append(out, webhookObjectOf(w))
	}
	return okResponse(out)
}

// pageOf is page n (from 0) of items, webhooksPerPage a page.
func pageOf[T any](items []T, n int) []T {
	start := min(n*webhooksPerPage, len(items))
	return items[start:min(start+webhooksPerPage, len(items))]
}

// createWebhook answers POST /webhooks with 201 and the new webhook, its
// secret shown this once.
func (d rbacDialect) createWebhook(st *store, caller *user, req *apiRequest) *apiResponse {
	p, o, fail := d.webhookParams(st, caller, req)
	if fail != nil {
		return fail
	}
	f, fail := readWebhookFields(p)
	if fail != nil {
		return fail
	}
	if f.name == nil || f.url == nil || f.events == nil {
		return rbacInvalidBody("name, url and events are required")
	}
	version := webhookVersionLegacy
	if f.version != nil {
		version = *f.version
	}
	if fail := checkWebhookFields(f); fail != nil {
		return fail
	}
	w := &webhook{
		name:            *f.name,
		url:             *f.url,
		enabled:         f.enabled == nil || *f.enabled,
		events:          f.events,
		deliveryVersion: version,
		createdBy:       caller.uid,
	}
	st.addWebhook(o, w)
	obj := webhookObjectOf(w)
	obj.Secret = w.secret
	return &apiResponse{status: http.StatusCreated, body: map[string]any{"status": "Webhook created", "webhook": obj}}
}

// updateWebhook answers PUT /webhooks: the fields sent change, events
// replacing the whole list.
func (d rbacDialect) updateWebhook(st *store, caller *user, req *apiRequest) *apiResponse {
	p, o, fail := d.webhookParams(st, caller, req)
	if fail != nil {
		return fail
	}
	id, fail := requiredID(p, "webhookId")
	if fail != nil {
		return fail
	}
	f, fail := readWebhookFields(p)
	if fail != nil {
		return fail
	}
	if fail := checkDeliveryVersion(f.version); fail != nil {
		return fail
	}
	w, fail := rbacOrgWebhook(st, o, id, false)
	if fail != nil {
		return fail
	}
	if fail := checkWebhookFields(f); fail != nil {
		return fail
	}
	if f.empty() {
		return rbacRefuse(rbacCodeNoUpdates, rbacMsgNoUpdates, nil)
	}
	f.apply(w)
	st.touchWebhook(w)
	return okResponse(map[string]any{"status": "Webhook updated", "webhook": webhookObjectOf(w)})
}

// deleteWebhook answers DELETE /webhooks; the deliveries go with it.
func (d rbacDialect) deleteWebhook(st *store, caller *user, req *apiRequest) *apiResponse {
	_, w, fail := d.namedWebhook(st, caller, req)
	if fail != nil {
		return fail
	}
	st.removeWebhook(w)
	return okResponse(map[string]string{"status": "Webhook deleted", "webhookId": w.id})
}

// namedWebhook checks the caller's rights on the organization of a request, then finds the
// webhook its webhookId names there: the checks every route on one webhook makes, in their order.
func (d rbacDialect) namedWebhook(st *store, caller *user, req *apiRequest) (*organization, *webhook, *apiResponse) {
	p, o, fail := d.webhookParams(st, caller, req)
	if fail != nil {
		return nil, nil, fail
	}
	id, fail := requiredID(p, "webhookId")
	if fail != nil {
		return nil, nil, fail
	}
	w, fail := rbacOrgWebhook(st, o, id, false)
	return o, w, fail
}

// webhookFields are the fields of a POST or PUT body, each nil when absent.
type webhookFields struct {
	name, url, version *string
	events             []string
	enabled            *bool
}

func (f webhookFields) empty() bool {
	return f.name == nil && f.url == nil && f.version == nil && f.events == nil && f.enabled == nil
}

func (f webhookFields) apply(w *webhook) {
	if f.name != nil {
		w.name = *f.name
	}
	if f.url != nil {
		w.url = *f.url
	}
	if f.version != nil {
		w.deliveryVersion = *f.version
	}
	if f.events != nil {
		w.events = f.events
	}
	if f.enabled != nil {
		w.enabled = *f.enabled
	}
}

// readWebhookFields reads the fields of a body, refusing as invalid_body
// a field of the wrong type, null, an empty name or events list, and a URL
// that does not parse (rule 1). deliveryVersion wins over delivery_version,
// though both must be strings.
func readWebhookFields(p params) (f webhookFields, fail *apiResponse) {
	str := func(field string) *string {
		raw, ok := p.raw(field)
		if !ok || fail != nil {
			return nil
		}
		var v string
		if string(raw) == "null" || json.Unmarshal(raw, &v) != nil {
			fail = rbacInvalidBody(field + " must be a string")
			return nil
		}
		return &v
	}
	if f.name = str("name"); f.name != nil && *f.name == "" {
		return f, rbacInvalidBody("name must have at least 1 character")
	}
	if f.url = str("url"); f.url != nil {
		if _, ok := parseWebhookURL(*f.url); !ok {
			return f, rbacInvalidBody("url must be a URL")
		}
	}
	if raw, ok := p.raw("events"); ok && fail == nil {
		if f.events, ok = stringList(raw); !ok || len(f.events) == 0 {
			return f, rbacInvalidBody("events must be a non-empty list of table names")
		}
	}
	if raw, ok := p.raw("enabled"); ok && fail == nil {
		var v bool
		if string(raw) == "null" || json.Unmarshal(raw, &v) != nil {
			return f, rbacInvalidBody("enabled must be true or false")
		}
		f.enabled = &v
	}
	camel, snake := str("deliveryVersion"), str("delivery_version")
	if f.version = camel; camel == nil {
		f.version = snake
	}
	return f, fail
}

// stringList decodes a JSON array of strings, none null.
func stringList(raw json.RawMessage) ([]string, bool) {
	var items []json.RawMessage
	if string(raw) == "null" || json.Unmarshal(raw, &items) != nil {
		return nil, false
	}
	out := make([]string, 0, len(items))
	for _, item := range items {
		var s string
		if string(item) == "null" || json.Unmarshal(item, &s) != nil {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// checkWebhookFields refuses, in this order, a delivery version, events or
// a URL Capgo does not take.
func checkWebhookFields(f webhookFields) *apiResponse {
	if fail := checkDeliveryVersion(f.version); fail != nil {
		return fail
	}
	var invalid []string
	for _, e := range f.events {
		if !slices.Contains(webhookTables, e) {
			invalid = append(invalid, e)
		}
	}
	if invalid != nil {
		return rbacRefuse(rbacCodeInvalidEvents, rbacMsgInvalidEvents, map[string]any{"invalid": invalid, "allowed": webhookTables})
	}
	if f.url != nil {
		return checkWebhookURL(*f.url)
	}
	return nil
}

func checkDeliveryVersion(version *string) *apiResponse {
	if version != nil && !slices.Contains(webhookVersions, *version) {
		return rbacRefuse(rbacCodeInvalidDeliveryVersion, rbacMsgInvalidDeliveryVersion, map[string]any{"allowed": webhookVersions})
	}
	return nil
}

// checkWebhookURL applies rules 1 to 4; the message is the rule, never the
// URL.
func checkWebhookURL(raw string) *apiResponse {
	u, ok := parseWebhookURL(raw)
	if !ok {
		return rbacInvalidBody("url must be a URL")
	}
	if problem := webhookURLProblem(u); problem != "" {
		return rbacRefuse(rbacCodeInvalidURL, problem, nil)
	}
	return nil
}

// rbacRefuse is the 400 of every refusal of 2.5 but authentication and
// the expiring-key rule, with a moreInfo of any JSON values ({} for nil).
func rbacRefuse(code, msg string, moreInfo map[string]any) *apiResponse {
	if moreInfo == nil {
		moreInfo = map[string]any{}
	}
	return &apiResponse{status: http.StatusBadRequest, body: rbacError{Error: code, Message: msg, MoreInfo: moreInfo}}
}

// isWebhookRoute reports whether a route is one of 2.5's.
func isWebhookRoute(route string) bool {
	return route == webhooksRoute || strings.HasPrefix(route, webhooksRoute+"/")
}
