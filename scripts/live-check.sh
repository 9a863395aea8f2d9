#!/usr/bin/env bash
# Runs `make sweep` and `make testacc-live`, the two entry points for testing against Capgo itself,
# against a capgo-mock process of dialect rbac instead, and checks that they keep to their word:
# the sweep removes the organizations named tf-acc-* and nothing else, the live tests leave no
# tf-acc-* organization behind and leave alone an organization the key's user does not own.
#
# The mock is seeded (in a temporary folder) with admin@example.com, whose API key the tests use,
# and its own organization; invitee1@example.com and invitee2@example.com, the accounts they invite;
# other@example.com's organization "Someone else's", of which the admin is a member; and two
# leftovers of a broken run, tf-acc-leftover-1 and tf-acc-leftover-2. Webhook deliveries go to
# 127.0.0.1:9, where nothing listens: they fail at once and never leave the machine. The mock is
# stopped and the temporary files removed at the end, also after a failure or an interrupt.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Seconds to wait for the mock to start, and then to stop.
start_timeout=30
stop_timeout=10

admin=admin@example.com
admin_key=capgo-live-check-admin-key
invitees=invitee1@example.com,invitee2@example.com
other_org="Someone else's"
leftovers=(tf-acc-leftover-1 tf-acc-leftover-2)

work=$(mktemp -d "${TMPDIR:-/tmp}/capgo-live-check.XXXXXX")
fail() {
  printf 'live-check: FAILED: %s\n' "$1" >&2
  shift
  printf '    %s\n' "$@" >&2
  exit 1
}

check=live-check
# shellcheck source=scripts/mock-process.sh
source scripts/mock-process.sh # the script runs from the checkout's root

# livestate reads the mock's state or statistics (scripts/livestate).
livestate() {
  "$work/livestate" -url "$url" "$@"
}

start=$SECONDS
go build -o "$work/" ./internal/mockserver/cmd/capgo-mock ./scripts/livestate

cat >"$work/seed.json" <<EOF_SEED
{
  "users": [
    {"email": "$admin", "api_key": "$admin_key"},
    {"email": "invitee1@example.com"},
    {"email": "invitee2@example.com"},
    {"email": "other@example.com"}
  ],
  "organizations": [
    {"name": "$admin", "owner": "$admin"},
    {"name": "$other_org", "owner": "other@example.com",
     "members": [{"email": "$admin", "role": "org_member"}]},
    {"name": "${leftovers[0]}", "owner": "$admin"},
    {"name": "${leftovers[1]}", "owner": "$admin"}
  ]
}
EOF_SEED

start_mock --dialect rbac --seed "$work/seed.json" --webhook-target http://127.0.0.1:9/
# The key lines follow the listening line at once; read the admin's from there, as the seed says.
key=
for ((i = 0; i < 50; i++)); do
  key=$(sed -n "s/^api key for $admin: //p" "$work/mock.out")
  [[ -z $key ]] || break
  sleep 0.1
done
[[ $key == "$admin_key" ]] || fail "capgo-mock printed no API key for $admin" "$(cat "$work/mock.out")"
echo "live-check: capgo-mock (dialect rbac) listens on $url, process $mock_pid ($((SECONDS - start))s)"

export CAPGO_API_URL=$url CAPGO_API_KEY=$key CAPGO_ACC_INVITEE_EMAILS=$invitees

other_before=$(livestate organization "$other_org") || fail "could not read $other_org from the mock's state"
named=$(livestate named tf-acc-)
[[ $(grep -c . <<<"$named") == 2 ]] || fail "the mock does not hold the two leftovers at start" "seen: $named"

# The sweep removes both leftovers, says so, and nothing else.
step=$SECONDS
make --no-print-directory sweep >"$work/sweep.out" 2>&1 || fail "make sweep failed" "$(cat "$work/sweep.out")"
cat "$work/sweep.out"
for name in "${leftovers[@]}"; do
  grep -q "^removed organization \"$name\" (" "$work/sweep.out" || fail "make sweep did not report $name removed" "$(cat "$work/sweep.out")"
done
grep -qx "sweep: removed 2 organizations named tf-acc-\*" "$work/sweep.out" ||
  fail "make sweep did not sum up two removals" "$(cat "$work/sweep.out")"
named=$(livestate named tf-acc-)
[[ -z $named ]] || fail "organizations named tf-acc-* are left after make sweep" "$named"
livestate organization "$admin" >/dev/null || fail "make sweep removed $admin's own organization"
[[ $(livestate organization "$other_org") == "$other_before" ]] || fail "make sweep changed $other_org"
echo "live-check: make sweep removed ${leftovers[*]} and nothing else ($((SECONDS - step))s)"

# The live tests, then nothing of theirs left behind, and the other user's organization as it was.
step=$SECONDS
requests_before=$(livestate requests)
status=0
make --no-print-directory testacc-live || status=$?
requests=$(($(livestate requests) - requests_before))
echo "live-check: make testacc-live: $((SECONDS - step))s, $requests requests to the mock, exit status $status"
((status == 0)) || fail "make testacc-live failed (above)"
named=$(livestate named tf-acc-)
[[ -z $named ]] || fail "make testacc-live left organizations named tf-acc-* behind" "$named"
other_after=$(livestate organization "$other_org") || fail "$other_org is gone after make testacc-live"
[[ $other_after == "$other_before" ]] ||
  fail "make testacc-live changed $other_org" "before: $other_before" "after:  $other_after"
echo "live-check: make sweep and make testacc-live kept to their word ($((SECONDS - start))s in all)"
