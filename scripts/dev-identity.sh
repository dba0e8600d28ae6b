#!/usr/bin/env bash
# Runs the development OIDC issuer (scripts/dev-identity/issuer.ts) that `npm start` trusts when no issuer is
# configured; `npm run token` signs with its key (kept under DATA_DIR/dev-identity, default .data).
#   scripts/dev-identity.sh start PORT   start it on 127.0.0.1:PORT and wait until it answers
#   scripts/dev-identity.sh stop PORT    stop the instance started on PORT
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
run="$root/.data/dev-identity-run"
# shellcheck source=lib/background.sh
source "$root/scripts/lib/background.sh"

start() {
  local port=$1
  stop_process "$port"
  mkdir -p "$run"
  cd "$root" # node resolves ts-node (-r) from here
  nohup node_modules/.bin/node -r ts-node/register/transpile-only scripts/dev-identity/issuer.ts "$port" \
    >"$run/$port.log" 2>&1 &
  echo $! >"$run/$port.pid"
  wait_for_port dev-identity "$port"
}

case "${1:-}" in
  start) start "${2:?PORT}" ;;
  stop) stop_process "${2:?PORT}" ;;
  *) echo "usage: $0 start|stop PORT" >&2 && exit 2 ;;
esac
