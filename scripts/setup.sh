#!/usr/bin/env bash
# Installs everything Steward needs to run and test locally, into git-ignored
# folders of the repo (node_modules/, .tools/). Idempotent: when everything is
# already there it prints nothing and takes well under 2 s.
#
#   node_modules/                      npm ci (when missing or package-lock.json changed)
#   .tools/bin/temporal                Temporal CLI (dev server), go install
#   .tools/bin/temporal-ui-server      Temporal Web UI server (read-only config: the CLI's embedded UI has no such switch)
#   .tools/bin/ferretdb                FerretDB v1 (MongoDB wire protocol on SQLite), go build
#   .tools/venv                        Python venv with moto[server] (local AWS Secrets Manager)
#   .tools/fuzz-venv                   Python venv with schemathesis (npm run fuzz; its own venv: no pin clashes with moto)
#   .tools/bin/temporal-test-server    Temporal's Java time-skipping test server (Maven Central)
#   /usr/bin/chromium                  Debian's chromium, for the console's browser tests (apt-get, as root)
#   console/dist/                      the admin console, built when its sources are newer than the build
#
# Needs on PATH: node/npm, go, python3, java, mvn (and apt-get for chromium). Works without stdin (CI).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TEMPORAL_CLI_VERSION=1.5.1
TEMPORAL_UI_SERVER_VERSION=2.42.1 # the version Temporal CLI 1.5.1 embeds
FERRETDB_VERSION=1.24.2
MOTO_VERSION=5.2.5
SCHEMATHESIS_VERSION=4.32.5
TEST_SERVER_POM=scripts/test-server-pom.xml
TEST_SERVER_MAIN=io.temporal.testserver.TestServer

TOOLS="$ROOT/.tools"
BIN="$TOOLS/bin"
STAMPS="$TOOLS/stamps"
LOGS="$TOOLS/logs"

say() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }

mkdir -p "$BIN" "$STAMPS" "$LOGS"

# Two setups at once (e.g. `npm run dev` and `npm test` in two terminals) must not
# install over each other.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$TOOLS/.setup.lock"
  flock 9
fi

stamp_is() { [[ -f "$STAMPS/$1" && "$(<"$STAMPS/$1")" == "$2" ]]; }
write_stamp() { printf '%s' "$2" >"$STAMPS/$1"; }
note() { printf '%s\n' "$2" >>"$LOGS/$1.note"; }
need_cmd() { command -v "$1" >/dev/null 2>&1 || die "'$1' is not on PATH; it is needed to install $2"; }

# The test-server version lives in the committed pom; the stamp follows the pom's content.
TEST_SERVER_VERSION="$(sed -n 's:.*<temporal-test-server.version>\(.*\)</temporal-test-server.version>.*:\1:p' "$TEST_SERVER_POM")"
[[ -n "$TEST_SERVER_VERSION" ]] || die "cannot read temporal-test-server.version from $TEST_SERVER_POM"
TEST_SERVER_STAMP="$TEST_SERVER_VERSION $(cksum <"$TEST_SERVER_POM" | cut -d' ' -f1)"
MOTO_STAMP="moto[server]==$MOTO_VERSION"
SCHEMATHESIS_STAMP="schemathesis==$SCHEMATHESIS_VERSION"

# ---------------------------------------------------------------- checks
# Each returns 0 when the tool is installed at the pinned version.

npm_ok() {
  [[ -d node_modules && -f node_modules/.package-lock.json ]] || return 1
  [[ package-lock.json -nt node_modules/.package-lock.json ]] && return 1
  return 0
}

temporal_ok() {
  [[ -x "$BIN/temporal" ]] || return 1
  stamp_is temporal "$TEMPORAL_CLI_VERSION" && return 0
  # A binary from `go install ...@vX` says "0.0.0-DEV" in `temporal --version`;
  # the module version is in its build info instead.
  # (output captured first: `cmd | grep -q` can fail under pipefail when grep exits early)
  local info
  info="$(go version -m "$BIN/temporal" 2>/dev/null || true)"
  if grep -Eq "^[[:space:]]+mod[[:space:]]+github.com/temporalio/cli[[:space:]]+v$TEMPORAL_CLI_VERSION([[:space:]]|$)" <<<"$info"; then
    write_stamp temporal "$TEMPORAL_CLI_VERSION"
    return 0
  fi
  return 1
}

