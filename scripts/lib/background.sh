# Shared by the scripts that run a local server in the background (ferretdb.sh, azurite.sh).
# Each keeps its pid in $run/PORT.pid and its output in $run/PORT.log.

# Waits until something accepts connections on 127.0.0.1:PORT (30 s at most).
wait_for_port() {
  local name=$1 port=$2
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "$name did not start on port $port; see $run/$port.log" >&2
  return 1
}

# Stops the process started on PORT, if any, and waits for it to exit (5 s at most, then kills it).
stop_process() {
  local pidfile="$run/$1.pid"
  [[ -f "$pidfile" ]] || return 0
  local pid
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

# The first port from PORT up that nothing on 127.0.0.1 accepts connections on: a server another checkout
# left running must not be mistaken for ours.
free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}
