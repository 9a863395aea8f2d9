# An organization's security settings are imported by the organization's ID. The import holds
# every setting the organization has.
terraform import capgo_organization_security.mobile 0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b
