terraform {
  required_providers {
    capgo = {
      source = "cap-go/capgo"
    }
  }
}

# The provider reads CAPGO_API_URL and CAPGO_API_KEY from the environment.
provider "capgo" {}

resource "capgo_organization" "quickstart" {
  name = "Quickstart team"
}

# Three people, each with another role. Each one is invited, and stays
# "pending" until they accept the invitation in the Capgo console.
locals {
  members = {
    "dev@example.com"    = "write"
    "ops@example.com"    = "admin"
    "tester@example.com" = "read"
  }
}

resource "capgo_organization_member" "team" {
  for_each = local.members

  organization_id = capgo_organization.quickstart.id
  email           = each.key
  role            = each.value
}

# Everyone in the organization as Capgo reports it: the creator, and the people above.
data "capgo_organization_members" "all" {
  organization_id = capgo_organization.quickstart.id

  depends_on = [capgo_organization_member.team]
}
