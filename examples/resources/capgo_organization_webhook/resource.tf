resource "capgo_organization" "mobile" {
  name = "Mobile team"
}

# Capgo posts a signed event to this URL whenever someone is invited to, joins or leaves the
# organization, or one of its apps changes. The receiver checks each signature with the secret.
resource "capgo_organization_webhook" "events" {
  organization_id  = capgo_organization.mobile.id
  name             = "Membership and app changes"
  url              = "https://hooks.example.com/capgo"
  events           = ["org_users", "apps"]
  delivery_version = "standard"
}

# Capgo shows the secret only when it creates the webhook: hand it to the receiver from here.
output "webhook_secret" {
  value     = capgo_organization_webhook.events.secret
  sensitive = true
}
