# A membership, pending or accepted, is imported by <organization_id>/<email>.
terraform import capgo_organization_member.dev 0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b/dev@example.com
