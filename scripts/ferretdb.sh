#!/usr/bin/env bash
# Installs and runs the development engine: FerretDB 2 over Microsoft's DocumentDB PostgreSQL extension (the
# engine of Azure Cosmos DB for MongoDB vCore), in a PostgreSQL cluster of its own (never the machine's).
#   scripts/ferretdb.sh install            build the pinned versions once (cached under .tools/engine/KEY)
#   scripts/ferretdb.sh start PORT [DIR]   start FerretDB on 127.0.0.1:PORT over a cluster kept in DIR (created
#                                          when missing; without DIR a throwaway one) and wait until it answers
#   scripts/ferretdb.sh stop PORT          stop both; a throwaway cluster is deleted
set -euo pipefail

FERRETDB_VERSION=v2.5.0
DOCUMENTDB_TAG=v0.106.0-ferretdb-2.5.0
PG_CRON_TAG=v1.6.3
PGVECTOR_TAG=v0.8.0
PG_MAJOR=15
# Checksums of the source archives in ../shared/vendor, and of the unpacked trees (sha256 over each file's
# sha256 and path, top folder stripped): a public host's archive of the same tag is not byte-identical, its
# tree is.
declare -A ARCHIVE_SHA256=(
  [documentdb]=3eea614fe7f1f0db001ca6d35e258842f880bd19e2283f8fa3a87b1361c4715c
  [pg_cron]=c525dbe88dc22c2a58fe82565bb9602690e1c05c4ffd3d2ccee971ac52d59904
  [pgvector]=958aa543a05a60c3696f7fc3bc5722be5a1c413b0ee0e1811f898128526b9c8a
)
declare -A TREE_SHA256=(
  [documentdb]=c3a5c95544c18b4a9ee01fd7bfeae347e173af3a09df1681bc7d046f4b06a364
  [pg_cron]=a6b22de15c274bc02f367525aef8d218467968e827a2d1d79a35f4bac6071f17
  [pgvector]=f0af6d267dcdc82ff2b5a39f0be85c90ea549f6ab0c4d96d8a5c03bd2e525fac
)
declare -A ARCHIVE=(
  [documentdb]="documentdb-$DOCUMENTDB_TAG.tar.gz"
  [pg_cron]="pg_cron-$PG_CRON_TAG.tar.gz"
  [pgvector]="pgvector-$PGVECTOR_TAG.tar.gz"
)
declare -A PUBLIC_ARCHIVE=(
  [documentdb]="https://github.com/FerretDB/documentdb/archive/refs/tags/$DOCUMENTDB_TAG.tar.gz"
  [pg_cron]="https://github.com/citusdata/pg_cron/archive/refs/tags/$PG_CRON_TAG.tar.gz"
  [pgvector]="https://github.com/pgvector/pgvector/archive/refs/tags/$PGVECTOR_TAG.tar.gz"
)
DEBIAN_PACKAGES=(postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR postgresql-$PG_MAJOR-postgis-3
  postgresql-$PG_MAJOR-rum libbson-dev libintelrdfpmath-dev libpcre2-dev libicu-dev libkrb5-dev pkg-config
  build-essential)

command -v go >/dev/null || export PATH="$PATH:/usr/local/go/bin"
root=$(cd "$(dirname "$0")/.." && pwd)
vendor="${ENGINE_VENDOR_DIR:-$root/../shared/vendor}"
key="ferretdb-$FERRETDB_VERSION-documentdb-$DOCUMENTDB_TAG-pg_cron-$PG_CRON_TAG-pgvector-$PGVECTOR_TAG-pg$PG_MAJOR"
cache="$root/.tools/engine/$key"
bin="$cache/bin/ferretdb"
run="$root/.data/ferretdb"
pgbin="/usr/lib/postgresql/$PG_MAJOR/bin"
as_root=()
[[ $(id -u) -eq 0 ]] || as_root=(sudo)

log() { echo "engine: $*" >&2; }
# shellcheck source=lib/background.sh
source "$root/scripts/lib/background.sh"

