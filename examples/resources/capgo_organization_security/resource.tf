resource "capgo_organization" "mobile" {
  name = "Mobile team"
}

# Only the settings written here are managed; the others stay as they are in Capgo.
resource "capgo_organization_security" "mobile" {
  organization_id = capgo_organization.mobile.id

  # Capgo refuses to enforce 2FA unless the user the API key belongs to has 2FA on: turn it on
  # in your Capgo account first, or leave this out.
  enforce_2fa = true
  password_policy = {
    enabled           = true
    min_length        = 12
    require_uppercase = true
    require_number    = true
    require_special   = false
  }
  max_api_key_expiration_days = 90
  enforce_hashed_api_keys     = true
}
