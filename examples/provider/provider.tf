# The API key is best kept out of the configuration: export CAPGO_API_KEY instead.
provider "capgo" {
  # api_key = "..."                    # or CAPGO_API_KEY
  # api_url = "https://api.capgo.app" # or CAPGO_API_URL
}
