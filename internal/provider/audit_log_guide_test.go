package provider

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// terraformBlock finds the Terraform configurations of a guide.
var terraformBlock = regexp.MustCompile("(?s)```terraform\n(.*?)```")

// The check of the "Auditing membership changes" guide, as the guide writes it, warns of the
// membership changes made in the Capgo console, and of nothing else: not of Terraform's own, made
// with an API key, nor of someone accepting their own invitation. The audit log comes from a stub
// of Capgo's production API, since the mock makes no change in the console but acceptances.
func TestAccAuditLogGuideCheck(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	t.Parallel()
	blocks := terraformBlock.FindAllStringSubmatch(readFile(t, filepath.Join("..", "..", "templates", "guides", "auditing.md.tmpl")), -1)
	if len(blocks) != 1 {
		t.Fatalf("the guide has %d Terraform blocks, want the one of its check", len(blocks))
	}
	guide := strings.ReplaceAll(blocks[0][1], "capgo_organization.mobile.id", `"org-1"`)

	member := func(operation, actorType, actorID, actorEmail, memberID string) map[string]any {
		record := map[string]any{"org_id": "org-1", "user_id": memberID, "user_right": "write"}
		entry := map[string]any{
			"created_at": "2026-11-02T09:00:00Z", "table_name": "org_users", "record_id": "7",
			"operation": operation, "user_id": actorID, "org_id": "org-1", "old_record": record, "new_record": record,
			"actor_type": actorType, "actor_user_id": actorID, "actor_user_email": actorEmail,
		}
		switch operation {
		case "INSERT":
			entry["old_record"] = nil
		case "DELETE":
			entry["new_record"] = nil
		}
		return entry
	}
	// log numbers entries newest first, as Capgo does.
	log := func(entries ...map[string]any) []map[string]any {
		for i, e := range entries {
			e["id"] = len(entries) - i
		}
		return entries
	}
	byTerraform := func() []map[string]any {
		return []map[string]any{
			member("UPDATE", "user", "u-dev", "dev@example.com", "u-dev"), // dev accepts the invitation
			member("INSERT", "apikey", "u-admin", "admin@example.com", "u-dev"),
		}
	}

	providerDir := buildProvider(t)
	for name, row := range map[string]struct {
		entries  []map[string]any
		warnings []string
	}{
		"changes by Terraform": {entries: log(byTerraform()...)},
		"changes in the console": {entries: log(append([]map[string]any{
			member("DELETE", "user", "u-lead", "lead@example.com", "u-ops"),
			member("UPDATE", "user", "u-lead", "lead@example.com", "u-dev"),
		}, byTerraform()...)...), warnings: []string{
			"2026-11-02T09:00:00Z: DELETE by lead@example.com", "2026-11-02T09:00:00Z: UPDATE by lead@example.com",
		}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				answer := any(map[string]any{"id": "org-1", "name": "Mobile", "website": nil})
				if strings.HasPrefix(r.URL.Path, "/organization/audit") {
					answer = map[string]any{"data": row.entries, "total": len(row.entries), "page": 0, "limit": 100}
				}
				w.Header().Set("Content-Type", "application/json")
				_ = json.NewEncoder(w).Encode(answer)
			}))
			t.Cleanup(server.Close)

			run := newCLIRun(t, providerDir).quiet()
			writeFile(t, filepath.Join(run.dir, "main.tf"), cliProviderConfig(server.URL, "9d1c2b3a-0000-4000-8000-000000000001")+guide)
			if !run.terraform("plan", "-input=false") {
				t.Fatalf("terraform plan failed:\n%s", tail(run.out.String(), 40))
			}
			out := run.out.String()
			if warned := strings.Contains(out, "Check block assertion failed"); warned != (len(row.warnings) > 0) {
				t.Fatalf("the check warned: %t, want %t:\n%s", warned, len(row.warnings) > 0, tail(out, 40))
			}
			for _, want := range row.warnings {
				if !strings.Contains(out, want) {
					t.Errorf("the warning does not say %q:\n%s", want, tail(out, 40))
				}
			}
			if strings.Contains(out, "INSERT by") || strings.Contains(out, "by dev@example.com") {
				t.Errorf("the warning names a change by Terraform or an acceptance:\n%s", tail(out, 40))
			}
		})
	}
}
