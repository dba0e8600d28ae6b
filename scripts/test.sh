#!/usr/bin/env bash
# Runs the whole test suite against a throwaway engine (FerretDB 2 on DocumentDB in a PostgreSQL cluster of
# its own), Azurite and a Redis of its own, and prints one closing line
# "N passed, N failed".
# Extra arguments go to jest (a path or -t pattern to run a part).
set -euo pipefail
cd "$(dirname "$0")/.."

run=.data
# shellcheck source=lib/background.sh
source scripts/lib/background.sh
port=${TEST_FERRETDB_PORT:-$(free_port 27217)}
azurite_port=${TEST_AZURITE_PORT:-$(free_port 10000)}
redis_port=${TEST_REDIS_PORT:-$(free_port 16379)}
bash scripts/helm.sh install >/dev/null
bash scripts/ferretdb.sh start "$port"
bash scripts/azurite.sh start "$azurite_port"
bash scripts/redis.sh install
bash scripts/redis.sh start "$redis_port"
trap 'bash scripts/ferretdb.sh stop "$port"; bash scripts/azurite.sh stop "$azurite_port"; bash scripts/redis.sh stop "$redis_port"' EXIT
export TEST_FERRETDB_PORT=$port TEST_MONGODB_URL="mongodb://127.0.0.1:$port"
export TEST_REDIS_URL="redis://127.0.0.1:$redis_port"
# Azurite's well-known development account (public, documented; not a secret).
export TEST_AZURITE_BLOB_CONNECTION_STRING=$(bash scripts/azurite.sh connection-string "$azurite_port")

report=$(mktemp)
status=0
# A leaked handle would keep jest alive after the last test: fail then, rather than hang CI.
timeout --signal=TERM "${TEST_TIMEOUT_S:-2400}" npx jest --json --outputFile="$report" "$@" || status=$?

node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
  console.log(`${r.numPassedTests} passed, ${failed} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' "$report" || status=1
rm -f "$report"
exit "$status"