install_debian_packages() {
  local missing=()
  for p in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  log "installing Debian packages: ${missing[*]}"
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Runs a build step with its output in the build log, shown only when the step fails.
quiet() {
  "$@" >>"$build_log" 2>&1 || { tail -40 "$build_log" >&2; log "failed: $*"; return 1; }
}

tree_sha256() {
  (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

# Unpacks source NAME into DIR/NAME, from ../shared/vendor when present, else from the project's public archive.
unpack_source() {
  local name=$1 dir=$2 archive="$vendor/${ARCHIVE[$1]}"
  mkdir -p "$dir/$name"
  if [[ -f "$archive" ]]; then
    echo "${ARCHIVE_SHA256[$name]}  $archive" | sha256sum --quiet -c - || { log "$archive: checksum mismatch"; return 1; }
  else
    archive="$dir/$name.tar.gz"
    log "downloading ${PUBLIC_ARCHIVE[$name]}"
    curl -fsSL -o "$archive" "${PUBLIC_ARCHIVE[$name]}"
  fi
  tar xzf "$archive" -C "$dir/$name" --strip-components=1
  local sum
  sum=$(tree_sha256 "$dir/$name")
  [[ "$sum" == "${TREE_SHA256[$name]}" ]] || { log "$name: unpacked tree $sum, expected ${TREE_SHA256[$name]}"; return 1; }
}

# DocumentDB links the Intel decimal library through pkg-config; Debian ships it without a .pc file.
write_intelmathlib_pc() {
  mkdir -p "$1"
  cat >"$1/intelmathlib.pc" <<'EOF'
Name: intelmathlib
Description: Intel Decimal Floating-Point Math Library (Debian's libintelrdfpmath-dev)
Version: 2.0
Cflags: -I/usr/include
Libs: -L/usr/lib/x86_64-linux-gnu -lbidgcc000
EOF
}

# Builds the three extensions into $cache/stage (a DESTDIR tree of the PostgreSQL install paths).
build_extensions() {
  local work=$1 stage="$cache/stage" jobs
  jobs=$(nproc)
  unpack_source pg_cron "$work"
  unpack_source pgvector "$work"
  unpack_source documentdb "$work"
  write_intelmathlib_pc "$work/pkgconfig"
  log "building pg_cron $PG_CRON_TAG and pgvector $PGVECTOR_TAG"
  quiet make -s -C "$work/pg_cron" with_llvm=no -j"$jobs"
  quiet make -s -C "$work/pg_cron" with_llvm=no install DESTDIR="$stage"
  quiet make -s -C "$work/pgvector" OPTFLAGS="" with_llvm=no -j"$jobs"
  quiet make -s -C "$work/pgvector" OPTFLAGS="" with_llvm=no install DESTDIR="$stage"
  log "building DocumentDB $DOCUMENTDB_TAG (about 2 minutes on 2 cores)"
  # Debian's libbson is 1.23, DocumentDB asks for 1.28: these two flags are all it needs to compile with it.
  local flags=(with_llvm=no "COPT=-DBSON_SUBTYPE_SENSITIVE=8 -Wno-error=switch")
  quiet env PKG_CONFIG_PATH="$work/pkgconfig" make -s -C "$work/documentdb/pg_documentdb_core" "${flags[@]}" -j"$jobs"
  quiet env PKG_CONFIG_PATH="$work/pkgconfig" make -s -C "$work/documentdb/pg_documentdb" "${flags[@]}" -j"$jobs"
  quiet env PKG_CONFIG_PATH="$work/pkgconfig" make -s -C "$work/documentdb" "${flags[@]}" install-no-distributed \
    DESTDIR="$stage"
}

build_ferretdb() {
  local work=$1 src
  log "building FerretDB $FERRETDB_VERSION"
  (cd "$work" && go mod init ferretdb-build >/dev/null 2>&1)
  src=$(cd "$work" && go mod download -json "github.com/FerretDB/FerretDB/v2@$FERRETDB_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  cp -r "$src" "$work/ferretdb"
  chmod -R u+w "$work/ferretdb"
  # FerretDB embeds build/version/version.txt, which its release build writes.
  echo "$FERRETDB_VERSION" >"$work/ferretdb/build/version/version.txt"
  # Its GOMAXPROCS helper is built only before go1.25 (which sizes GOMAXPROCS itself); give newer Go a no-op.
  printf '//go:build go1.25\n\npackage main\n\nimport "log/slog"\n\nfunc setGOMAXPROCS(*slog.Logger) {}\n' \
    >"$work/ferretdb/cmd/ferretdb/gomaxprocs_go125.go"
  mkdir -p "$(dirname "$bin")"
  (cd "$work/ferretdb" && quiet env CGO_ENABLED=0 go build -trimpath -o "$bin" ./cmd/ferretdb)
}

install() {
  install_debian_packages
  if [[ ! -f "$cache/complete" ]]; then
    local work started=$SECONDS
    work=$(mktemp -d)
    build_log="$work/build.log"
    rm -rf "$cache" && mkdir -p "$cache"
    build_extensions "$work"
    build_ferretdb "$work"
    rm -rf "$work"
    touch "$cache/complete"
    log "built in $((SECONDS - started)) s into $cache"
  fi
  # The extensions must sit in PostgreSQL's own library and share folders. Each file is copied beside its
  # place and renamed over it: a running cluster keeps the file it mapped (overwriting it in place crashes
  # it). Builds of one version differ byte for byte, so the version installed is recorded and compared.
  local stamp="/usr/share/postgresql/$PG_MAJOR/extension/documentdb-engine.key" f
  [[ "$(cat "$stamp" 2>/dev/null)" == "$key" ]] && return 0
  log "installing the extensions into PostgreSQL $PG_MAJOR's folders"
  while IFS= read -r -d '' f; do
    "${as_root[@]}" mkdir -p "$(dirname "/$f")"
    "${as_root[@]}" cp -a "$cache/stage/$f" "/$f.new.$$"
    "${as_root[@]}" mv -f "/$f.new.$$" "/$f"
  done < <(cd "$cache/stage" && find . -type f -printf '%P\0')
  echo "$key" | "${as_root[@]}" tee "$stamp" >/dev/null
}

# Settings from DocumentDB's packaging (packaging/10-preload.sh). The cluster listens on a socket in its own
# folder only; DocumentDB and pg_cron connect back to it through that socket (their default, TCP localhost,
# would be the machine's cluster or nothing).
cluster_settings() {
  cat <<EOF
listen_addresses = ''
unix_socket_directories = '$1'
documentdb.localhost_connection_string = 'host=$1'
cron.host = '$1'
shared_preload_libraries = 'pg_cron,pg_documentdb_core,pg_documentdb'
cron.database_name = 'postgres'
documentdb.enableCompact = true
documentdb.enableLetAndCollationForQueryMatch = true
documentdb.enableNowSystemVariable = true
documentdb.enableSortbyIdPushDownToPrimaryKey = true
# DocumentDB's per-operator selectivity: without it the planner guesses every condition matches many rows and
# walks the _id index for a sorted page rather than use a selective index (see docs/datastore.md).
documentdb.enableNewSelectivityMode = true
documentdb.enableSchemaValidation = true
documentdb.enableBypassDocumentValidation = true
documentdb.enableUserCrud = true
documentdb.maxUserLimit = 100
max_connections = 300
shared_buffers = 256MB
fsync = ${ENGINE_FSYNC:-on}
EOF
}

# PostgreSQL refuses to run as root: when root starts it, the cluster belongs to the postgres user.
as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  local port=$1 dir=${2:-$root/.data/tmp/engine-$1}
  install
  stop "$port"
  mkdir -p "$dir" "$run"
  dir=$(cd "$dir" && pwd)
  # Started by root, the cluster belongs to postgres, who may not reach DIR (a mktemp folder is root's
  # alone): then it lives in postgres's home, under a key of DIR.
  local cluster=$dir
  if [[ $(id -u) -eq 0 ]] && ! runuser -u postgres -- test -x "$dir"; then
    cluster="$(getent passwd postgres | cut -d: -f6)/hdp-engines/$(echo -n "$dir" | sha256sum | cut -c1-16)"
  fi
  mkdir -p "$cluster/run"
  [[ $(id -u) -eq 0 ]] && chown postgres "$cluster" "$cluster/run" "$(dirname "$cluster")"
  echo "$cluster" >"$run/$port.dir"
  [[ "$dir" == "$root/.data/tmp/"* ]] && echo "$dir" >"$run/$port.throwaway"
  dir=$cluster
  local pgdata="$dir/pgdata" socket="$dir/run"
  if [[ ! -f "$pgdata/PG_VERSION" ]]; then
    as_postgres "$pgbin/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cluster_settings "$socket" >>"$pgdata/postgresql.conf"
  fi
  as_postgres "$pgbin/pg_ctl" -D "$pgdata" -l "$dir/postgresql.log" -w -t 60 start >/dev/null
  PGOPTIONS='-c client_min_messages=warning' as_postgres "$pgbin/psql" -h "$socket" -U postgres -d postgres -qc \
    'CREATE EXTENSION IF NOT EXISTS documentdb CASCADE'
  nohup "$bin" --listen-addr="127.0.0.1:$port" --postgresql-url="postgres://postgres@/postgres?host=$socket" \
    --state-dir="$dir" --no-auth --debug-addr=- --telemetry=disable --log-level=warn --log-format=json \
    >"$run/$port.log" 2>&1 &
  echo $! >"$run/$port.pid"
  wait_for_port ferretdb "$port"
}

# Stops FerretDB on PORT and its cluster; a throwaway cluster (under .data/tmp) is deleted.
stop() {
  local port=$1 dirfile="$run/$1.dir"
  stop_process "$port"
  [[ -f "$dirfile" ]] || return 0
  local dir
  dir=$(cat "$dirfile")
  if [[ -f "$dir/pgdata/postmaster.pid" ]]; then
    as_postgres "$pgbin/pg_ctl" -D "$dir/pgdata" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  fi
  if [[ -f "$run/$port.throwaway" ]]; then
    rm -rf "$dir" "$(cat "$run/$port.throwaway")"
    rm -f "$run/$port.throwaway"
  fi
  rm -f "$dirfile"
}

case "${1:-}" in
  install) install ;;
  start) start "${2:?PORT}" "${3:-}" ;;
  stop) stop "${2:?PORT}" ;;
  tree-sha256) tree_sha256 "${2:?DIR}" ;;
  *) sed -n '2,8p' "$0" >&2 && exit 2 ;;
esac
