#!/usr/bin/env bash
# Builds the Helm CLI (sandbox/helm, a Go module of our own pinning helm.sh/helm/v3) into its own cache directory,
# ${AUTOHEAL_CACHE:-~/.cache/autoheal-sandbox}/helm-<hash of go.mod, go.sum, this script's version>/helm, only when
# missing, and links it to <repo>/.sandbox/bin/helm. Apart from build.sh so that a Helm bump never rebuilds the
# kube-apiserver. Cold: ~1-3 min of modules and compiling on 2 cores; warm: instant.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

HELM_VERSION=v3.22.0            # keep in step with sandbox/helm/go.mod
HELM_BUILD_VERSION=1            # bump when the build flags below change
HELM_KEY="$( { echo "$HELM_BUILD_VERSION"; cat "$SANDBOX_SRC/helm/go.mod" "$SANDBOX_SRC/helm/go.sum"; } | sha256sum | cut -c1-12)"
HELM_CACHE="$CACHE_DIR/helm-$HELM_KEY"

mkdir -p "$SANDBOX_DIR/bin"
if [ ! -x "$HELM_CACHE/helm" ]; then
  GO=$(find_go) || die "go not found — install Go >= 1.26 (helm $HELM_VERSION needs it) and put it on PATH"
  gov=$("$GO" env GOVERSION 2>/dev/null | sed 's/^go//')
  case "$gov" in 1.2[6-9]*|1.[3-9][0-9]*|[2-9].*) ;; *) die "go $gov is too old for helm $HELM_VERSION — install Go >= 1.26";; esac
  say "building helm $HELM_VERSION into $HELM_CACHE (first time only)"
  start=$(date +%s)
  tmp="$HELM_CACHE.tmp.$$"
  trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp"
  cd "$SANDBOX_SRC/helm"
  export GOFLAGS="${GOFLAGS:-} -buildvcs=false" GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
  "$GO" mod download || die "go mod download failed (is the Go module proxy reachable? see the lines above)"
  "$GO" build -trimpath -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
    -o "$tmp/helm" helm.sh/helm/v3/cmd/helm || die "go build of helm failed (see the lines above)"
  rm -rf "$HELM_CACHE" && mv "$tmp" "$HELM_CACHE"
  say "built helm in $(( $(date +%s) - start ))s"
fi
ln -sfn "$HELM_CACHE/helm" "$SANDBOX_DIR/bin/helm"
