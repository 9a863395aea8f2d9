# terraform query -generate-config-out=webhooks.tf writes a resource and an import block for each
# webhook of the organization. Capgo never shows a webhook's secret again: an imported webhook has
# none in the state.
list "capgo_organization_webhook" "mobile" {
  provider = capgo

  config {
    organization_id = "0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b"
  }
}
