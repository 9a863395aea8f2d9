package mockserver

import "slices"

// The routes of 2.5 about deliveries: the test, the list and the retry.

// testWebhook answers POST /webhooks/test: it records a test.ping delivery
// and has the Server make it once the store is unlocked, even to a
// disabled webhook. A stored URL that breaks a rule records nothing.
func (d rbacDialect) testWebhook(st *store, caller *user, req *apiRequest) *apiResponse {
	o, w, fail := d.namedWebhook(st, caller, req)
	if fail != nil {
		return fail
	}
	if fail := checkWebhookURL(w.url); fail != nil {
		return fail
	}
	return &apiResponse{ping: st.addDelivery(w, testEvent(o.id, st.now()))}
}

// getDeliveries answers GET /webhooks/deliveries: a page of a webhook's
// deliveries, newest first, of one status when status is given.
func (d rbacDialect) getDeliveries(st *store, caller *user, req *apiRequest) *apiResponse {
	p, o, fail := d.webhookParams(st, caller, req)
	if fail != nil {
		return fail
	}
	id, fail := requiredID(p, "webhookId")
	if fail != nil {
		return fail
	}
	page, ok := queryCount(req, "page", 0, 0)
	if !ok {
		return rbacInvalidBody("page must be a whole number from 0")
	}
	w, fail := rbacOrgWebhook(st, o, id, false)
	if fail != nil {
		return fail
	}
	status := req.query.Get("status")
	var matching []*delivery
	for _, dl := range slices.Backward(w.deliveries) {
		if status == "" || dl.status == status {
			matching = append(matching, dl)
		}
	}
	out := deliveryPage{Deliveries: []deliveryObject{}, Pagination: pagination{
		Page: page, PerPage: webhooksPerPage, Total: len(matching), HasMore: (page+1)*webhooksPerPage < len(matching),
	}}
	for _, dl := range pageOf(matching, page) {
		out.Deliveries = append(out.Deliveries, deliveryObjectOf(dl))
	}
	return okResponse(out)
}

// retryDelivery answers POST /webhooks/deliveries/retry: a failed delivery
// starts again, pending with a fresh 10 attempts, to its webhook's URL as it
// is now. A delivery of another organization is not found.
func (d rbacDialect) retryDelivery(st *store, caller *user, req *apiRequest) *apiResponse {
	p, o, fail := d.webhookParams(st, caller, req)
	if fail != nil {
		return fail
	}
	id, fail := requiredID(p, "deliveryId")
	if fail != nil {
		return fail
	}
	dl := st.deliveries[id]
	if dl == nil || dl.orgID != o.id {
		return rbacRefuse(rbacCodeDeliveryNotFound, rbacMsgDeliveryNotFound, map[string]any{"deliveryId": id})
	}
	if dl.status != deliveryFailed {
		return rbacRefuse(rbacCodeDeliveryNotFailed, rbacMsgDeliveryNotFailed, map[string]any{"deliveryId": id, "status": dl.status})
	}
	if w := st.webhook(dl.webhookID); !w.enabled {
		return rbacRefuse(rbacCodeWebhookDisabled, rbacMsgWebhookDisabled, map[string]any{"webhookId": w.id})
	}
	dl.status, dl.attemptCount = deliveryPending, 0
	dl.responseStatus, dl.responseBody, dl.durationMS = nil, nil, nil
	dl.nextRetryAt, dl.completedAt = nil, nil
	if st.deliver != nil {
		st.deliver(dl)
	}
	return okResponse(map[string]string{"status": "Delivery queued for retry", "deliveryId": dl.id})
}
