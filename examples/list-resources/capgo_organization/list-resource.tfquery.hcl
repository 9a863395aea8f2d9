# Every organization the API key's user is an accepted member of.
list "capgo_organization" "all" {
  provider = capgo
}
