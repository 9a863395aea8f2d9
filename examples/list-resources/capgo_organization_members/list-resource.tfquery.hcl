# The whole membership of one organization, pending invitees included.
list "capgo_organization_members" "mobile" {
  provider         = capgo
  include_resource = true

  config {
    organization_id = "0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b"
  }
}

# The membership of every organization the API key's user belongs to, one per organization.
list "capgo_organization_members" "all" {
  provider = capgo
}
