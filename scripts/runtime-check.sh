#!/usr/bin/env bash
# Proves the Dockerfile's runtime stage without Docker: assembles what that stage holds (the compiled
# output, package.json and `npm ci --omit=dev`) in a temporary directory outside the repo, starts it with
# Node 22 and nothing else on its environment against a private engine (FerretDB 2 on DocumentDB), waits for /health/ready and
# /metrics, then sends SIGTERM and expects a prompt, clean exit. A dependency only dev installs had fails here.
#   scripts/runtime-check.sh   ports: RUNTIME_CHECK_PORT (default TEST_FERRETDB_PORT + 20) and the two above it
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

db_port=${RUNTIME_CHECK_PORT:-$((${TEST_FERRETDB_PORT:-27217} + 20))}
app_port=$((db_port + 1))
metrics_port=$((db_port + 2))
node22="$root/node_modules/node/bin/node"
[[ "$("$node22" --version)" == v22.* ]] || { echo "runtime-check: $node22 is not Node 22" >&2; exit 1; }

work=$(mktemp -d)
app_pid=
cleanup() {
  # The app may already have exited: a failed kill must not end the trap before the engine is stopped.
  if [[ -n "$app_pid" ]]; then kill -KILL "$app_pid" 2>/dev/null || true; fi
  bash scripts/ferretdb.sh stop "$db_port"
  rm -rf "$work"
}
trap cleanup EXIT

started=$(date +%s)
npm run --silent build
cp package.json package-lock.json .npmrc "$work/"
(cd "$work" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
cp -r dist "$work/dist"
for dev in typescript jest ts-node @nestjs/cli node; do
  [[ ! -e "$work/node_modules/$dev" ]] || { echo "runtime-check: devDependency $dev in the runtime" >&2; exit 1; }
done

bash scripts/ferretdb.sh start "$db_port"
(
  cd "$work"
  exec env -i NODE_ENV=production PORT="$app_port" PUBLIC_BASE_URL="http://127.0.0.1:$app_port" METRICS_PORT="$metrics_port" LOG_LEVEL=info \
    MONGODB_URI="mongodb://127.0.0.1:$db_port/runtime-check" SUBSCRIPTION_KEY_PEPPER="$(openssl rand -base64 32)" \
    AUDIT_SIGNING_KEY="runtime-check:$(openssl rand -base64 32)" \
    "$node22" dist/apps/api/src/main.js
) >"$work/app.log" 2>&1 &
app_pid=$!

ready=
for _ in $(seq 1 150); do
  if curl -fsS "http://127.0.0.1:$app_port/health/ready" >/dev/null 2>&1; then ready=yes && break; fi
  kill -0 "$app_pid" 2>/dev/null || break
  sleep 0.2
done
if [[ -z "$ready" ]]; then
  echo "runtime-check: the runtime stage never became ready; its output:" >&2
  cat "$work/app.log" >&2
  exit 1
fi
# Read whole before matching: `grep -q` stops at the first match, and curl, cut off, fails the pipe.
metrics=$(curl -fsS "http://127.0.0.1:$metrics_port/metrics")
grep -q '^http_server_request_duration_count' <<<"$metrics" ||
  { echo "runtime-check: /metrics has no HTTP server metrics" >&2; exit 1; }

kill -TERM "$app_pid"
status=0
for _ in $(seq 1 100); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$app_pid" 2>/dev/null; then
  echo "runtime-check: still running 10 s after SIGTERM" >&2
  exit 1
fi
wait "$app_pid" || status=$?
app_pid=
# Nest closes the server, the database and telemetry, then re-raises SIGTERM: 143 is that clean end.
if [[ "$status" != 0 && "$status" != 143 ]] || grep -q '"level":[56]0' "$work/app.log"; then
  echo "runtime-check: unclean exit (status $status); output:" >&2
  cat "$work/app.log" >&2
  exit 1
fi
echo "runtime-check: runtime stage ready, served /metrics, exited cleanly on SIGTERM with status $status ($(($(date +%s) - started)) s)"
