#!/usr/bin/env bash
# Runs the API locally with nothing set up beforehand: builds the engine if needed (FerretDB 2 on DocumentDB,
# scripts/ferretdb.sh), serves it from a PostgreSQL cluster under DATA_DIR/engine (kept between runs) with
# Azurite for documents, and, in development (NODE_ENV unset or development), a local OIDC issuer, device
# templates and signing keys of its own; then builds the app and starts it. Ctrl-C or SIGTERM stops all of it.
# MONGODB_URI, OIDC_ISSUER, DOCUMENTS_STORAGE_* and the other variables set beforehand win over these defaults.
set -euo pipefail
cd "$(dirname "$0")/.."

data=${DATA_DIR:-.data}
export DATA_DIR=$data
export PORT=${PORT:-3000}
development=false
[[ "${NODE_ENV:-development}" == development ]] && development=true

say() { echo "npm start: $*"; }

# Each stop is registered before its start, so a signal in the middle of a start still stops what began.
stops=()
trap 'for stop in "${stops[@]}"; do $stop || true; done' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

if [[ -z "${MONGODB_URI:-}" ]]; then
  port=${FERRETDB_PORT:-27017}
  stops+=("bash scripts/ferretdb.sh stop $port")
  say "starting the engine on port $port (the first start builds it: about 2 minutes)"
  bash scripts/ferretdb.sh start "$port" "$data/engine"
  export MONGODB_URI="mongodb://127.0.0.1:$port/health-data-platform"
fi

# Documents' content in a local Azurite (blobs kept under DATA_DIR/azurite-blobs), unless storage is configured.
if [[ -z "${DOCUMENTS_STORAGE_CONNECTION_STRING:-}" && -z "${DOCUMENTS_STORAGE_ACCOUNT_URL:-}" ]]; then
  azurite_port=${AZURITE_PORT:-10000}
  stops+=("bash scripts/azurite.sh stop $azurite_port")
  say "starting Azurite on port $azurite_port"
  bash scripts/azurite.sh start "$azurite_port" "$data/azurite-blobs"
  DOCUMENTS_STORAGE_CONNECTION_STRING=$(bash scripts/azurite.sh connection-string "$azurite_port")
  export DOCUMENTS_STORAGE_CONNECTION_STRING
fi

# Exports VARIABLE, unless it is set, from DATA_DIR/FILE, which the command's output fills the first time:
# development secrets kept with the data, so issued keys and the audit ledger outlive restarts.
kept_secret() {
  local variable=$1 file="$data/$2"
  shift 2
  [[ -n "${!variable:-}" ]] && return 0
  mkdir -p "$data"
  [[ -s "$file" ]] || (umask 077 && "$@" >"$file")
  export "$variable=$(cat "$file")"
}
random_hex() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }
audit_key() { echo "dev:$(head -c 32 /dev/urandom | base64)"; }
kept_secret SUBSCRIPTION_KEY_PEPPER dev-subscription-key-pepper random_hex
kept_secret AUDIT_SIGNING_KEY dev-audit-signing-key audit_key

if $development; then
  # A local issuer (keys under DATA_DIR/dev-identity) whose tokens `npm run token` prints.
  if [[ -z "${OIDC_ISSUER:-}" ]]; then
    issuer_port=${DEV_ISSUER_PORT:-$((PORT + 1))}
    stops+=("bash scripts/dev-identity.sh stop $issuer_port")
    say "starting the development issuer on port $issuer_port"
    bash scripts/dev-identity.sh start "$issuer_port"
    export OIDC_ISSUER="http://127.0.0.1:$issuer_port" OIDC_AUDIENCE=api://health-data-platform-dev
  fi
  # Device readings posted to the HTTP intake become Observations, through the sample templates.
  if [[ -z "${DEVICE_INGEST_ENABLED:-}" ]]; then
    export DEVICE_INGEST_ENABLED=true DEVICE_IDENTITY_RESOLUTION=${DEVICE_IDENTITY_RESOLUTION:-Create}
    export DEVICE_TEMPLATES_PATH=libs/device-ingest/samples/devicecontent.json
    export FHIR_TEMPLATES_PATH=libs/device-ingest/samples/fhirmapping.json
  fi
  export ADMIN_ALLOWED_CIDRS=${ADMIN_ALLOWED_CIDRS:-127.0.0.1/32,::1/128}
fi

say "building the API"
npm run --silent build

# Tells the user what to do next once the API (process $1) answers.
announce() {
  while kill -0 "$1" 2>/dev/null; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
      say "API ready on http://localhost:$PORT (OpenAPI UI: /docs). Ctrl-C stops everything."
      if [[ -n "${issuer_port:-}" ]]; then
        say "get a token: TOKEN=\$(npm run --silent token -- --role clinician --scope 'user/*.*')"
      fi
      return 0
    fi
    sleep 0.5
  done
}

# The API runs as a child in its own process group, so a signal to this script (kill, Ctrl-C) reaches it once,
# forwarded below, and the engines are stopped only after its graceful shutdown.
set -m
node dist/apps/api/src/main.js &
api=$!
announce "$api" &
trap 'kill -TERM "$api" 2>/dev/null || true' TERM INT
status=0
wait "$api" || status=$?
while kill -0 "$api" 2>/dev/null; do wait "$api" || status=$?; done
exit "$status"
