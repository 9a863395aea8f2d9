#!/usr/bin/env bash
# Runs every scripts/mockctl command against a capgo-mock process, in each dialect, and checks what
# it prints: the tool a person uses beside the demo must keep working. Run it with
# `make mockctl-check`. The mock is stopped and the temporary files removed at the end, also after
# a failure or an interrupt.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Seconds to wait for the mock to start, and then to stop.
start_timeout=20
stop_timeout=10

work=$(mktemp -d "${TMPDIR:-/tmp}/capgo-mockctl-check.XXXXXX")
fail() {
  printf 'mockctl-check: FAILED (%s): %s\n' "$dialect" "$1" >&2
  shift
  printf '    %s\n' "$@" >&2
  exit 1
}

check=mockctl-check
# shellcheck source=scripts/mock-process.sh
source scripts/mock-process.sh # the script runs from the checkout's root

# mockctl runs the tool, its standard output to $work/out and its standard error to $work/err,
# and returns its exit status.
mockctl() {
  "$work/mockctl" "$@" >"$work/out" 2>"$work/err"
}

# expect_failure runs mockctl and checks that it fails with exit status 1, printing nothing on
# standard output and $1 on standard error.
expect_failure() {
  local want=$1 status=0
  shift
  mockctl "$@" || status=$?
  ((status == 1)) || fail "mockctl $* exited with $status" "expected: exit status 1"
  [[ ! -s $work/out ]] || fail "mockctl $* printed on standard output" "seen: $(cat "$work/out")"
  grep -qF -- "$want" "$work/err" || fail "mockctl $* did not say why" "expected: $want" "seen:     $(cat "$work/err")"
}

go build -o "$work/" ./internal/mockserver/cmd/capgo-mock ./scripts/mockctl

for dialect in docs rbac; do
  # One organization with dev invited, in the dialect's own role names.
  role=write
  [[ $dialect == rbac ]] && role=org_member
  cat >"$work/seed.json" <<EOF
{
  "users": [{"email": "admin@example.com"}, {"email": "dev@example.com"}],
  "organizations": [
    {"name": "Acme", "owner": "admin@example.com",
     "members": [{"email": "dev@example.com", "role": "$role", "pending": true}]}
  ]
}
EOF
  start_mock --dialect "$dialect" --seed "$work/seed.json"

  # organizations: one line, the ID, a tab, the name. CAPGO_API_URL stands for -url.
  CAPGO_API_URL=$url mockctl organizations || fail "mockctl organizations failed" "$(cat "$work/err")"
  line=$(cat "$work/out")
  [[ $line =~ ^([^[:space:]]+)$'\t'Acme$ ]] || fail "mockctl organizations printed an unexpected line" \
    "expected: ORG_ID<tab>Acme" "seen:     $line"
  org_id=${BASH_REMATCH[1]}

  # state: the mock's JSON, indented, dev pending; website is rbac's alone.
  mockctl -url "$url" state || fail "mockctl state failed" "$(cat "$work/err")"
  grep -q '^  "organizations": \[$' "$work/out" || fail "mockctl state printed no indented organizations" "$(cat "$work/out")"
  [[ $(grep -c '"pending": true' "$work/out") == 1 ]] || fail "mockctl state does not show dev pending" "$(cat "$work/out")"
  website=$(grep -c '"website"' "$work/out" || true)
  [[ $dialect == rbac && $website == 1 || $dialect == docs && $website == 0 ]] ||
    fail "mockctl state shows $website website fields" "$(cat "$work/out")"

  # accept, then state again: nobody is pending.
  mockctl -url "$url" accept "$org_id" dev@example.com || fail "mockctl accept failed" "$(cat "$work/err")"
  want="dev@example.com accepted the invitation to organization $org_id"
  [[ $(cat "$work/out") == "$want" ]] || fail "mockctl accept printed something else" "expected: $want" "seen:     $(cat "$work/out")"
  mockctl -url "$url" state || fail "mockctl state failed" "$(cat "$work/err")"
  ! grep -q '"pending": true' "$work/out" || fail "dev is still pending after mockctl accept" "$(cat "$work/out")"

  # Refusals: the mock's answer, then the usage mistakes.
  expect_failure '404 Not Found: {"error":"Invitation not found"}' -url "$url" accept "$org_id" dev@example.com
  expect_failure "unknown command" -url "$url" nope
  expect_failure "wrong number of arguments" -url "$url" accept "$org_id"
  CAPGO_API_URL= expect_failure "no mock URL" organizations

  stop_mock
  echo "mockctl-check: organizations, state, accept and their refusals work against dialect $dialect"
done
