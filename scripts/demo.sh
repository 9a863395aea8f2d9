#!/usr/bin/env bash
# A guided run of examples/quickstart against a local mock of the Capgo API: no Capgo account and no
# network needed. Run it with `make demo`.
#
#   scripts/demo.sh [--dialect docs|rbac]
#
# The mock speaks the API as Capgo's documentation describes it (dialect docs, the default), or as
# Capgo's production backend answers (dialect rbac: `make demo DIALECT=rbac`).
#
# It builds the provider and the mock server, starts the mock on a free loopback port, and points
# Terraform at the fresh provider build through a CLI configuration of its own (dev_overrides), so
# the user's Terraform configuration is left alone and nothing is fetched from the Terraform
# Registry. Then it walks through the life of an organization: create it with three invited
# members, see the invitations pending, have one accepted, see Terraform notice it without planning
# any change, destroy everything. Each step is checked; the exit status is 0 only when every step
# did what it says. The mock and all temporary files are removed at the end, also after a failure
# or Ctrl-C.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD

dialect=docs
while (($# > 0)); do
  case $1 in
  --dialect)
    (($# >= 2)) || { echo "demo: --dialect needs a value: docs or rbac" >&2; exit 2; }
    dialect=$2
    shift 2
    ;;
  *)
    echo "usage: scripts/demo.sh [--dialect docs|rbac]" >&2
    exit 2
    ;;
  esac
done
case $dialect in
docs | rbac) ;;
*)
  echo "demo: unknown dialect '$dialect': docs or rbac" >&2
  exit 2
  ;;
esac

# What examples/quickstart declares: its members (sorted, as Terraform prints a map) and the
# account whose API key applies it.
members=(dev@example.com ops@example.com tester@example.com)
accepting=dev@example.com
admin=admin@example.com

# Seconds to wait for the mock to start, and then to stop.
start_timeout=20
stop_timeout=10

# --- Output -------------------------------------------------------------------------------------

if [[ -t 1 ]]; then
  bold=$'\e[1m' green=$'\e[32m' red=$'\e[31m' reset=$'\e[0m'
  no_color=
else
  bold= green= red= reset=
  no_color=-no-color
fi

steps=0
checks=0

# step announces the next step in plain words.
step() {
  steps=$((steps + 1))
  printf '\n%s==> %d. %s%s\n' "$bold" "$steps" "$1" "$reset"
  shift
  local line
  for line in "$@"; do
    printf '    %s\n' "$line"
  done
}

# passed records a check that held.
passed() {
  checks=$((checks + 1))
  printf '\n%s    ok: %s%s\n' "$green" "$1" "$reset"
}

# fail stops the demo: what went wrong, then what was expected and what was seen.
fail() {
  printf '\n%sFAILED: %s%s\n' "$red" "$1" "$reset" >&2
  shift
  local line
  for line in "$@"; do
    printf '    %s\n' "$line" >&2
  done
  exit 1
}

# --- Clean-up -----------------------------------------------------------------------------------

work=
mock_pid=
child=

# await waits up to $2 seconds for process $1 to exit, and fails if it has not.
await() {
  local pid=$1 tenths=$(($2 * 10))
  while kill -0 "$pid" 2>/dev/null; do
    ((tenths-- > 0)) || return 1
    sleep 0.1
  done
}

stop_mock() {
  [[ -n $mock_pid ]] || return 0
  local pid=$mock_pid
  mock_pid=
  kill -TERM "$pid" 2>/dev/null || true
  if ! await "$pid" "$stop_timeout"; then
    echo "The mock server did not stop within ${stop_timeout}s; killing it." >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# stop_child lets the command that was running when the demo was interrupted finish: a Ctrl-C
# reaches it too, and Terraform stops gracefully. It gets SIGTERM if it lingers.
stop_child() {
  [[ -n $child ]] || return 0
  local pid=$child
  child=
  if ! await "$pid" "$stop_timeout"; then
    kill -TERM "$pid" 2>/dev/null || true
    await "$pid" "$stop_timeout" || kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT
  trap '' INT TERM # a second Ctrl-C must not cut the clean-up short
  stop_child
  stop_mock
  if [[ -n $work ]]; then
    rm -rf "$work"
  fi
  if ((status == 0)); then
    printf '\nStopped the mock server and removed the temporary files.\n'
  else
    printf '\nStopped the mock server and removed the temporary files (exit status %d).\n' "$status" >&2
  fi
  exit "$status"
}

interrupted() {
  printf '\n%sInterrupted.%s\n' "$red" "$reset" >&2
  exit "$1"
}

trap cleanup EXIT
trap 'interrupted 130' INT
trap 'interrupted 143' TERM

# --- Helpers ------------------------------------------------------------------------------------

# run runs a command and waits for it. Waiting with the wait builtin lets an interrupt reach the
# demo's trap at once, even when the command handles the interrupt itself, as Terraform does.
run() {
  "$@" &
  child=$!
  local status=0
  wait "$child" || status=$?
  child=
  return "$status"
}

# tf runs Terraform in the working copy of the quickstart. The development override of the
# provider makes Terraform print a warning on every run; -compact-warnings shortens it to a line.
tf() {
  local command=$1
  shift
  case $command in
  apply | destroy | plan)
    run terraform -chdir="$work/quickstart" "$command" ${no_color:+"$no_color"} -compact-warnings "$@"
    ;;
  *)
    run terraform -chdir="$work/quickstart" "$command" ${no_color:+"$no_color"} "$@"
    ;;
  esac
}

