# Needs Capgo's production API and an API key of an org_admin or org_super_admin.
data "capgo_organization_audit_log" "members" {
  organization_id = "0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b"
  table           = "org_users" # or orgs, apps, channels, app_versions; operation = "DELETE" keeps only removals
  max_entries     = 20
}

output "membership_changes" {
  value = [
    for e in data.capgo_organization_audit_log.members.entries :
    "${e.created_at}: ${e.operation} of user ${jsondecode(coalesce(e.new_record, e.old_record)).user_id} by ${coalesce(e.actor_user_email, e.actor_type)}"
  ]
}
