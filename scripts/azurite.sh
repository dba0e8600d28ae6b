#!/usr/bin/env bash
# Runs Azurite's blob service (the npm devDependency), the stand-in for the checkpoint storage account.
#   scripts/azurite.sh start PORT   start in memory on 127.0.0.1:PORT, wait until it accepts connections
#   scripts/azurite.sh stop PORT    stop the instance started on PORT
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
run="$root/.data/azurite"

start() {
  local port=$1
  stop "$port"
  mkdir -p "$run"
  # --skipApiVersionCheck: the storage SDK may speak a newer API version than this Azurite release knows.
  nohup "$root/node_modules/.bin/node" "$root/node_modules/azurite/dist/src/blob/main.js" \
    --blobHost 127.0.0.1 --blobPort "$port" --inMemoryPersistence --skipApiVersionCheck --loose \
    --disableTelemetry --silent >"$run/$port.log" 2>&1 &
  echo $! >"$run/$port.pid"
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "azurite did not start on port $port; see $run/$port.log" >&2
  return 1
}

stop() {
  local pidfile="$run/$1.pid"
  [[ -f "$pidfile" ]] || return 0
  local pid
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$pidfile"
}

case "${1:-}" in
  start) start "${2:?PORT}" ;;
  stop) stop "${2:?PORT}" ;;
  *) echo "usage: $0 start|stop PORT" >&2 && exit 2 ;;
esac
