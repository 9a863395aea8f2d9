package membership

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/Cap-go/terraform-provider-capgo/internal/capgo"
)

var (
	documented = capgo.DocumentedCapabilities
	production = capgo.ProductionCapabilities
)

func accepted(uid, email, role string) capgo.Member {
	return capgo.Member{UID: uid, Email: email, Role: role, Status: capgo.MemberActive}
}

func pending(uid, email, role string) capgo.Member {
	return capgo.Member{UID: uid, Email: email, Role: role, Status: capgo.MemberPending}
}

// The cast of the cases: the key's user owns the organization.
var (
	owner      = accepted("u-owner", "owner@example.com", "super_admin")
	ownerOrg   = accepted("u-owner", "owner@example.com", "org_super_admin")
	boss       = accepted("u-boss", "boss@example.com", "super_admin")
	lead       = accepted("u-lead", "lead@example.com", "admin")
	dev        = accepted("u-dev", "dev@example.com", "write")
	devOrg     = accepted("u-dev", "dev@example.com", "org_member")
	invitee    = pending("u-new", "new@example.com", "read")
	invitedOrg = pending("u-new", "new@example.com", "org_member")
	bossInvite = pending("u-inv", "invited@example.com", "super_admin")
	console    = accepted("u-console", "console@example.com", "apikey_manager")
	ownerKey   = Key{UID: "u-owner", Email: "owner@example.com"}
	leadKey    = Key{UID: "u-lead", Email: "lead@example.com"}
)

// expected is what a decision must come to: its changes as they read, in the order sent; the rules
// of its refusals and warnings; whom a release keeps.
type expected struct {
	changes  []string
	refusals []Rule
	warnings []Rule
	kept     []string
	// guarded lists the emails of the changes that must be guarded; nil checks nothing.
	guarded []string
}

func (want expected) check(t *testing.T, p Plan) {
	t.Helper()
	var changes, guarded []string
	for _, c := range p.Changes {
		changes = append(changes, c.String())
		if c.Guarded {
			guarded = append(guarded, c.Email)
		}
	}
	if !slices.Equal(changes, want.changes) {
		t.Errorf("changes:\n  got  %q\n  want %q", changes, want.changes)
	}
	if got := rules(p.Refusals); !slices.Equal(got, want.refusals) {
		t.Errorf("refusals: got %v, want %v\n%s", got, want.refusals, words(p.Refusals))
	}
	if got := rules(p.Warnings); !slices.Equal(got, want.warnings) {
		t.Errorf("warnings: got %v, want %v\n%s", got, want.warnings, words(p.Warnings))
	}
	var kept []string
	for _, m := range p.Kept {
		kept = append(kept, m.Email)
	}
	if !slices.Equal(kept, want.kept) {
		t.Errorf("kept: got %v, want %v", kept, want.kept)
	}
	if want.guarded != nil && !slices.Equal(guarded, want.guarded) {
		t.Errorf("guarded: got %v, want %v", guarded, want.guarded)
	}
	for _, f := range append(slices.Clone(p.Refusals), p.Warnings...) {
		if f.Summary == "" || f.Detail == "" {
			t.Errorf("finding %v has no words: %+v", f.Rule, f)
		}
	}
}

func rules(findings []Finding) []Rule {
	var out []Rule
	for _, f := range findings {
		out = append(out, f.Rule)
	}
	return out
}

func words(findings []Finding) string {
	var b strings.Builder
	for _, f := range findings {
		fmt.Fprintf(&b, "  %s: %s\n", f.Summary, f.Detail)
	}
	return b.String()
}

func members(m ...capgo.Member) []capgo.Member { return m }

