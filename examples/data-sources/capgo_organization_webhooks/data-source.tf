data "capgo_organization_webhooks" "mobile" {
  organization_id = "0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b"
}

# Webhooks Capgo has turned off after failed deliveries.
output "webhooks_turned_off" {
  value = [for w in data.capgo_organization_webhooks.mobile.webhooks : w.name if !w.enabled]
}
