#!/usr/bin/env bash
# Installs the pinned Helm 3 into .tools/bin (once) and runs it: scripts/helm.sh [helm arguments...]
#   scripts/helm.sh install     build the pinned version only
set -euo pipefail

HELM_VERSION=v3.19.0
command -v go >/dev/null || export PATH="$PATH:/usr/local/go/bin"
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.tools/bin/helm"

install() {
  if [[ -x "$bin" && "$("$bin" version --template '{{.Version}}')" == "$HELM_VERSION" ]]; then
    return
  fi
  local work src kube
  work=$(mktemp -d)
  # As for FerretDB: `go install ...@version` needs the version-list lookup the proxy refuses, so download
  # the pinned module and build its own cmd/helm with the flags Helm's Makefile sets.
  (cd "$work" && go mod init helm-build >/dev/null 2>&1)
  src=$(cd "$work" && go mod download -json "helm.sh/helm/v3@$HELM_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  kube=$(sed -n 's/^[[:space:]]*k8s.io\/client-go v0\.\([0-9]*\)\..*/\1/p' "$src/go.mod")
  mkdir -p "$(dirname "$bin")"
  (cd "$src" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -o "$bin" -ldflags "-w -s \
    -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION \
    -X helm.sh/helm/v3/internal/version.gitTreeState=clean \
    -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$kube \
    -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$kube" \
    ./cmd/helm)
  rm -rf "$work"
  echo "helm $HELM_VERSION installed at $bin" >&2
}

case "${1:-}" in
  install) install ;;
  *) install && exec "$bin" "$@" ;;
esac
