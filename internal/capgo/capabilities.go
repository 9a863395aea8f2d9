package capgo

import "context"

// Capabilities are what the server at hand can do, as far as its answers have told. Callers ask
// these questions instead of which API the server speaks, so that a rule of either API changes
// this package only.
type Capabilities struct {
	// Known is false until an answer has told which API the server speaks; the other fields then
	// describe the documented API, the one a client must not assume more of.
	Known bool
	// ChangesRolesInPlace: inviting an existing member again with another role changes their
	// role, and keeps a pending invitation pending. Otherwise a role changes only by removing the
	// member and inviting them again, which leaves them pending until they accept.
	ChangesRolesInPlace bool
	// DeletesOrganizationWithLastSuperAdmin: removing an organization's last accepted super_admin
	// deletes the whole organization (and the server still answers "ok"), rather than being refused.
	DeletesOrganizationWithLastSuperAdmin bool
	// MatchesEmailsExactly: emails are matched case included, so Dev@example.com is not
	// dev@example.com.
	MatchesEmailsExactly bool
	// TakesEveryRoleName: invitations take role names of both vocabularies (org_member as well as
	// write); otherwise only read, upload, write, admin and super_admin.
	TakesEveryRoleName bool
	// SecuritySettings: organizations have security settings (2FA, password policy, API keys).
	SecuritySettings bool
	// UpdatesTimestamps: an organization's updated_at moves when it changes. Capgo's backend never
	// moves it after creation.
	UpdatesTimestamps bool
	// Webhooks: organizations have webhooks (signed deliveries of their changes).
	Webhooks bool
	// AuditLog: organizations keep an audit log of their changes.
	AuditLog bool
}

// Capabilities of API a.
func (a API) capabilities() Capabilities {
	production := a == APIProduction
	return Capabilities{
		Known:                                 a != APIUnknown,
		ChangesRolesInPlace:                   !production,
		DeletesOrganizationWithLastSuperAdmin: production,
		MatchesEmailsExactly:                  production,
		TakesEveryRoleName:                    production,
		SecuritySettings:                      production,
		UpdatesTimestamps:                     !production,
		Webhooks:                              production,
		AuditLog:                              production,
	}
}

// Capabilities tells what the server can do, as recognised from its answers so far.
func (c *Client) Capabilities() Capabilities { return c.API().capabilities() }

// ProductionCapabilities and DocumentedCapabilities are what a server of each API can do, for
// tests and for callers that reason about a server not met yet.
var (
	ProductionCapabilities = APIProduction.capabilities()
	DocumentedCapabilities = APIDocumented.capabilities()
)

// RoleToSend is the name under which the server takes role, a role of either vocabulary; ok is
// false when it has none (org_billing_admin for a server that takes only the five plain roles;
// org_member, which stands for any of read, upload and write, neither).
func (c Capabilities) RoleToSend(role string) (sent string, ok bool) {
	if c.TakesEveryRoleName {
		return role, true
	}
	return documentedRole(role)
}

// ServerCapabilities tells what the server can do. When no answer has told yet which API it
// speaks, it reads the organization, one request (only the production API's organizations have a
// website field), or, with orgID "" (an organization not created yet), the shared list of the
// organizations the key can see, which every account's own organization is in. When nothing tells,
// Known stays false.
func (c *Client) ServerCapabilities(ctx context.Context, orgID string) (Capabilities, error) {
	if can := c.Capabilities(); can.Known {
		return can, nil
	}
	var err error
	if orgID == "" {
		var orgs []Organization
		if orgs, err = c.ListOrganizationsShared(ctx); err == nil && len(orgs) > 0 && !c.Capabilities().Known {
			c.recognised.note(APIDocumented) // organizations without a website field
		}
	} else {
		var org *Organization
		if org, err = c.GetOrganization(ctx, orgID); err == nil && !org.HasWebsite {
			c.recognised.note(APIDocumented)
		}
	}
	return c.Capabilities(), err
}
