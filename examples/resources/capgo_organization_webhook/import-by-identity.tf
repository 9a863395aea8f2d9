import {
  to = capgo_organization_webhook.events
  identity = {
    organization_id = "0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b"
    id              = "6f1c2a7e-9b3d-4c4e-8f0a-1d2e3f405060"
  }
}
