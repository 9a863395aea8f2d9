data "capgo_organizations" "all" {}

output "organization_ids_by_name" {
  value = { for org in data.capgo_organizations.all.organizations : org.name => org.id... }
}
