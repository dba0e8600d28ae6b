#!/usr/bin/env bash
# Installs and runs FerretDB, the MongoDB-compatible engine used for development and CI.
#   scripts/ferretdb.sh install                      build the pinned version into .tools/bin (once)
#   scripts/ferretdb.sh start sqlite|postgresql PORT start in the background, wait until it accepts connections
#   scripts/ferretdb.sh stop PORT                    stop the instance started on PORT
set -euo pipefail

FERRETDB_VERSION=v1.24.2
command -v go >/dev/null || export PATH="$PATH:/usr/local/go/bin"
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.tools/bin/ferretdb"
run="$root/.data/ferretdb"
# shellcheck source=lib/background.sh
source "$root/scripts/lib/background.sh"

install() {
  if [[ -x "$bin" && "$("$bin" --version)" == *"version: $FERRETDB_VERSION"* ]]; then
    return
  fi
  local work src
  work=$(mktemp -d)
  # `go install ...@version` cannot be used: the proxy refuses the version-list lookup it makes, and a
  # module-cache build lacks the version.txt that FerretDB embeds. So: download the pinned module through
  # the proxy, write the version file FerretDB's build docs ask for, and build its own cmd/ferretdb.
  (cd "$work" && go mod init ferretdb-build >/dev/null 2>&1)
  src=$(cd "$work" && go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  cp -r "$src" "$work/src"
  chmod -R u+w "$work/src"
  echo "$FERRETDB_VERSION" >"$work/src/build/version/version.txt"
  mkdir -p "$(dirname "$bin")"
  (cd "$work/src" && CGO_ENABLED=0 go build -trimpath -o "$bin" ./cmd/ferretdb)
  rm -rf "$work"
  echo "ferretdb $FERRETDB_VERSION installed at $bin"
}

start() {
  local backend=$1 port=$2
  local dir="$run/$port"
  install
  stop "$port"
  mkdir -p "$dir/sqlite"
  local args=(--listen-addr="127.0.0.1:$port" --handler="$backend" --state-dir="$dir" --debug-addr=-
    --telemetry=disable --log-level=WARN --log-format=json)
  case "$backend" in
    sqlite) args+=(--sqlite-url="file:$dir/sqlite/") ;;
    postgresql)
      local db="ferretdb_$port"
      psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 ||
        psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $db"
      args+=(--postgresql-url="postgres://postgres@127.0.0.1:5432/$db")
      ;;
    *) echo "unknown backend '$backend' (sqlite or postgresql)" >&2 && return 2 ;;
  esac
  nohup "$bin" "${args[@]}" >"$dir.log" 2>&1 &
  echo $! >"$dir.pid"
  wait_for_port ferretdb "$port"
}

cmd=${1:-}
case "$cmd" in
  install) install ;;
  start) start "${2:?backend}" "${3:?port}" ;;
  stop) stop "${2:?port}" ;;
  *) sed -n '2,5p' "$0" >&2 && exit 2 ;;
esac
