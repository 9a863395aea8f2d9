#!/usr/bin/env bash
# Runs tests with TF_ACC=1, so the acceptance tests drive the given Terraform or OpenTofu CLI, and
# prints, per package, how many tests passed, were skipped and failed, and how long they took (the
# output of a failing test is printed in full).
#
#   scripts/testacc.sh CLI [PACKAGE...]
#
# CLI is a path, or a name looked up on PATH (terraform). PACKAGE defaults to ./internal/provider/.
# For OpenTofu, the provider is addressed at registry.opentofu.org, and TF_CLI_CONFIG_FILE is set
# to an empty file unless it already names one that exists. TEST_PARALLEL and TEST_TIMEOUT are
# passed on as -parallel and -timeout.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 1 ] || [ -z "$1" ]; then
  echo "usage: scripts/testacc.sh CLI [PACKAGE...]" >&2
  exit 2
fi
cli=$1
shift
[ $# -gt 0 ] || set -- ./internal/provider/

if [[ $cli != */* ]]; then
  resolved=$(command -v "$cli") || { echo "testacc: '$cli' is not on PATH" >&2; exit 1; }
  cli=$resolved
fi
[ -x "$cli" ] || { echo "testacc: $cli is not an executable file" >&2; exit 1; }
cli=$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")

config=""
trap '[ -z "$config" ] || rm -f "$config"' EXIT
# The first line of `version` is "Terraform vX.Y.Z" or "OpenTofu vX.Y.Z". Read whole, then cut:
# `| head -n 1` may close the pipe while the CLI still writes, and under pipefail the CLI's
# broken pipe would end this script without a word.
version=$(TF_CLI_CONFIG_FILE=/dev/null "$cli" version)
version=${version%%$'\n'*}
case "$version" in
  OpenTofu\ v*)
    export TF_ACC_PROVIDER_HOST=registry.opentofu.org
    if [ -z "${TF_CLI_CONFIG_FILE:-}" ] || [ ! -f "$TF_CLI_CONFIG_FILE" ]; then
      config=$(mktemp "${TMPDIR:-/tmp}/capgo-tofu-cli.XXXXXX")
      export TF_CLI_CONFIG_FILE=$config
    fi
    ;;
  Terraform\ v*) ;;
  *) echo "testacc: $cli is neither Terraform nor OpenTofu (its version says: $version)" >&2; exit 1 ;;
esac
label=$(echo "$version" | sed -e 's/^OpenTofu v/opentofu /' -e 's/^Terraform v/terraform /')

mkdir -p bin
go build -o bin/testsummary ./scripts/testsummary
echo "testacc: $label ($cli): go test $*"
start=$SECONDS
status=0
TF_ACC=1 TF_ACC_TERRAFORM_PATH=$cli go test -json -count=1 -parallel "${TEST_PARALLEL:-8}" \
  -timeout "${TEST_TIMEOUT:-30m}" "$@" | bin/testsummary -label "$label" || status=$?
echo "testacc: $label: $((SECONDS - start))s, $([ "$status" -eq 0 ] && echo passed || echo FAILED)"
exit "$status"
