# Shared settings of the sandbox scripts (sourced, not run).
# The sandbox lives in <repo>/.sandbox (state, logs, kubeconfig, env); built binaries and the moto venv live in a
# cache outside the repo, keyed by what they are built from, so fresh clones on the same machine reuse them.
SANDBOX_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SANDBOX_SRC/.." && pwd)"
SANDBOX_DIR="$REPO_ROOT/.sandbox"
CACHE_DIR="${AUTOHEAL_CACHE:-$HOME/.cache/autoheal-sandbox}"
K8S_VERSION=v1.34.4
ETCD_VERSION=v3.6.4

say() { echo "sandbox: $*"; }
die() { echo "sandbox: ERROR: $*" >&2; exit 1; }

hash_of() { cat "$@" | sha256sum | cut -c1-12; }
BIN_KEY="$(hash_of "$SANDBOX_SRC/k8s/go.mod" "$SANDBOX_SRC/k8s/go.sum" "$SANDBOX_SRC/build.sh")"
BIN_CACHE="$CACHE_DIR/bin-$K8S_VERSION-$BIN_KEY"
VENV_KEY="$(hash_of "$SANDBOX_SRC/moto/requirements.txt")"
VENV_DIR="$CACHE_DIR/venv-$VENV_KEY"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