temporal_ui_ok() {
  [[ -x "$BIN/temporal-ui-server" ]] || return 1
  stamp_is temporal-ui-server "$TEMPORAL_UI_SERVER_VERSION"
}

ferretdb_ok() {
  [[ -x "$BIN/ferretdb" ]] || return 1
  stamp_is ferretdb "$FERRETDB_VERSION" && return 0
  local out
  out="$("$BIN/ferretdb" --version 2>/dev/null || true)"
  if grep -qx "version: v$FERRETDB_VERSION" <<<"$out"; then
    write_stamp ferretdb "$FERRETDB_VERSION"
    return 0
  fi
  return 1
}

moto_ok() {
  [[ -x "$TOOLS/venv/bin/moto_server" && -x "$TOOLS/venv/bin/python" ]] || return 1
  stamp_is moto "$MOTO_STAMP"
}

schemathesis_ok() {
  [[ -x "$TOOLS/fuzz-venv/bin/st" ]] || return 1
  stamp_is schemathesis "$SCHEMATHESIS_STAMP"
}

chromium_ok() {
  [[ -x /usr/bin/chromium ]] && return 0
  # Not a Debian machine, or not root: say so once and let the browser tests report it.
  if ! command -v apt-get >/dev/null 2>&1 || [[ $(id -u) -ne 0 ]]; then
    say "NOTE: /usr/bin/chromium is missing and cannot be installed here (needs apt-get as root); the console's browser tests will fail"
    return 0
  fi
  return 1
}

# The console's build is current when nothing it is built from is newer than its index.html.
console_ok() {
  [[ -f console/dist/index.html ]] || return 1
  [[ -z "$(find console vite.config.ts package-lock.json workflows/model.ts -path console/dist -prune -o -newer console/dist/index.html -print -quit)" ]]
}

test_server_ok() {
  [[ -x "$BIN/temporal-test-server" && -f "$TOOLS/temporal-test-server/lib/temporal-test-server-$TEST_SERVER_VERSION.jar" ]] || return 1
  stamp_is temporal-test-server "$TEST_SERVER_STAMP"
}

# ---------------------------------------------------------------- installers
# Each runs with its output sent to .tools/logs/<name>.log.

install_npm() {
  need_cmd npm "node_modules"
  # No stdin, no audit/fund network calls. npm 11 warns that install scripts
  # were not run: the packages we use work without them.
  npm ci --no-audit --no-fund </dev/null && return 0
  # `npm ci` refuses a lock file that lacks entries npm expects, e.g. the other
  # platforms' optional packages (@swc/core-darwin-*, ...) when the registry
  # used to write the lock did not serve them. `npm install` accepts such a
  # lock (and leaves it as it is when package.json did not change).
  grep -q "can only install packages when your package.json and package-lock.json" "$LOGS/npm.log" || return 1
  local before after
  before="$(cksum <package-lock.json)"
  echo "npm ci refused the lock file; falling back to npm install"
  npm install --no-audit --no-fund </dev/null
  after="$(cksum <package-lock.json)"
  if [[ "$before" == "$after" ]]; then
    note npm "npm ci refused package-lock.json (not in sync with package.json); used npm install instead, lock file unchanged"
  else
    note npm "npm ci refused package-lock.json (not in sync with package.json); npm install UPDATED package-lock.json: review and commit it"
  fi
}

install_temporal() {
  need_cmd go "the Temporal CLI"
  rm -f "$STAMPS/temporal"
  GOBIN="$BIN" GOWORK=off GOFLAGS=-buildvcs=false \
    go install "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION" </dev/null
  temporal_ok || { echo "installed binary does not report module version v$TEMPORAL_CLI_VERSION"; return 1; }
}

