resource "capgo_organization" "mobile" {
  name = "Mobile team"
}

# Every new or changed endpoint gets a test delivery before the run ends: the apply fails unless
# the receiver answers 2xx.
resource "capgo_organization_webhook" "events" {
  organization_id = capgo_organization.mobile.id
  name            = "Membership changes"
  url             = "https://hooks.example.com/capgo"
  events          = ["org_users"]

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.capgo_organization_webhook_test.events]
    }
  }
}

# Also on demand: terraform apply -invoke=action.capgo_organization_webhook_test.events
action "capgo_organization_webhook_test" "events" {
  config {
    organization_id = capgo_organization_webhook.events.organization_id
    webhook_id      = capgo_organization_webhook.events.id
  }
}
