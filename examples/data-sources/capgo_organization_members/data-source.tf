data "capgo_organization_members" "mobile" {
  organization_id = "0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b"
}

output "pending_invitations" {
  value = [for m in data.capgo_organization_members.mobile.members : m.email if m.status == "pending"]
}
