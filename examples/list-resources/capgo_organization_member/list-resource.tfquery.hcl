# Every member of an organization, pending invitees included.
list "capgo_organization_member" "mobile" {
  provider = capgo

  config {
    organization_id = "0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b"
  }
}

# Only the invitations not yet accepted.
list "capgo_organization_member" "mobile_pending" {
  provider = capgo

  config {
    organization_id = "0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b"
    status          = "pending"
  }
}
