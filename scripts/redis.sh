#!/usr/bin/env bash
# Runs a Redis of the test suite's own, so the suites never depend on (or disturb) the machine's shared one.
#   scripts/redis.sh install       install redis-server from Debian's packages when it is missing
#   scripts/redis.sh start PORT    start an in-memory Redis on 127.0.0.1:PORT and wait until it answers
#   scripts/redis.sh stop PORT     stop the instance started on PORT
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
run="$root/.data/redis"
# shellcheck source=lib/background.sh
source "$root/scripts/lib/background.sh"

install() {
  command -v redis-server >/dev/null && return 0
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get install -y --no-install-recommends redis-server >/dev/null
}

start() {
  local port=$1
  stop_process "$port"
  mkdir -p "$run"
  nohup redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
    >"$run/$port.log" 2>&1 &
  echo $! >"$run/$port.pid"
  wait_for_port redis "$port"
}

case "${1:-}" in
  install) install ;;
  start) start "${2:?PORT}" ;;
  stop) stop_process "${2:?PORT}" ;;
  *) echo "usage: $0 install | start|stop PORT" >&2 && exit 2 ;;
esac