install_temporal_ui() {
  need_cmd go "the Temporal UI server"
  rm -f "$STAMPS/temporal-ui-server"
  local tmp
  tmp="$(mktemp -d)"
  GOBIN="$tmp" GOWORK=off GOFLAGS=-buildvcs=false \
    go install "github.com/temporalio/ui-server/v2/cmd/server@v$TEMPORAL_UI_SERVER_VERSION" </dev/null
  mv "$tmp/server" "$BIN/temporal-ui-server"
  rmdir "$tmp"
  write_stamp temporal-ui-server "$TEMPORAL_UI_SERVER_VERSION"
}

install_ferretdb() {
  # `go install github.com/FerretDB/FerretDB/cmd/ferretdb@vX` does not work here:
  #  - the module proxy answers 403 to the module's version list, which `go install
  #    pkg@version` reads to check deprecation, and
  #  - the module zip lacks build/version/version.txt (generated upstream), and the
  #    binary panics at start without it.
  # So: download the exact module version, build it as the main module from a
  # writable copy with version.txt filled in. Its own go.sum pins all deps.
  need_cmd go "FerretDB"
  rm -f "$STAMPS/ferretdb"
  local work="$TOOLS/build/ferretdb" dir
  rm -rf "$work"
  mkdir -p "$work"
  dir="$(cd "$work" && GOWORK=off GOFLAGS= go mod download -json "github.com/FerretDB/FerretDB@v$FERRETDB_VERSION" </dev/null |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  [[ -n "$dir" && -d "$dir" ]] || { echo "go mod download did not report a module directory"; return 1; }
  cp -R "$dir" "$work/src"
  chmod -R u+w "$work/src"
  echo "v$FERRETDB_VERSION" >"$work/src/build/version/version.txt"
  (cd "$work/src" && GOWORK=off GOFLAGS=-buildvcs=false go build -trimpath -o "$BIN/ferretdb.tmp" ./cmd/ferretdb </dev/null)
  mv -f "$BIN/ferretdb.tmp" "$BIN/ferretdb"
  rm -rf "$work"
  rmdir "$TOOLS/build" 2>/dev/null || true
  "$BIN/ferretdb" --version
  ferretdb_ok || { echo "installed binary does not report version v$FERRETDB_VERSION"; return 1; }
}

install_moto() {
  need_cmd python3 "moto (local AWS Secrets Manager)"
  rm -f "$STAMPS/moto"
  rm -rf "$TOOLS/venv"
  python3 -m venv "$TOOLS/venv"
  PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    "$TOOLS/venv/bin/python" -m pip install --quiet "moto[server]==$MOTO_VERSION" </dev/null
  [[ -x "$TOOLS/venv/bin/moto_server" ]] || { echo "moto_server missing from the venv after pip install"; return 1; }
  write_stamp moto "$MOTO_STAMP"
}

install_schemathesis() {
  need_cmd python3 "schemathesis (API fuzzing)"
  rm -f "$STAMPS/schemathesis"
  rm -rf "$TOOLS/fuzz-venv"
  python3 -m venv "$TOOLS/fuzz-venv"
  PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    "$TOOLS/fuzz-venv/bin/python" -m pip install --quiet "schemathesis==$SCHEMATHESIS_VERSION" </dev/null
  [[ -x "$TOOLS/fuzz-venv/bin/st" ]] || { echo "st missing from the venv after pip install"; return 1; }
  write_stamp schemathesis "$SCHEMATHESIS_STAMP"
}

install_chromium() {
  DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium </dev/null
  [[ -x /usr/bin/chromium ]] || { echo "apt-get installed chromium but /usr/bin/chromium is missing"; return 1; }
}

build_console() {
  console_ok && return 0
  local log="$LOGS/console.log" t0=$SECONDS
  say "building the console ... (log: ${log#"$ROOT"/})"
  if ! npm run --silent build:console </dev/null >"$log" 2>&1; then
    printf '\nsetup: FAILED to build the console. Last lines of %s:\n' "${log#"$ROOT"/}" >&2
    tail -n 40 "$log" | sed 's/^/  | /' >&2
    exit 1
  fi
  say "built the console in $((SECONDS - t0)) s"
}

