output "organization_id" {
  description = "The ID Capgo gave the organization."
  value       = capgo_organization.quickstart.id
}

output "member_statuses" {
  description = "Each invited member's status: pending until they accept, then active."
  value       = { for email, m in capgo_organization_member.team : email => m.status }
}

output "everyone" {
  description = "Every member of the organization, as the capgo_organization_members data source lists them."
  value       = [for m in data.capgo_organization_members.all.members : "${m.email} (${m.role}, ${m.status})"]
}
