package provider

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

// Capgo names roles in two vocabularies (see capgo/roles.go), and a configuration may use either,
// against either server.
var (
	plainRoles = capgo.PlainRoles()
	orgRoles   = capgo.OrgRoles()

	// memberRoles is every role a configuration may name.
	memberRoles = append(append([]string{}, plainRoles...), orgRoles...)
)

// The values of a member's status attribute.
const (
	statusPending = string(capgo.MemberPending)
	statusActive  = string(capgo.MemberActive)
)

func isMemberRole(role string) bool { return slices.Contains(memberRoles, role) }

// memberRole accepts one of memberRoles, and explains the invite_ prefix to anyone who copied a
// role from the API's answer.
func memberRole() validator.String {
	return stringRule{
		description: "must be one of " + quotedList(memberRoles),
		problem: func(attribute path.Path, role string) (string, string) {
			if isMemberRole(role) {
				return "", ""
			}
			if plain, ok := capgo.IsInvitationRole(role); ok && isMemberRole(plain) {
				return "Invalid role", fmt.Sprintf("%s = %q: the %q prefix is how the Capgo API reports an invitation "+
					"that has not been accepted yet, not a role you can assign. Write %s = %q; the member's status "+
					"attribute tells whether the invitation is still pending.", attribute, role, strings.TrimSuffix(role, plain), attribute, plain)
			}
			return "Invalid role", fmt.Sprintf("%s = %q is not a Capgo role. Use one of %s (Capgo's documented roles), "+
				"or one of %s (the names Capgo's production API uses).", attribute, role, quotedList(plainRoles),
				quotedList(orgRoles))
		},
	}
}

func quotedList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(quoted, ", ")
}

// markdownList renders values as `a`, `b`, `c` for schema descriptions.
func markdownList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = "`" + v + "`"
	}
	return strings.Join(quoted, ", ")
}
