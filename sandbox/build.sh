#!/usr/bin/env bash
# Builds kube-apiserver, etcd and kubectl from Go modules (only when the cached build is missing or the pinned
# versions changed) and creates the moto venv. Links everything into .sandbox/bin.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

command -v go >/dev/null 2>&1 || die "go not found — install a Go toolchain >= 1.24 and put it on PATH (Debian's golang package is too old)"
command -v python3 >/dev/null 2>&1 || die "python3 not found — apt-get install python3"

mkdir -p "$CACHE_DIR" "$SANDBOX_DIR/bin"
if [ ! -x "$BIN_CACHE/kube-apiserver" ] || [ ! -x "$BIN_CACHE/etcd" ] || [ ! -x "$BIN_CACHE/kubectl" ]; then
  say "building kube-apiserver, etcd $ETCD_VERSION and kubectl $K8S_VERSION from Go modules into $BIN_CACHE"
  say "(a cold build downloads ~500 MB of modules and compiles for 5-15 min on 2 cores; later runs reuse it)"
  start=$(date +%s)
  tmp="$BIN_CACHE.tmp.$$"
  mkdir -p "$tmp"
  ldflags="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags="$ldflags -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=34 -X $pkg.gitTreeState=clean"
  done
  (cd "$SANDBOX_SRC/k8s" && go mod download) || die "go mod download failed (is the Go module proxy reachable?)"
  for cmd in etcd kubectl kube-apiserver; do
    say "  go build $cmd ..."
    (cd "$SANDBOX_SRC/k8s" && go build -trimpath -ldflags "$ldflags" -o "$tmp/$cmd" "./cmd/$cmd") \
      || die "building $cmd failed"
  done
  rm -rf "$BIN_CACHE" && mv "$tmp" "$BIN_CACHE"
  say "built in $(( $(date +%s) - start ))s"
fi
for cmd in etcd kubectl kube-apiserver; do ln -sfn "$BIN_CACHE/$cmd" "$SANDBOX_DIR/bin/$cmd"; done

if [ ! -x "$VENV_DIR/bin/python" ] || ! "$VENV_DIR/bin/python" -c 'import moto' 2>/dev/null; then
  say "creating the moto venv in $VENV_DIR (pip install moto[server])"
  python3 -m venv "$VENV_DIR" 2>/dev/null || die "python3 -m venv failed — apt-get install python3-venv"
  "$VENV_DIR/bin/pip" install -q --disable-pip-version-check -r "$SANDBOX_SRC/moto/requirements.txt" \
    || die "pip install of moto failed (is PyPI reachable?)"
fi
ln -sfn "$VENV_DIR" "$SANDBOX_DIR/venv"
