# Terraform 1.12+ and OpenTofu 1.12+ also import them by their identity.
import {
  to = capgo_organization_security.mobile
  identity = {
    organization_id = "0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b"
  }
}