# member_statuses prints the member_statuses output as "EMAIL=STATUS" words on one line. The output
# is a flat JSON object of strings, e.g. {"dev@example.com":"pending"}.
member_statuses() {
  local json pair pairs=() seen=()
  json=$(tf output -json member_statuses) || return 1
  json=${json//[[:space:]]/}
  json=${json#\{}
  json=${json%\}}
  if [[ -n $json ]]; then
    IFS=, read -r -a pairs <<<"$json"
  fi
  for pair in ${pairs[@]+"${pairs[@]}"}; do
    pair=${pair//\"/}
    seen+=("${pair%%:*}=${pair#*:}")
  done
  echo "${seen[*]-}"
}

# expect_statuses checks every member's status: $1 is the member that has accepted, if any.
expect_statuses() {
  local active=${1:-} member expected=() seen
  for member in "${members[@]}"; do
    if [[ $member == "$active" ]]; then
      expected+=("$member=active")
    else
      expected+=("$member=pending")
    fi
  done
  seen=$(member_statuses) || fail "terraform output -json member_statuses failed"
  if [[ $seen != "${expected[*]}" ]]; then
    fail "the members' statuses are not what they should be" \
      "expected: ${expected[*]}" \
      "seen:     ${seen:-(no members)}"
  fi
}

# --- The demo -----------------------------------------------------------------------------------

for tool in go terraform; do
  command -v "$tool" >/dev/null 2>&1 ||
    fail "'$tool' is not on PATH" "expected: Go and the Terraform CLI installed (see README.md, Requirements)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/capgo-demo.XXXXXX")

step "Build the provider, the mock Capgo server and its control tool" \
  "$ go build -o $work/bin/ . ./internal/mockserver/cmd/capgo-mock ./scripts/mockctl"
run go build -o "$work/bin/" . ./internal/mockserver/cmd/capgo-mock ./scripts/mockctl ||
  fail "go build failed" "expected: the provider, internal/mockserver/cmd/capgo-mock and scripts/mockctl to build"
for binary in terraform-provider-capgo capgo-mock mockctl; do
  [[ -x $work/bin/$binary ]] || fail "the build produced no $binary" "expected: $work/bin/$binary"
done
mockctl=$work/bin/mockctl
passed "built terraform-provider-capgo, capgo-mock and mockctl"

step "Start the mock Capgo server on a free loopback port, speaking dialect $dialect" \
  "Its accounts come from examples/quickstart/mock-seed.json: $admin, whose API key" \
  "Terraform uses, and the three people the quickstart invites. $admin has an organization" \
  "of its own, as Capgo's sign-up gives every account: Capgo's production API lets an API key" \
  "create an organization only when its user is already an admin of one."
"$work/bin/capgo-mock" --listen 127.0.0.1:0 --dialect "$dialect" --seed "$repo/examples/quickstart/mock-seed.json" \
  >"$work/mock.out" 2>"$work/mock.log" &
mock_pid=$!
echo
api_url= api_key= waited=0
while [[ -z $api_key ]]; do
  if ! kill -0 "$mock_pid" 2>/dev/null; then
    mock_pid=
    fail "the mock server exited at start" "its output: $(cat "$work/mock.out" "$work/mock.log")"
  fi
  if ((waited >= start_timeout * 10)); then
    fail "the mock server did not start within ${start_timeout}s" \
      "expected: a first line 'capgo-mock listening on http://127.0.0.1:PORT'" \
      "seen:     $(cat "$work/mock.out" "$work/mock.log")"
  fi
  sleep 0.1
  waited=$((waited + 1))
  first=$(head -n 1 "$work/mock.out")
  [[ -n $first ]] || continue
  if [[ $first =~ ^capgo-mock\ listening\ on\ (http://127\.0\.0\.1:[0-9]+)$ ]]; then
    api_url=${BASH_REMATCH[1]}
  else
    fail "the mock server printed an unexpected first line" \
      "expected: capgo-mock listening on http://127.0.0.1:PORT" \
      "seen:     $first"
  fi
  while IFS= read -r line; do
    if [[ $line == "api key for $admin: "* ]]; then
      api_key=${line#"api key for $admin: "}
    fi
  done <"$work/mock.out"
done
cat "$work/mock.out"
# What the mock holds before Terraform runs: the destroy must leave exactly this behind.
seeded=$("$mockctl" -url "$api_url" organizations) || fail "could not read the mock's state"
[[ -n $seeded ]] || fail "the mock holds no organization at start" "expected: $admin's own, from the seed"
passed "the mock server listens on $api_url (process $mock_pid), dialect $dialect"

step "Point Terraform at the provider just built" \
  "A CLI configuration of the demo's own (TF_CLI_CONFIG_FILE) makes Terraform take cap-go/capgo" \
  "from that build (dev_overrides): no 'terraform init', nothing fetched from the Terraform" \
  "Registry, and your own Terraform configuration is left alone. Terraform notes the override" \
  "at every run. The provider finds the mock and its API key in CAPGO_API_URL and CAPGO_API_KEY."
cat >"$work/terraformrc" <<EOF
provider_installation {
  dev_overrides {
    "registry.terraform.io/cap-go/capgo" = "$work/bin"
  }
  direct {}
}
EOF
mkdir "$work/quickstart"
cp "$repo"/examples/quickstart/*.tf "$work/quickstart/"
export TF_CLI_CONFIG_FILE=$work/terraformrc
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
unset TF_CLI_ARGS TF_CLI_ARGS_apply TF_CLI_ARGS_plan TF_CLI_ARGS_destroy TF_CLI_ARGS_output \
  TF_DATA_DIR TF_WORKSPACE TF_REATTACH_PROVIDERS
export CAPGO_API_URL=$api_url CAPGO_API_KEY=$api_key
echo
cat "$work/terraformrc"
echo
echo "The quickstart, copied to $work/quickstart, checked against the provider's schema:"
echo "$ terraform validate"
tf validate || fail "terraform validate failed" "expected: the quickstart to be valid for the provider just built"
passed "Terraform loads the provider just built, and the quickstart is valid"

step "Apply the quickstart: an organization and three invited members" \
  "$ terraform apply -auto-approve"
tf apply -auto-approve || fail "terraform apply failed" "expected: exit status 0"
passed "terraform apply created the organization and invited three members"

step "Every invitation is pending: nobody has accepted yet" \
  "$ terraform output member_statuses"
echo
tf output member_statuses
expect_statuses ""
passed "${members[*]} are all pending"

org_id=$(tf output -raw organization_id) || fail "terraform output -raw organization_id failed"
step "$accepting accepts the invitation" \
  "In real life they would click the link in Capgo's email; the mock takes it through its" \
  "control API:" \
  "$ mockctl accept $org_id $accepting"
echo
run "$mockctl" -url "$api_url" accept "$org_id" "$accepting" ||
  fail "the mock did not take the acceptance" "expected: the pending invitation of $accepting to be accepted"
passed "the mock recorded the acceptance"

step "Refresh: Terraform sees the accepted invitation" \
  "A refresh-only apply reads every member again and records what it finds; the acceptance" \
  "shows up as a change made outside Terraform." \
  "$ terraform apply -refresh-only -auto-approve"
tf apply -refresh-only -auto-approve || fail "terraform apply -refresh-only failed" "expected: exit status 0"
expect_statuses "$accepting"
passed "$accepting is active, the others still pending"

step "Plan: the acceptance needs no change" \
  "terraform plan -detailed-exitcode exits with 0 when there is nothing to do, 2 when there is." \
  "$ terraform plan -detailed-exitcode"
plan_status=0
tf plan -detailed-exitcode || plan_status=$?
case $plan_status in
0) passed "the plan is empty" ;;
2) fail "the plan is not empty" "expected: no changes (exit status 0)" "seen:     changes (exit status 2)" ;;
*) fail "terraform plan failed" "expected: no changes (exit status 0)" "seen:     an error (exit status $plan_status)" ;;
esac

step "Destroy everything Terraform made" \
  "The members and the organization are removed from Capgo; the admin's own organization stays." \
  "$ terraform destroy -auto-approve"
tf destroy -auto-approve || fail "terraform destroy failed" "expected: exit status 0"
echo
echo "Organizations the mock still holds (mockctl organizations):"
left=$("$mockctl" -url "$api_url" organizations) || fail "could not read the mock's state"
echo "$left" | sed 's/^/  /'
if [[ $left != "$seeded" ]]; then
  fail "the mock does not hold what it started with after the destroy" \
    "expected: ${seeded//$'\n'/; }" "seen:     ${left//$'\n'/; }"
fi
passed "the mock holds only $admin's own organization, as at start"

printf '\n%sThe demo went through: %d steps, %d checks passed.%s\n' "$bold$green" "$steps" "$checks" "$reset"
