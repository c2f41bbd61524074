#!/usr/bin/env bash
# Starts etcd, kube-apiserver (RBAC on, static admin token, self-signed serving cert) and moto on free loopback
# ports, waits until each answers, and writes .sandbox/kubeconfig and .sandbox/env. Idempotent: when the peers
# recorded in .sandbox/run are alive and answering, it reuses them.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUN="$SANDBOX_DIR/run"
LOGS="$SANDBOX_DIR/logs"

answering() {
  [ -f "$SANDBOX_DIR/env" ] || return 1
  pid_alive "$RUN/etcd.pid" && pid_alive "$RUN/kube-apiserver.pid" && pid_alive "$RUN/moto.pid" || return 1
  # shellcheck disable=SC1091
  ( source "$SANDBOX_DIR/env"
    curl -fsSk -m 5 -H "Authorization: Bearer $SANDBOX_TOKEN" "$SANDBOX_KUBE_APISERVER/readyz" >/dev/null &&
    curl -fsS -m 5 "$AWS_ENDPOINT_URL/moto-api/" >/dev/null )
}

if answering; then
  # shellcheck disable=SC1091
  source "$SANDBOX_DIR/env"
  say "already up (kube-apiserver $SANDBOX_KUBE_APISERVER, moto $AWS_ENDPOINT_URL)"
  exit 0
fi

bash "$SANDBOX_SRC/build.sh"
command -v openssl >/dev/null 2>&1 || die "openssl not found — apt-get install openssl"
command -v curl >/dev/null 2>&1 || die "curl not found — apt-get install curl"
bash "$SANDBOX_SRC/down.sh" --quiet
mkdir -p "$RUN" "$LOGS" "$SANDBOX_DIR/pki"
rm -rf "$SANDBOX_DIR/etcd-data"

ETCD_PORT=$(free_port); ETCD_PEER_PORT=$(free_port); API_PORT=$(free_port); MOTO_PORT=$(free_port)
TOKEN=$(openssl rand -hex 24)
PKI="$SANDBOX_DIR/pki"
echo "$TOKEN,sandbox-admin,sandbox-admin,\"system:masters\"" > "$PKI/tokens.csv"
[ -f "$PKI/sa.key" ] || openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null

wait_for() { # NAME PIDFILE LOG SECONDS COMMAND...
  local name=$1 pidfile=$2 log=$3 seconds=$4; shift 4
  for _ in $(seq 1 "$seconds"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if ! pid_alive "$pidfile"; then
      echo "sandbox: ERROR: $name exited; last lines of $log:" >&2; tail -n 15 "$log" >&2; exit 1
    fi
    sleep 1
  done
  echo "sandbox: ERROR: $name did not answer within ${seconds}s; last lines of $log:" >&2; tail -n 15 "$log" >&2; exit 1
}

say "starting etcd $ETCD_VERSION on 127.0.0.1:$ETCD_PORT"
setsid "$SANDBOX_DIR/bin/etcd" --name sandbox --data-dir "$SANDBOX_DIR/etcd-data" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "sandbox=http://127.0.0.1:$ETCD_PEER_PORT" --unsafe-no-fsync --log-level warn \
  > "$LOGS/etcd.log" 2>&1 < /dev/null &
echo $! > "$RUN/etcd.pid"
wait_for etcd "$RUN/etcd.pid" "$LOGS/etcd.log" 60 curl -fsS "http://127.0.0.1:$ETCD_PORT/health"

say "starting moto (EC2 + Auto Scaling, with our extensions) on 127.0.0.1:$MOTO_PORT"
setsid "$VENV_DIR/bin/python" "$SANDBOX_SRC/moto/launcher.py" --host 127.0.0.1 --port "$MOTO_PORT" \
  > "$LOGS/moto.log" 2>&1 < /dev/null &
echo $! > "$RUN/moto.pid"

say "starting kube-apiserver $K8S_VERSION on https://127.0.0.1:$API_PORT (RBAC on; start-up takes 10-60 s)"
setsid "$SANDBOX_DIR/bin/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" \
  --cert-dir "$PKI/serving" --token-auth-file "$PKI/tokens.csv" --authorization-mode RBAC \
  --service-cluster-ip-range 10.0.0.0/24 --service-account-issuer https://kubernetes.default.svc \
  --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
  --disable-admission-plugins ServiceAccount --enable-priority-and-fairness=false \
  > "$LOGS/kube-apiserver.log" 2>&1 < /dev/null &
echo $! > "$RUN/kube-apiserver.pid"

wait_for moto "$RUN/moto.pid" "$LOGS/moto.log" 60 curl -fsS "http://127.0.0.1:$MOTO_PORT/moto-api/"
wait_for kube-apiserver "$RUN/kube-apiserver.pid" "$LOGS/kube-apiserver.log" 180 \
  curl -fsSk -H "Authorization: Bearer $TOKEN" "https://127.0.0.1:$API_PORT/readyz"

cat > "$SANDBOX_DIR/kubeconfig" <<KCFG
apiVersion: v1
kind: Config
clusters:
- name: autoheal-sandbox
  cluster:
    server: https://127.0.0.1:$API_PORT
    insecure-skip-tls-verify: true
users:
- name: sandbox-admin
  user:
    token: $TOKEN
contexts:
- name: autoheal-sandbox
  context: {cluster: autoheal-sandbox, user: sandbox-admin, namespace: default}
current-context: autoheal-sandbox
KCFG
chmod 600 "$SANDBOX_DIR/kubeconfig"

cat > "$SANDBOX_DIR/env" <<ENV
# Written by sandbox/up.sh — source it: . .sandbox/env
export KUBECONFIG="$SANDBOX_DIR/kubeconfig"
export SANDBOX_KUBE_APISERVER="https://127.0.0.1:$API_PORT"
export SANDBOX_TOKEN="$TOKEN"
export SANDBOX_ETCD="http://127.0.0.1:$ETCD_PORT"
export SANDBOX_BIN="$SANDBOX_DIR/bin"
export SANDBOX_PYTHON="$VENV_DIR/bin/python"
export AWS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT"
export AWS_REGION=us-east-1
export AWS_DEFAULT_REGION=us-east-1
export AWS_ACCESS_KEY_ID=testing
export AWS_SECRET_ACCESS_KEY=testing
export PATH="$SANDBOX_DIR/bin:\$PATH"
ENV
say "up: kube-apiserver https://127.0.0.1:$API_PORT, etcd http://127.0.0.1:$ETCD_PORT, moto http://127.0.0.1:$MOTO_PORT"
say "use it: source .sandbox/env && kubectl get ns   (logs in .sandbox/logs, stop with make sandbox-down)"
