# The members of an organization are imported by its ID; roles are named as the server names them.
terraform import capgo_organization_members.mobile 0b7d5d0e-1c1d-4c5e-9a43-1f0c3d1e2a4b
