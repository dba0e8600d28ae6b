#!/usr/bin/env bash
# Runs Azurite's blob service (the npm devDependency), the stand-in for the checkpoint storage account.
#   scripts/azurite.sh start PORT   start in memory on 127.0.0.1:PORT, wait until it accepts connections
#   scripts/azurite.sh stop PORT    stop the instance started on PORT
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
run="$root/.data/azurite"
# shellcheck source=lib/background.sh
source "$root/scripts/lib/background.sh"

start() {
  local port=$1
  stop "$port"
  mkdir -p "$run"
  # --skipApiVersionCheck: the storage SDK may speak a newer API version than this Azurite release knows.
  nohup "$root/node_modules/.bin/node" "$root/node_modules/azurite/dist/src/blob/main.js" \
    --blobHost 127.0.0.1 --blobPort "$port" --inMemoryPersistence --skipApiVersionCheck --loose \
    --disableTelemetry --silent >"$run/$port.log" 2>&1 &
  echo $! >"$run/$port.pid"
  wait_for_port azurite "$port"
}

case "${1:-}" in
  start) start "${2:?PORT}" ;;
  stop) stop "${2:?PORT}" ;;
  *) echo "usage: $0 start|stop PORT" >&2 && exit 2 ;;
esac
