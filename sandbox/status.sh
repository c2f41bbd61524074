#!/usr/bin/env bash
# Prints the sandbox's endpoints and whether each answers.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
[ -f "$SANDBOX_DIR/env" ] || { say "down (no .sandbox/env)"; exit 1; }
# shellcheck disable=SC1091
source "$SANDBOX_DIR/env"
check() { if "${@:2}" >/dev/null 2>&1; then echo "  $1: up"; else echo "  $1: NOT ANSWERING"; fi; }
say "status"
check "kube-apiserver $SANDBOX_KUBE_APISERVER" curl -fsSk -m 5 -H "Authorization: Bearer $SANDBOX_TOKEN" "$SANDBOX_KUBE_APISERVER/readyz"
check "etcd $SANDBOX_ETCD" curl -fsS -m 5 "$SANDBOX_ETCD/health"
check "moto $AWS_ENDPOINT_URL" curl -fsS -m 5 "$AWS_ENDPOINT_URL/moto-api/"
echo "  kubeconfig: $KUBECONFIG"