func TestSetMembership(t *testing.T) {
	tests := []struct {
		name string
		s    Situation
		w    Wanted
		want expected
	}{
		{
			name: "nothing to change, spellings aside",
			s:    Situation{Members: members(ownerOrg, devOrg), Server: production, Key: ownerKey},
			w:    Wanted{Roles: map[string]string{"Owner@Example.com": "super_admin", "dev@example.com": "write"}},
		},
		{
			name: "invites, role changes and removals, ordinary ones first",
			s:    Situation{Members: members(owner, lead, dev, invitee), Server: documented, Key: ownerKey},
			w:    Wanted{Roles: map[string]string{"owner@example.com": "super_admin", "dev@example.com": "admin", "zed@example.com": "read"}},
			want: expected{changes: []string{
				`change the role of dev@example.com from "write" to "admin"`,
				"revoke the invitation of new@example.com",
				`invite zed@example.com as "read"`,
				"remove lead@example.com",
			}, guarded: []string{"lead@example.com"}},
		},
		{
			name: "the key's own demotion goes last of the guarded changes",
			s:    Situation{Members: members(owner, boss, lead), Server: documented, Key: leadKey},
			w:    Wanted{Roles: map[string]string{"owner@example.com": "admin", "boss@example.com": "super_admin", "lead@example.com": "admin"}},
			want: expected{changes: []string{`change the role of owner@example.com from "super_admin" to "admin"`},
				guarded: []string{"owner@example.com"}},
		},
		{
			name: "promoting an admin in place takes control from no one",
			s:    Situation{Members: members(owner, lead), Server: documented, Key: ownerKey},
			w:    Wanted{Roles: map[string]string{"owner@example.com": "super_admin", "lead@example.com": "super_admin"}},
			want: expected{changes: []string{`change the role of lead@example.com from "admin" to "super_admin"`}, guarded: []string{}},
		},
		{
			name: "the key's user left out",
			s:    Situation{Members: members(owner, boss), Server: documented, Key: ownerKey},
			w:    Wanted{Roles: map[string]string{"boss@example.com": "super_admin"}},
			want: expected{changes: []string{"remove owner@example.com"}, refusals: []Rule{KeyUserLeftOut}},
		},
		{
			name: "the key's user demoted to write",
			s:    Situation{Members: members(owner, boss), Server: documented, Key: ownerKey},
			w:    Wanted{Roles: map[string]string{"owner@example.com": "write", "boss@example.com": "super_admin"}},
			want: expected{changes: []string{`change the role of owner@example.com from "super_admin" to "write"`},
				refusals: []Rule{KeyUserLosesControl}},
		},
		{
			name: "the key's user re-invited loses control",
			s:    Situation{Members: members(ownerOrg, boss), Server: production, Key: ownerKey},
			w:    Wanted{Roles: map[string]string{"owner@example.com": "admin", "boss@example.com": "super_admin"}, Reinvite: Allowed},
			want: expected{changes: []string{`change the role of owner@example.com from "org_super_admin" to "admin" by removing and re-inviting them`},
				refusals: []Rule{KeyUserLosesControl}, warnings: []Rule{Reinvites}},
		},
		{
			name: "no accepted super_admin left",
			s:    Situation{Members: members(owner, lead), Server: documented, Key: leadKey},
			w:    Wanted{Roles: map[string]string{"lead@example.com": "admin", "new@example.com": "super_admin"}},
			want: expected{changes: []string{`invite new@example.com as "super_admin"`, "remove owner@example.com"},
				refusals: []Rule{NoSuperAdmin}},
		},
		{
			name: "a pending super_admin is none",
			s:    Situation{Members: members(owner, bossInvite, lead), Server: documented, Key: leadKey},
			w:    Wanted{Roles: map[string]string{"lead@example.com": "admin", "invited@example.com": "super_admin"}},
			want: expected{changes: []string{"remove owner@example.com"}, refusals: []Rule{NoSuperAdmin}},
		},
		{
			name: "an accepted role change without re-invitation",
			s:    Situation{Members: members(ownerOrg, devOrg), Server: production, Key: ownerKey},
			w:    Wanted{Roles: map[string]string{"owner@example.com": "super_admin", "dev@example.com": "admin"}},
			want: expected{changes: []string{`change the role of dev@example.com from "org_member" to "admin" by removing and re-inviting them`},
				refusals: []Rule{NeedsReinvitation}},
		},
		{
			name: "an accepted role change with re-invitation is announced",
			s:    Situation{Members: members(ownerOrg, devOrg), Server: production, Key: ownerKey},
			w:    Wanted{Roles: map[string]string{"owner@example.com": "super_admin", "dev@example.com": "admin"}, Reinvite: Allowed},
			want: expected{changes: []string{`change the role of dev@example.com from "org_member" to "admin" by removing and re-inviting them`},
				warnings: []Rule{Reinvites}},
		},
		{
			name: "re-invitation undecided at plan time: the apply decides",
			s:    Situation{Members: members(ownerOrg, devOrg), Server: production, Key: ownerKey, AtPlan: true},
			w:    Wanted{Roles: map[string]string{"owner@example.com": "super_admin", "dev@example.com": "admin"}, Reinvite: Undecided},
			want: expected{changes: []string{`change the role of dev@example.com from "org_member" to "admin" by removing and re-inviting them`}},
		},
		{
			name: "a pending invitation is re-sent with its new role without a word",
			s:    Situation{Members: members(ownerOrg, invitedOrg), Server: production, Key: ownerKey},
			w:    Wanted{Roles: map[string]string{"owner@example.com": "super_admin", "new@example.com": "admin"}},
			want: expected{changes: []string{`change the role of new@example.com from "org_member" to "admin" by removing and re-inviting them`}},
		},
		{
			name: "case-only duplicate emails",
			s:    Situation{Members: members(owner), Server: documented, Key: ownerKey},
			w:    Wanted{Roles: map[string]string{"owner@example.com": "super_admin", "Dev@example.com": "read", "dev@example.com": "write"}},
			want: expected{changes: []string{`invite Dev@example.com as "read"`, `invite dev@example.com as "write"`},
				refusals: []Rule{DuplicateEmail}},
		},
		{
			name: "a role the documented API has no name for",
			s:    Situation{Members: members(owner), Server: documented, Key: ownerKey},
			w:    Wanted{Roles: map[string]string{"owner@example.com": "super_admin", "dev@example.com": "org_member"}},
			want: expected{refusals: []Rule{RoleNotTaken}},
		},
		{
			name: "a role name is not judged before the server is known",
			s:    Situation{Members: members(owner), Key: ownerKey, AtPlan: true},
			w:    Wanted{Roles: map[string]string{"owner@example.com": "super_admin", "dev@example.com": "org_member"}},
			want: expected{changes: []string{`invite dev@example.com as "org_member"`}},
		},
		{
			name: "creating over existing members names whom it removes, changes and invites",
			s:    Situation{Members: members(owner, lead, dev), Server: documented, Key: ownerKey, AtPlan: true},
			w:    Wanted{Roles: map[string]string{"owner@example.com": "super_admin", "dev@example.com": "read", "zed@example.com": "read"}, Creating: true},
			want: expected{changes: []string{
				`change the role of dev@example.com from "write" to "read"`, `invite zed@example.com as "read"`, "remove lead@example.com",
			}, warnings: []Rule{TakesOver}},
		},
		{
			name: "creating where everyone listed is there or invited says nothing",
			s:    Situation{Members: members(owner, invitee), Server: documented, Key: ownerKey, AtPlan: true},
			w:    Wanted{Roles: map[string]string{"owner@example.com": "super_admin", "new@example.com": "read", "zed@example.com": "write"}, Creating: true},
			want: expected{changes: []string{`invite zed@example.com as "write"`}},
		},
		{
			name: "a second apply after a failed create keeps who accepted meanwhile",
			s:    Situation{Members: members(ownerOrg, devOrg, invitedOrg), Server: production, Key: ownerKey},
			w: Wanted{Roles: map[string]string{"owner@example.com": "super_admin", "dev@example.com": "write", "new@example.com": "read",
				"nobody@example.com": "read"}, Creating: true},
			want: expected{changes: []string{`invite nobody@example.com as "read"`}},
		},
		{
			name: "a new organization: the key's user must be listed",
			s:    Situation{New: true, Server: production, Key: ownerKey, AtPlan: true},
			w:    Wanted{Roles: map[string]string{"boss@example.com": "super_admin", "dev@example.com": "write"}},
			want: expected{changes: []string{`invite boss@example.com as "super_admin"`, `invite dev@example.com as "write"`, "remove owner@example.com"},
				refusals: []Rule{KeyUserLeftOut, NoSuperAdmin}},
		},
		{
			name: "a new organization: the key's user as admin leaves no accepted super_admin",
			s:    Situation{New: true, Server: documented, Key: ownerKey, AtPlan: true},
			w:    Wanted{Roles: map[string]string{"owner@example.com": "admin", "boss@example.com": "super_admin"}},
			want: expected{changes: []string{`invite boss@example.com as "super_admin"`, `change the role of owner@example.com from "super_admin" to "admin"`},
				refusals: []Rule{NoSuperAdmin}},
		},
		{
			name: "a new organization listing its creator",
			s:    Situation{New: true, Server: documented, Key: ownerKey, AtPlan: true},
			w:    Wanted{Roles: map[string]string{"Owner@example.com": "super_admin", "dev@example.com": "write"}},
			want: expected{changes: []string{`invite dev@example.com as "write"`}},
		},
		{
			name: "a new organization, whose key unknown: only a listed super_admin can be checked",
			s:    Situation{New: true, Server: documented, AtPlan: true},
			w:    Wanted{Roles: map[string]string{"boss@example.com": "admin", "dev@example.com": "write"}},
			want: expected{changes: []string{`invite boss@example.com as "admin"`, `invite dev@example.com as "write"`},
				refusals: []Rule{NoSuperAdmin}, warnings: []Rule{KeyUserUnknown}},
		},
		{
			name: "a new organization, whose key unknown, with a super_admin listed",
			s:    Situation{New: true, Server: documented, AtPlan: true},
			w:    Wanted{Roles: map[string]string{"boss@example.com": "super_admin"}},
			want: expected{changes: []string{`invite boss@example.com as "super_admin"`}, warnings: []Rule{KeyUserUnknown}},
		},
		{
			name: "members unread: only what the configuration alone tells",
			s:    Situation{Unread: true, AtPlan: true},
			w:    Wanted{Roles: map[string]string{"dev@example.com": "write", "Dev@example.com": "write"}},
			want: expected{refusals: []Rule{DuplicateEmail, NoSuperAdmin}},
		},
		{
			name: "an existing organization, whose key unknown, losing an admin",
			s:    Situation{Members: members(owner, lead), Server: documented, AtPlan: true},
			w:    Wanted{Roles: map[string]string{"owner@example.com": "super_admin"}},
			want: expected{changes: []string{"remove lead@example.com"}, warnings: []Rule{KeyUserUnknown}},
		},
		{
			name: "an existing organization, whose key unknown, losing no one in control",
			s:    Situation{Members: members(owner, dev), Server: documented, AtPlan: true},
			w:    Wanted{Roles: map[string]string{"owner@example.com": "super_admin"}},
			want: expected{changes: []string{"remove dev@example.com"}},
		},
		{
			name: "a role given in the console is replaced",
			s:    Situation{Members: members(ownerOrg, console), Server: production, Key: ownerKey},
			w:    Wanted{Roles: map[string]string{"owner@example.com": "super_admin", "console@example.com": "write"}, Reinvite: Allowed},
			want: expected{changes: []string{`change the role of console@example.com from "apikey_manager" to "write" by removing and re-inviting them`},
				warnings: []Rule{Reinvites}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.want.check(t, SetMembership(tt.s, tt.w))
		})
	}
}

