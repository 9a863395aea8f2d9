resource "capgo_organization" "mobile" {
  name = "Mobile team"
}

# Invites dev@example.com; the membership stays "pending" until they accept in the Capgo console.
resource "capgo_organization_member" "dev" {
  organization_id = capgo_organization.mobile.id
  email           = "dev@example.com"
  role            = "write"
}

# One membership per person, from a map of emails to roles.
locals {
  release_managers = {
    "ops@example.com"  = "admin"
    "lead@example.com" = "upload"
  }
}

resource "capgo_organization_member" "release" {
  for_each        = local.release_managers
  organization_id = capgo_organization.mobile.id
  email           = each.key
  role            = each.value
}
