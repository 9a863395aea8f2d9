# An organization is imported by its ID.
terraform import capgo_organization.mobile 0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b