func TestOneMember(t *testing.T) {
	tests := []struct {
		name   string
		decide func() Plan
		want   expected
	}{
		{"invite", func() Plan {
			return InviteMember(Situation{Members: members(owner), Server: documented}, "dev@example.com", "write")
		}, expected{changes: []string{`invite dev@example.com as "write"`}}},
		{"invite someone already there, other case", func() Plan {
			return InviteMember(Situation{Members: members(owner, dev), Server: documented}, "DEV@example.com", "read")
		}, expected{refusals: []Rule{AlreadyMember}}},
		{"invite someone already invited", func() Plan {
			return InviteMember(Situation{Members: members(owner, invitee), Server: documented}, "new@example.com", "read")
		}, expected{refusals: []Rule{AlreadyMember}}},
		{"invite someone already there, at plan: a replacement may remove them first", func() Plan {
			return InviteMember(Situation{Members: members(owner, dev), Server: documented, AtPlan: true}, "dev@example.com", "read")
		}, expected{changes: []string{`invite dev@example.com as "read"`}, warnings: []Rule{AlreadyMember}}},
		{"invite with members unread", func() Plan {
			return InviteMember(Situation{Unread: true, AtPlan: true}, "dev@example.com", "write")
		}, expected{changes: []string{`invite dev@example.com as "write"`}}},
		{"invite with a role the server has no name for", func() Plan {
			return InviteMember(Situation{Members: members(owner), Server: documented}, "dev@example.com", "org_billing_admin")
		}, expected{refusals: []Rule{RoleNotTaken}}},

		{"change a role in place", func() Plan {
			return SetMemberRole(Situation{Members: members(owner, dev), Server: documented, Key: ownerKey}, "dev@example.com", "read", Refused)
		}, expected{changes: []string{`change the role of dev@example.com from "write" to "read"`}, guarded: []string{}}},
		{"the same role under another name", func() Plan {
			return SetMemberRole(Situation{Members: members(ownerOrg, devOrg), Server: production, Key: ownerKey}, "dev@example.com", "write", Refused)
		}, expected{}},
		{"demote the last super_admin", func() Plan {
			return SetMemberRole(Situation{Members: members(owner, lead), Server: documented, Key: leadKey}, "owner@example.com", "admin", Allowed)
		}, expected{refusals: []Rule{LastSuperAdmin}}},
		{"demote one super_admin of two", func() Plan {
			return SetMemberRole(Situation{Members: members(owner, boss), Server: documented, Key: ownerKey}, "boss@example.com", "admin", Refused)
		}, expected{changes: []string{`change the role of boss@example.com from "super_admin" to "admin"`}, guarded: []string{"boss@example.com"}}},
		{"demote the key's own membership", func() Plan {
			return SetMemberRole(Situation{Members: members(owner, boss), Server: documented, Key: ownerKey}, "owner@example.com", "write", Refused)
		}, expected{changes: []string{`change the role of owner@example.com from "super_admin" to "write"`}, warnings: []Rule{AccessLoss}}},
		{"re-invite an accepted member, not allowed", func() Plan {
			return SetMemberRole(Situation{Members: members(ownerOrg, devOrg), Server: production, Key: ownerKey}, "dev@example.com", "admin", Refused)
		}, expected{refusals: []Rule{NeedsReinvitation}}},
		{"re-invite an accepted member, allowed", func() Plan {
			return SetMemberRole(Situation{Members: members(ownerOrg, devOrg), Server: production, Key: ownerKey}, "dev@example.com", "admin", Allowed)
		}, expected{changes: []string{`change the role of dev@example.com from "org_member" to "admin" by removing and re-inviting them`},
			warnings: []Rule{Reinvites}}},
		{"re-invite a pending member", func() Plan {
			return SetMemberRole(Situation{Members: members(ownerOrg, invitedOrg), Server: production, Key: ownerKey}, "new@example.com", "admin", Refused)
		}, expected{changes: []string{`change the role of new@example.com from "org_member" to "admin" by removing and re-inviting them`}}},
		{"re-invite the last org_super_admin", func() Plan {
			return SetMemberRole(Situation{Members: members(ownerOrg, devOrg), Server: production, Key: leadKey}, "owner@example.com", "admin", Allowed)
		}, expected{refusals: []Rule{LastSuperAdmin}}},
		{"re-invite the key's own accepted membership", func() Plan {
			return SetMemberRole(Situation{Members: members(ownerOrg, boss), Server: production, Key: ownerKey}, "owner@example.com", "admin", Allowed)
		}, expected{refusals: []Rule{OwnReinvitation}}},
		{"a member gone before the apply", func() Plan {
			return SetMemberRole(Situation{Members: members(owner), Server: documented}, "dev@example.com", "read", Refused)
		}, expected{refusals: []Rule{MemberGone}}},
		{"replace a role given in the console", func() Plan {
			return SetMemberRole(Situation{Members: members(ownerOrg, console), Server: production, Key: ownerKey}, "console@example.com", "write", Allowed)
		}, expected{changes: []string{`change the role of console@example.com from "apikey_manager" to "write" by removing and re-inviting them`},
			warnings: []Rule{RoleUnknown, Reinvites}}},

		{"remove a writer", func() Plan {
			return RemoveMember(Situation{Members: members(owner, dev), Server: documented, Key: ownerKey, AtPlan: true}, "dev@example.com", "write", "destroys")
		}, expected{changes: []string{"remove dev@example.com"}, guarded: []string{}}},
		{"remove someone already gone", func() Plan {
			return RemoveMember(Situation{Members: members(owner), Server: documented}, "dev@example.com", "write", "")
		}, expected{}},
		{"remove the last super_admin, at apply", func() Plan {
			return RemoveMember(Situation{Members: members(owner, lead), Server: production, Key: leadKey}, "owner@example.com", "super_admin", "")
		}, expected{refusals: []Rule{LastSuperAdmin}}},
		{"remove the last super_admin, at plan: another change of the run may give another", func() Plan {
			return RemoveMember(Situation{Members: members(owner, lead), Server: documented, Key: leadKey, AtPlan: true}, "owner@example.com", "super_admin", "destroys")
		}, expected{warnings: []Rule{LastSuperAdmin}}},
		{"remove the key's own membership", func() Plan {
			return RemoveMember(Situation{Members: members(owner, boss), Server: documented, Key: ownerKey, AtPlan: true}, "owner@example.com", "super_admin", "destroys")
		}, expected{changes: []string{"remove owner@example.com"}, warnings: []Rule{AccessLoss}, guarded: []string{"owner@example.com"}}},
		{"remove an admin whose key may be theirs", func() Plan {
			return RemoveMember(Situation{Members: members(owner, lead), Server: documented, AtPlan: true}, "lead@example.com", "admin", "destroys")
		}, expected{changes: []string{"remove lead@example.com"}, warnings: []Rule{MayBeKeyUser}}},
		{"remove a super_admin with members unread", func() Plan {
			return RemoveMember(Situation{Unread: true, AtPlan: true}, "owner@example.com", "super_admin", "destroys")
		}, expected{warnings: []Rule{RemovesSuperAdmin}}},
		{"remove a writer with members unread", func() Plan {
			return RemoveMember(Situation{Unread: true, AtPlan: true}, "dev@example.com", "write", "destroys")
		}, expected{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.want.check(t, tt.decide())
		})
	}
}

