# The email of the user your API key belongs to: the whole membership must keep them, as admin or
# super_admin, or the plan is refused (Terraform would lose access to the organization).
variable "my_email" {
  type        = string
  description = "The email of the Capgo account the provider's API key belongs to."
}

resource "capgo_organization" "mobile" {
  name = "Mobile team"
}

# The whole membership: whoever is not listed here is removed, including members added in the
# Capgo console. Everyone listed must have a Capgo account.
resource "capgo_organization_members" "mobile" {
  organization_id = capgo_organization.mobile.id
  members = {
    (var.my_email)    = { role = "super_admin" }
    "ops@example.com" = { role = "admin" }
    "dev@example.com" = { role = "write" }
  }
}
