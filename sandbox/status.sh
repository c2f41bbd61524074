#!/usr/bin/env bash
# Prints the sandbox's endpoints and whether each answers; exits 1 when it is down or a peer does not answer.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
[ -f "$SANDBOX_DIR/env" ] || { say "down (no .sandbox/env)"; exit 1; }
# shellcheck disable=SC1091
source "$SANDBOX_DIR/env"
rc=0
check() { # LABEL PIDFILE COMMAND...
  local label=$1 pidfile=$2; shift 2
  if "$@" >/dev/null 2>&1; then echo "  $label: up (pid $(cat "$pidfile" 2>/dev/null))"
  else echo "  $label: NOT ANSWERING"; rc=1; fi
}
say "status"
check "kube-apiserver $SANDBOX_KUBE_APISERVER" "$SANDBOX_DIR/run/kube-apiserver.pid" \
  curl -fsS -m 5 --cacert "${SANDBOX_CA_FILE:-$SANDBOX_DIR/pki/serving/apiserver.crt}" -H "Authorization: Bearer $SANDBOX_TOKEN" "$SANDBOX_KUBE_APISERVER/readyz"
check "kube-controller-manager ${SANDBOX_KUBE_CONTROLLER_MANAGER:-(not started)}" "$SANDBOX_DIR/run/kube-controller-manager.pid" \
  curl -fsSk -m 5 "${SANDBOX_KUBE_CONTROLLER_MANAGER:-https://127.0.0.1:0}/healthz"
check "etcd $SANDBOX_ETCD" "$SANDBOX_DIR/run/etcd.pid" curl -fsS -m 5 "$SANDBOX_ETCD/health"
check "moto $AWS_ENDPOINT_URL" "$SANDBOX_DIR/run/moto.pid" curl -fsS -m 5 "$AWS_ENDPOINT_URL/moto-api/"
echo "  event queue (SQS in moto): ${AUTOHEAL_EVENTS_QUEUE_URL:-(none)}"
echo "  KUBECONFIG=$KUBECONFIG"
echo "  binaries: $SANDBOX_BIN -> $(readlink "$SANDBOX_BIN/kubectl" | xargs dirname)"
echo "  logs: $SANDBOX_DIR/logs"
exit $rc
