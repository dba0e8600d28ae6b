#!/usr/bin/env bash
# Runs Azurite's blob service (the npm devDependency), the stand-in for the checkpoint storage account.
#   scripts/azurite.sh start PORT [DIR]   start on 127.0.0.1:PORT (in memory, or keeping blobs in DIR), wait
#                                         until it accepts connections
#   scripts/azurite.sh connection-string PORT   print the connection string of the instance on PORT
#   scripts/azurite.sh stop PORT    stop the instance started on PORT
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
run="$root/.data/azurite"
# shellcheck source=lib/background.sh
source "$root/scripts/lib/background.sh"

start() {
  local port=$1 dir=${2:-}
  stop_process "$port"
  mkdir -p "$run"
  local persistence=(--inMemoryPersistence)
  [[ -n "$dir" ]] && mkdir -p "$dir" && persistence=(--location "$dir")
  # --skipApiVersionCheck: the storage SDK may speak a newer API version than this Azurite release knows.
  nohup "$root/node_modules/.bin/node" "$root/node_modules/azurite/dist/src/blob/main.js" \
    --blobHost 127.0.0.1 --blobPort "$port" "${persistence[@]}" --skipApiVersionCheck --loose \
    --disableTelemetry --silent >"$run/$port.log" 2>&1 &
  echo $! >"$run/$port.pid"
  wait_for_port azurite "$port"
}

# Azurite's published development account key (the same for every Azurite): not a secret.
connection_string() {
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$1/devstoreaccount1;"
}

case "${1:-}" in
  start) start "${2:?PORT}" "${3:-}" ;;
  stop) stop_process "${2:?PORT}" ;;
  connection-string) connection_string "${2:?PORT}" ;;
  *) echo "usage: $0 start|stop|connection-string PORT" >&2 && exit 2 ;;
esac
