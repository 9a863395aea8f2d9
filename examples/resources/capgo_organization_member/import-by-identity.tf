# Terraform 1.12+ and OpenTofu 1.12+ also import a membership, pending or accepted, by its
# identity. The email may be written in any case; the identity holds it in lower case.
import {
  to = capgo_organization_member.dev
  identity = {
    organization_id = "0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b"
    email           = "dev@example.com"
  }
}
