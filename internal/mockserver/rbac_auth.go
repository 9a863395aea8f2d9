package mockserver

import (
	"net/http"
	"regexp"
)

// rbacSessionRoutes are the routes that, in Capgo's backend, accept a
// console session (a JWT) as well as an API key: they also read the key from
// x-api-key, and word a failed authentication differently from the other
// routes (2.4). The audit log's route and the webhooks' are among them.
var rbacSessionRoutes = map[string]bool{
	"POST /organization":              true,
	"PUT /organization":               true,
	"DELETE /organization/members":    true,
	"GET /organization/audit":         true,
	"GET /webhooks":                   true,
	"POST /webhooks":                  true,
	"PUT /webhooks":                   true,
	"DELETE /webhooks":                true,
	"POST /webhooks/test":             true,
	"GET /webhooks/deliveries":        true,
	"POST /webhooks/deliveries/retry": true,
}

// uuidPattern matches a UUID in its canonical form, as Capgo's keys are.
var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// apiKey reads the key from capgkey, which wins when both are sent, then
// authorization, then, on the routes that take a session, x-api-key. The
// other routes ignore x-api-key: a key sent only there is no key.
func (rbacDialect) apiKey(req *apiRequest) string {
	if rbacSessionRoutes[req.method+" "+req.route] {
		return req.headerKey("Capgkey", "Authorization", "X-Api-Key")
	}
	return req.headerKey("Capgkey", "Authorization")
}

// unauthorized tells a missing key from an unknown one, as the backend does.
// On the routes that also take a session, a value that is not a UUID is
// taken for a session token, and refused as one. Only unknown values get
// here: the mock's default keys, which are not UUIDs, are valid keys.
func (rbacDialect) unauthorized(req *apiRequest, key string) *apiResponse {
	session := rbacSessionRoutes[req.method+" "+req.route]
	switch {
	case key == "" && session:
		return rbacFail(http.StatusUnauthorized, rbacCodeNoCredentials, rbacMsgNoCredentials, nil)
	case key == "":
		return rbacFail(http.StatusUnauthorized, rbacCodeNoKey, rbacMsgNoKey, nil)
	case session && !uuidPattern.MatchString(key):
		return rbacFail(http.StatusUnauthorized, rbacCodeInvalidJWT, rbacMsgInvalidJWT, nil)
	}
	return rbacFail(http.StatusUnauthorized, rbacCodeInvalidAPIKey, rbacMsgInvalidAPIKey, nil)
}