func TestReleaseMembership(t *testing.T) {
	tests := []struct {
		name   string
		s      Situation
		listed []string
		want   expected
	}{
		{"the key's user, a super_admin, stays", Situation{Members: members(bossInvite, owner, boss, dev), Server: documented, Key: ownerKey},
			[]string{"invited@example.com", "owner@example.com", "boss@example.com", "dev@example.com"},
			expected{changes: []string{"remove dev@example.com", "revoke the invitation of invited@example.com", "remove boss@example.com"},
				kept: []string{"owner@example.com"}, warnings: []Rule{Kept}}},
		{"the key's user, an admin, and an accepted super_admin stay", Situation{Members: members(bossInvite, lead, boss, owner, dev), Server: documented, Key: leadKey},
			[]string{"invited@example.com", "lead@example.com", "boss@example.com", "owner@example.com", "dev@example.com"},
			expected{changes: []string{"remove dev@example.com", "revoke the invitation of invited@example.com", "remove owner@example.com"},
				kept: []string{"lead@example.com", "boss@example.com"}, warnings: []Rule{Kept}}},
		{"an accepted super_admin stays though the key's user is not listed", Situation{Members: members(owner, boss, lead, dev), Server: documented, Key: ownerKey},
			[]string{"boss@example.com", "lead@example.com", "dev@example.com"},
			expected{changes: []string{"remove dev@example.com", "remove lead@example.com"}, kept: []string{"boss@example.com"}, warnings: []Rule{Kept}}},
		{"every controlling member stays when the key's user is unknown", Situation{Members: members(bossInvite, lead, boss, dev), Server: documented},
			[]string{"invited@example.com", "lead@example.com", "boss@example.com", "dev@example.com"},
			expected{changes: []string{"remove dev@example.com", "revoke the invitation of invited@example.com"},
				kept: []string{"lead@example.com", "boss@example.com"}, warnings: []Rule{Kept}}},
		{"who is not listed is not touched", Situation{Members: members(owner, dev, lead), Server: documented, Key: ownerKey},
			[]string{"DEV@example.com"},
			expected{changes: []string{"remove dev@example.com"}}},
		{"nothing known, nothing removed", Situation{Unread: true}, []string{"dev@example.com"}, expected{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.want.check(t, ReleaseMembership(tt.s, tt.listed))
		})
	}
}

