#!/usr/bin/env bash
# Runs the API locally with nothing set up beforehand: builds FerretDB if needed, serves it on its
# embedded SQLite backend (data under .data/, kept between runs), builds the app and starts it.
# MONGODB_URI, when set, points the app at another server instead and no engine is started.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${FERRETDB_PORT:-27017}
if [[ -z "${MONGODB_URI:-}" ]]; then
  bash scripts/ferretdb.sh start sqlite "$port"
  trap 'bash scripts/ferretdb.sh stop "$port"' EXIT
  export MONGODB_URI="mongodb://127.0.0.1:$port/health-data-platform"
fi

# A development pepper for subscription keys, kept with the data so issued keys survive restarts.
if [[ -z "${SUBSCRIPTION_KEY_PEPPER:-}" ]]; then
  mkdir -p .data
  [[ -s .data/dev-subscription-key-pepper ]] || od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >.data/dev-subscription-key-pepper
  export SUBSCRIPTION_KEY_PEPPER=$(cat .data/dev-subscription-key-pepper)
fi

npm run --silent build
node dist/apps/api/src/main.js
