resource "capgo_organization" "mobile" {
  name             = "Mobile team"
  management_email = "mobile-billing@example.com"
  logo             = "https://example.com/mobile-team.png"
}
