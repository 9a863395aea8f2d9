package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
	"github.com/Cap-go/terraform-provider-capgo/internal/membership"
)

// situationOf is what the membership rules need to know of an organization besides its members:
// whose key this is and what the server can do.
func situationOf(ctx context.Context, client *capgo.Client, orgID string, members []capgo.Member) membership.Situation {
	s := membership.Situation{OrganizationID: orgID, Members: members, Server: client.Capabilities()}
	return withKey(ctx, client, s)
}

// withKey adds whose key this is to s, when the client can tell: that may list the organizations
// the key can see, once per provider process.
func withKey(ctx context.Context, client *capgo.Client, s membership.Situation) membership.Situation {
	if key, known := client.KeyUserOf(ctx); known {
		s.Key = membership.Key{UID: key.UID, Email: key.Email}
	}
	return s
}

// findingDiagnostics turns the membership rules' findings into diagnostics of one severity, each
// at the attribute at returns for it (nil: the resource as a whole).
func findingDiagnostics(findings []membership.Finding, severity diag.Severity, at func(membership.Finding) path.Path) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, f := range findings {
		attribute := at(f)
		switch {
		case severity == diag.SeverityError && attribute.Equal(path.Empty()):
			diags.AddError(f.Summary, f.Detail)
		case severity == diag.SeverityError:
			diags.AddAttributeError(attribute, f.Summary, f.Detail)
		case attribute.Equal(path.Empty()):
			diags.AddWarning(f.Summary, f.Detail)
		default:
			diags.AddAttributeWarning(attribute, f.Summary, f.Detail)
		}
	}
	return diags
}

// planDiagnostics are a plan's refusals as errors and its warnings as warnings.
func planDiagnostics(plan membership.Plan, at func(membership.Finding) path.Path) diag.Diagnostics {
	diags := findingDiagnostics(plan.Refusals, diag.SeverityError, at)
	diags.Append(findingDiagnostics(plan.Warnings, diag.SeverityWarning, at)...)
	return diags
}

// planSituation is an organization as the refresh read it (the shared list costs no request), for
// a plan, without the key's user (withKey adds it); Unread when it cannot be had: no client yet,
// an organization not created yet, or a list that failed. An organization that is surely not
// there is an error: whatever the plan does in it would fail at apply.
func planSituation(ctx context.Context, client *capgo.Client, orgID string) (membership.Situation, diag.Diagnostics) {
	if client == nil {
		return membership.Situation{OrganizationID: orgID, Unread: true, AtPlan: true}, nil
	}
	return planSituationFrom(ctx, client, orgID, client.ListMembersShared)
}

// planSituationFrom is planSituation with the members listed by list.
func planSituationFrom(ctx context.Context, client *capgo.Client, orgID string,
	list func(context.Context, string) ([]capgo.Member, error),
) (membership.Situation, diag.Diagnostics) {
	var diags diag.Diagnostics
	if orgID == "" {
		return membership.Situation{OrganizationID: orgID, Unread: true, AtPlan: true}, diags
	}
	members, gone, err := membersOf(ctx, client, orgID, list)
	if gone {
		diags.Append(organizationNotFoundDiagnostic(orgID))
	}
	if err != nil || gone {
		return membership.Situation{OrganizationID: orgID, Unread: true, AtPlan: true, Server: client.Capabilities()}, diags
	}
	return membership.Situation{OrganizationID: orgID, Members: members, Server: client.Capabilities(), AtPlan: true}, diags
}
