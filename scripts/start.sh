#!/usr/bin/env bash
# Runs the API locally with nothing set up beforehand: builds the engine if needed (FerretDB 2 on DocumentDB,
# scripts/ferretdb.sh), serves it from a PostgreSQL cluster under .data/engine (kept between runs) with Azurite
# for documents, builds the app and starts it.
# MONGODB_URI, when set, points the app at another server instead and no engine is started.
set -euo pipefail
cd "$(dirname "$0")/.."

stops=()
trap 'for stop in "${stops[@]}"; do $stop; done' EXIT

port=${FERRETDB_PORT:-27017}
if [[ -z "${MONGODB_URI:-}" ]]; then
  bash scripts/ferretdb.sh start "$port" .data/engine
  stops+=("bash scripts/ferretdb.sh stop $port")
  export MONGODB_URI="mongodb://127.0.0.1:$port/health-data-platform"
fi

# Documents' content in a local Azurite (blobs kept under .data/azurite-blobs), unless storage is configured.
if [[ -z "${DOCUMENTS_STORAGE_CONNECTION_STRING:-}" && -z "${DOCUMENTS_STORAGE_ACCOUNT_URL:-}" ]]; then
  azurite_port=${AZURITE_PORT:-10000}
  bash scripts/azurite.sh start "$azurite_port" .data/azurite-blobs
  stops+=("bash scripts/azurite.sh stop $azurite_port")
  DOCUMENTS_STORAGE_CONNECTION_STRING=$(bash scripts/azurite.sh connection-string "$azurite_port")
  export DOCUMENTS_STORAGE_CONNECTION_STRING
fi

# A development pepper for subscription keys, kept with the data so issued keys survive restarts.
if [[ -z "${SUBSCRIPTION_KEY_PEPPER:-}" ]]; then
  mkdir -p .data
  [[ -s .data/dev-subscription-key-pepper ]] || od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >.data/dev-subscription-key-pepper
  export SUBSCRIPTION_KEY_PEPPER=$(cat .data/dev-subscription-key-pepper)
fi

npm run --silent build
# The API runs as a child in its own process group, so a signal to this script (kill, Ctrl-C) reaches it once,
# forwarded below, and the engines are stopped only after its graceful shutdown.
set -m
node dist/apps/api/src/main.js &
api=$!
trap 'kill -TERM "$api" 2>/dev/null || true' TERM INT
status=0
wait "$api" || status=$?
while kill -0 "$api" 2>/dev/null; do wait "$api" || status=$?; done
exit "$status"
