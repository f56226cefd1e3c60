#!/usr/bin/env bash
# Installs what the scale topology (`npm run scale`) needs beyond scripts/setup.sh, into .tools/ (git-ignored):
#
#   .tools/bin/temporal-server     Temporal server, the release the pinned CLI embeds (go install)
#   .tools/bin/temporal-sql-tool   its SQL schema tool (go install); the schema files stay in Go's module cache
#   /usr/lib/postgresql/15/bin     PostgreSQL from Debian (apt-get, as root), for Temporal and FerretDB's pg backend
#
# Idempotent: a second run prints nothing. The first takes several minutes (the server is a large Go build).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh

TEMPORAL_SERVER_VERSION=1.29.1 # keep equal to TEMPORAL_SERVER_VERSION in scripts/scaleInfra.ts
PG_BIN="${STEWARD_PG_BIN:-/usr/lib/postgresql/15/bin}"
BIN="$ROOT/.tools/bin"
STAMPS="$ROOT/.tools/stamps"
LOGS="$ROOT/.tools/logs"
mkdir -p "$BIN" "$STAMPS" "$LOGS"

say() { printf 'setup-scale: %s\n' "$*" >&2; }
die() { printf 'setup-scale: ERROR: %s\n' "$*" >&2; exit 1; }

if [[ ! -x "$PG_BIN/postgres" ]]; then
  if command -v apt-get >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]]; then
    say "installing PostgreSQL (apt-get) ... (log: .tools/logs/postgresql.log)"
    {
      DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql </dev/null
    } >"$LOGS/postgresql.log" 2>&1 || die "apt-get could not install postgresql; see .tools/logs/postgresql.log"
    # Debian starts a cluster of its own on 5432; the topology runs its own cluster on a free port.
    command -v pg_ctlcluster >/dev/null 2>&1 && pg_ctlcluster 15 main stop >/dev/null 2>&1 || true
  else
    die "$PG_BIN/postgres is missing: install PostgreSQL 15 (or set STEWARD_PG_BIN to its bin folder)"
  fi
fi

stamp="$TEMPORAL_SERVER_VERSION"
if [[ ! -x "$BIN/temporal-server" || ! -x "$BIN/temporal-sql-tool" || ! -f "$STAMPS/temporal-server" || "$(<"$STAMPS/temporal-server")" != "$stamp" ]]; then
  command -v go >/dev/null 2>&1 || die "'go' is not on PATH; it is needed to install the Temporal server"
  say "installing Temporal server $TEMPORAL_SERVER_VERSION and its SQL tool (go install) ... (log: .tools/logs/temporal-server.log)"
  tmp="$(mktemp -d)"
  start=$SECONDS
  GOBIN="$tmp" GOWORK=off GOFLAGS=-buildvcs=false \
    go install "go.temporal.io/server/cmd/server@v$TEMPORAL_SERVER_VERSION" "go.temporal.io/server/cmd/tools/sql@v$TEMPORAL_SERVER_VERSION" \
    </dev/null >"$LOGS/temporal-server.log" 2>&1 || die "go install of the Temporal server failed; see .tools/logs/temporal-server.log"
  mv "$tmp/server" "$BIN/temporal-server"
  mv "$tmp/sql" "$BIN/temporal-sql-tool"
  rmdir "$tmp"
  printf '%s' "$stamp" >"$STAMPS/temporal-server"
  say "installed Temporal server $TEMPORAL_SERVER_VERSION in $((SECONDS - start)) s"
fi