// A guarded change is decided again on the members just before it is sent.
func TestRecheck(t *testing.T) {
	removeBoss := Change{Action: Remove, Email: "boss@example.com", Before: boss, Guarded: true}
	demoteBoss := Change{Action: ChangeRole, Email: "boss@example.com", Role: "admin", Before: boss, Guarded: true}
	tests := []struct {
		name    string
		members []capgo.Member
		c       Change
		want    []Rule
	}{
		{"another super_admin is still there", members(owner, boss), removeBoss, nil},
		{"the other super_admin went meanwhile", members(boss, lead), removeBoss, []Rule{LastSuperAdmin}},
		{"the other super_admin is only invited", members(boss, bossInvite), demoteBoss, []Rule{LastSuperAdmin}},
		{"the member went meanwhile: nothing to remove", members(owner), removeBoss, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rules(Recheck(Situation{Members: tt.members, Server: documented, AtPlan: true}, tt.c))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// The words name the people, the organization and the way out.
func TestFindingWords(t *testing.T) {
	s := Situation{OrganizationID: "org-1", Members: members(ownerOrg, lead, dev), Server: production, Key: leadKey}
	tests := []struct {
		name  string
		f     Finding
		wants []string
	}{
		{"last super_admin, production", SetMemberRole(s, "owner@example.com", "admin", Allowed).Refusals[0],
			[]string{"owner@example.com", "organization org-1", "delete the whole organization", "removed block"}},
		{"kept", ReleaseMembership(Situation{OrganizationID: "org-1", Members: members(owner, boss, dev), Server: documented, Key: ownerKey},
			[]string{"owner@example.com", "boss@example.com", "dev@example.com"}).Warnings[0],
			[]string{"organization org-1", "owner@example.com: the API key's own user", "remove them in the Capgo console"}},
		{"takes over", SetMembership(s, Wanted{Roles: map[string]string{"owner@example.com": "super_admin", "lead@example.com": "admin",
			"zed@example.com": "read"}, Creating: true}).Warnings[0],
			[]string{"Organization org-1 already has members", "remove: dev@example.com", "invite: zed@example.com"}},
		{"role not taken", InviteMember(Situation{Server: documented}, "a@example.com", "org_member").Refusals[0],
			[]string{`role = "org_member"`, `"write"`}},
		{"duplicate", Duplicates([]string{"a@example.com", "A@example.com"})[0], []string{`"A@example.com" and "a@example.com"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, want := range tt.wants {
				if !strings.Contains(tt.f.Detail, want) {
					t.Errorf("%q does not say %q", tt.f.Detail, want)
				}
			}
		})
	}
}

func TestFindAndLastSuperAdmin(t *testing.T) {
	if m, ok := Find(members(owner, accepted("dev", "Dev@Example.com", "write")), "dev@EXAMPLE.com"); !ok || m.UID != "dev" {
		t.Fatalf("Find = %+v, %v", m, ok)
	}
	if _, ok := Find(members(owner), "other@example.com"); ok {
		t.Fatal("found a member who is not there")
	}
	tests := map[string]struct {
		members []capgo.Member
		email   string
		want    bool
	}{
		"only super_admin":                {members(owner, lead), "OWNER@example.com", true},
		"another accepted super_admin":    {members(owner, boss), "owner@example.com", false},
		"another one still pending":       {members(owner, bossInvite), "owner@example.com", true},
		"target is not super_admin":       {members(owner, lead), "lead@example.com", false},
		"target is a pending super_admin": {members(owner, bossInvite), "invited@example.com", false},
	}
	for name, tt := range tests {
		if got := isLastAcceptedSuperAdmin(tt.members, tt.email); got != tt.want {
			t.Errorf("%s: isLastAcceptedSuperAdmin = %v, want %v", name, got, tt.want)
		}
	}
}
