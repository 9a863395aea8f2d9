resource "capgo_organization" "mobile" {
  name = "Mobile team"
}

# The whole membership: whoever is not listed here is removed, including members added in the
# Capgo console. The API key's own user must stay, as admin or super_admin.
resource "capgo_organization_members" "mobile" {
  organization_id = capgo_organization.mobile.id
  members = {
    "owner@example.com" = { role = "super_admin" }
    "ops@example.com"   = { role = "admin" }
    "dev@example.com"   = { role = "write" }
  }
}