install_test_server() {
  need_cmd java "Temporal's test server (runtime)"
  need_cmd mvn "Temporal's test server (download from Maven Central)"
  rm -f "$STAMPS/temporal-test-server"
  local home="$TOOLS/temporal-test-server"
  rm -rf "$home"
  mkdir -p "$home/lib"
  mvn -B -q -f "$TEST_SERVER_POM" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$home/lib" </dev/null
  [[ -f "$home/lib/temporal-test-server-$TEST_SERVER_VERSION.jar" ]] ||
    { echo "temporal-test-server-$TEST_SERVER_VERSION.jar was not copied into $home/lib"; return 1; }
  cat >"$BIN/temporal-test-server" <<EOF
#!/usr/bin/env bash
# Temporal's time-skipping test server $TEST_SERVER_VERSION (written by scripts/setup.sh).
# Usage: temporal-test-server PORT [--enable-time-skipping]
DIR="\$(cd "\$(dirname "\$(readlink -f "\${BASH_SOURCE[0]}")")/../temporal-test-server" && pwd)"
exec java \${TEMPORAL_TEST_SERVER_JAVA_OPTS:-} -cp "\$DIR/lib/*" $TEST_SERVER_MAIN "\$@"
EOF
  chmod +x "$BIN/temporal-test-server"
  write_stamp temporal-test-server "$TEST_SERVER_STAMP"
}

# ---------------------------------------------------------------- run

names=()
npm_ok || names+=(npm)
temporal_ok || names+=(temporal)
temporal_ui_ok || names+=(temporal_ui)
ferretdb_ok || names+=(ferretdb)
moto_ok || names+=(moto)
schemathesis_ok || names+=(schemathesis)
test_server_ok || names+=(test_server)
chromium_ok || names+=(chromium)

[[ ${#names[@]} -eq 0 ]] && { build_console; exit 0; }

describe() {
  case "$1" in
    npm) echo "npm packages (npm ci)" ;;
    temporal) echo "Temporal CLI v$TEMPORAL_CLI_VERSION" ;;
    temporal_ui) echo "Temporal UI server v$TEMPORAL_UI_SERVER_VERSION" ;;
    ferretdb) echo "FerretDB v$FERRETDB_VERSION" ;;
    moto) echo "moto[server]==$MOTO_VERSION venv" ;;
    schemathesis) echo "schemathesis==$SCHEMATHESIS_VERSION venv" ;;
    test_server) echo "Temporal test server $TEST_SERVER_VERSION" ;;
    chromium) echo "Debian chromium (apt-get)" ;;
  esac
}

# Install what is missing in parallel (downloads overlap with the Go builds),
# each into its own log; report each as it finishes.
declare -A name_of
for n in "${names[@]}"; do
  log="$LOGS/$n.log"
  say "installing $(describe "$n") ... (log: ${log#"$ROOT"/})"
  rm -f "$LOGS/$n.secs" "$LOGS/$n.note"
  ( set -euo pipefail; t0=$SECONDS; "install_$n"; echo $((SECONDS - t0)) >"$LOGS/$n.secs" ) >"$log" 2>&1 &
  name_of[$!]=$n
done

failed=()
while [[ ${#name_of[@]} -gt 0 ]]; do
  done_pid=""
  status=0
  wait -n -p done_pid "${!name_of[@]}" || status=$?
  [[ -n "$done_pid" ]] || die "lost track of the install jobs"
  n="${name_of[$done_pid]}"
  unset "name_of[$done_pid]"
  log="$LOGS/$n.log"
  if [[ $status -eq 0 ]]; then
    say "installed $(describe "$n") in $(cat "$LOGS/$n.secs" 2>/dev/null || echo '?') s"
    if [[ -f "$LOGS/$n.note" ]]; then
      while IFS= read -r line; do say "NOTE: $line"; done <"$LOGS/$n.note"
    fi
  else
    failed+=("$n")
    {
      printf '\nsetup: FAILED to install %s. Last lines of %s:\n' "$(describe "$n")" "${log#"$ROOT"/}"
      tail -n 40 "$log" | sed 's/^/  | /'
    } >&2
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  list=""
  for n in "${failed[@]}"; do list+="${list:+, }$(describe "$n")"; done
  die "could not install: $list"
fi
say "all tools ready"
build_console
