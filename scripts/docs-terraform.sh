#!/usr/bin/env bash
# Prints a directory to put first on PATH so that `terraform` there is Terraform 1.14 or later:
# tfplugindocs reads the provider's schema through the terraform on PATH, and older ones leave out
# list resources and resource identity, so the pages generated with them would lack those.
#
# The terraform on PATH is used when it is new enough. Otherwise the CLIs of ../shared/terraform
# are unpacked into .cli (when that folder exists; see its README.md) and the newest Terraform
# there of 1.14 or later is used, through a link named terraform in .cli/docs-path.
# Exits with status 1, saying why on standard error, when there is no such Terraform.
set -euo pipefail
cd "$(dirname "$0")/.."

# new_enough VERSION: VERSION (X.Y.Z) is 1.14 or later.
new_enough() {
  local major minor
  IFS=. read -r major minor _ <<<"$1"
  [[ $major =~ ^[0-9]+$ && $minor =~ ^[0-9]+$ ]] || return 1
  [ "$major" -gt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -ge 14 ]; }
}

# version_of CLI: the X.Y.Z of a Terraform CLI, nothing for another program.
version_of() {
  "$1" version 2>/dev/null | sed -n '1s/^Terraform v\([0-9][0-9.]*\).*/\1/p'
}

on_path=""
if command -v terraform >/dev/null 2>&1; then
  on_path=$(version_of terraform)
  if [ -n "$on_path" ] && new_enough "$on_path"; then
    dirname "$(command -v terraform)"
    exit 0
  fi
fi

if [ -x ../shared/terraform/install.sh ]; then
  ../shared/terraform/install.sh .cli >/dev/null
fi

best="" best_version=""
for cli in .cli/terraform-*; do
  [ -x "$cli" ] && [ ! -d "$cli" ] || continue
  v=$(version_of "$cli")
  [ -n "$v" ] && new_enough "$v" || continue
  if [ -z "$best" ] || [ "$(printf '%s\n%s\n' "$best_version" "$v" | sort -V | tail -n 1)" = "$v" ]; then
    best=$cli best_version=$v
  fi
done

if [ -z "$best" ]; then
  found="no terraform is on PATH"
  [ -z "$on_path" ] || found="the terraform on PATH is $on_path, older than 1.14"
  echo "$found, and .cli holds no Terraform 1.14 or later (../shared/terraform/install.sh unpacks one there)" >&2
  exit 1
fi
mkdir -p .cli/docs-path
ln -sfn "../$(basename "$best")" .cli/docs-path/terraform
echo "$PWD/.cli/docs-path"
