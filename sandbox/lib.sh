# Shared settings of the sandbox scripts (sourced, not run).
# The sandbox's state lives in <repo>/.sandbox (pids, logs, kubeconfig, env, etcd data); the built binaries and the
# moto venv live in a cache outside the repo, keyed by what they are built from, so every clone on the machine
# reuses them: ${AUTOHEAL_CACHE:-$HOME/.cache/autoheal-sandbox}/bin-<key>/ and venv-<key>/.
SANDBOX_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SANDBOX_SRC/.." && pwd)"
SANDBOX_DIR="$REPO_ROOT/.sandbox"
CACHE_DIR="${AUTOHEAL_CACHE:-$HOME/.cache/autoheal-sandbox}"
K8S_VERSION=v1.34.4
ETCD_VERSION=v3.6.4   # the etcd that k8s.io/kubernetes v1.34.4 itself pins (one dependency graph, no conflicts)
# Bump when build.sh changes how the binaries are built (flags, ldflags): it is part of the cache key.
BUILD_SCRIPT_VERSION=2

say() { echo "sandbox: $*"; }
die() { echo "sandbox: ERROR: $*" >&2; exit 1; }

hash_of() { { echo "$BUILD_SCRIPT_VERSION"; cat "$@"; } | sha256sum | cut -c1-12; }
BIN_KEY="$(hash_of "$SANDBOX_SRC/k8s/go.mod" "$SANDBOX_SRC/k8s/go.sum" "$SANDBOX_SRC"/k8s/cmd/*/main.go)"
BIN_CACHE="$CACHE_DIR/bin-$BIN_KEY"
VENV_KEY="$(cat "$SANDBOX_SRC/moto/requirements.txt" "$SANDBOX_SRC/moto/constraints.txt" | sha256sum | cut -c1-12)"
VENV_DIR="$CACHE_DIR/venv-$VENV_KEY"
SANDBOX_BINARIES="etcd kube-apiserver kube-controller-manager kubectl"

# Go: on PATH, else the usual install location (CI's PATH may lack it).
find_go() {
  if command -v go >/dev/null 2>&1; then command -v go
  elif [ -x /usr/local/go/bin/go ]; then echo /usr/local/go/bin/go
  else return 1; fi
}

need_python() {
  command -v python3 >/dev/null 2>&1 || die "python3 not found — apt-get install python3 python3-venv"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
