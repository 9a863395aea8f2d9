data "capgo_organization" "mobile" {
  id = "0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b"
}

output "mobile_management_email" {
  value = data.capgo_organization.mobile.management_email
}
