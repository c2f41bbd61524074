#!/usr/bin/env bash
# Starts the sandbox's peers on free loopback ports: etcd, kube-apiserver (RBAC on, static admin token in
# system:masters, self-signed serving cert), kube-controller-manager (namespace, garbage-collector, job, ...
# controllers, as user system:kube-controller-manager) and moto (EC2 + Auto Scaling, with
# sandbox/moto/autoheal_moto_ext.py; SQS + EventBridge with the operator's event queue), waits until each answers, and
# writes <repo>/.sandbox/kubeconfig and <repo>/.sandbox/env.
# Idempotent: when the peers recorded in .sandbox/run are alive and answering it reuses them; otherwise it stops
# what is left and starts all of them afresh (empty etcd, empty moto). Works from any cwd and in any clone.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUN="$SANDBOX_DIR/run"
LOGS="$SANDBOX_DIR/logs"
PKI="$SANDBOX_DIR/pki"
started_at=$(date +%s)
mkdir -p "$RUN" "$LOGS" "$PKI"

# One up.sh at a time per clone (tests may call it concurrently with 'make sandbox-up').
if command -v flock >/dev/null 2>&1; then
  exec 9>"$RUN/up.lock"
  flock -w 1200 9 || die "another sandbox/up.sh holds $RUN/up.lock for too long"
fi

# What the running moto was started from: our extensions and the event rules it loads. A sandbox whose moto runs older
# extension code is restarted, not reused (a test of a new extension would otherwise meet the old one).
moto_code() { cat "$SANDBOX_SRC"/moto/*.py "$SANDBOX_SRC/../deploy/aws/event-rules.json" 2>/dev/null | sha256sum | cut -c1-12; }

answering() {
  [ -f "$SANDBOX_DIR/env" ] || return 1
  if [ "$(cat "$RUN/moto.code" 2>/dev/null)" != "$(moto_code)" ]; then
    say "moto's extensions changed since the sandbox started: starting it afresh"
    return 1
  fi
  pid_alive "$RUN/etcd.pid" && pid_alive "$RUN/kube-apiserver.pid" && pid_alive "$RUN/kube-controller-manager.pid" &&
    pid_alive "$RUN/moto.pid" || return 1
  # shellcheck disable=SC1091
  ( source "$SANDBOX_DIR/env"
    curl -fsS -m 5 "$SANDBOX_ETCD/health" >/dev/null &&
    curl -fsS -m 5 --cacert "$PKI/serving/apiserver.crt" -H "Authorization: Bearer $SANDBOX_TOKEN" \
      "$SANDBOX_KUBE_APISERVER/readyz" >/dev/null &&
    [ -n "${SANDBOX_KUBE_CONTROLLER_MANAGER:-}" ] && curl -fsSk -m 5 "$SANDBOX_KUBE_CONTROLLER_MANAGER/healthz" >/dev/null &&
    curl -fsS -m 5 "$AWS_ENDPOINT_URL/moto-api/" >/dev/null && [ -n "${AUTOHEAL_EVENTS_QUEUE_URL:-}" ] ) 2>/dev/null
}

if answering; then
  # shellcheck disable=SC1091
  source "$SANDBOX_DIR/env"
  say "already up (kube-apiserver $SANDBOX_KUBE_APISERVER, kube-controller-manager $SANDBOX_KUBE_CONTROLLER_MANAGER, etcd $SANDBOX_ETCD, moto $AWS_ENDPOINT_URL)"
  exit 0
fi

need_python
command -v openssl >/dev/null 2>&1 || die "openssl not found — apt-get install openssl"
command -v curl >/dev/null 2>&1 || die "curl not found — apt-get install curl"
bash "$SANDBOX_SRC/build.sh"
PY=$(bash "$SANDBOX_SRC/venv.sh")
bash "$SANDBOX_SRC/down.sh" --quiet   # whatever is left of an earlier sandbox of this clone
rm -rf "$SANDBOX_DIR/etcd-data"
boot_at=$(date +%s)

ETCD_PORT=$(free_port); ETCD_PEER_PORT=$(free_port); API_PORT=$(free_port); MOTO_PORT=$(free_port); KCM_PORT=$(free_port)
TOKEN=$(openssl rand -hex 24)
# kube-controller-manager authenticates as its own user, as kubeadm sets it up: the bootstrap RBAC policy binds
# system:kube-controller-manager, and with --use-service-account-credentials each controller then acts as its own
# ServiceAccount (kube-system/<name>-controller) with the controller's bootstrap role — RBAC as on a real cluster,
# not system:masters.
KCM_TOKEN=$(openssl rand -hex 24)
{ echo "$TOKEN,sandbox-admin,sandbox-admin,\"system:masters\""
  echo "$KCM_TOKEN,system:kube-controller-manager,system:kube-controller-manager"; } > "$PKI/tokens.csv"
chmod 600 "$PKI/tokens.csv"
if [ ! -f "$PKI/sa.key" ]; then
  openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null || die "openssl genrsa failed"
fi
# kube-apiserver reuses the serving cert in --cert-dir; drop it when unreadable or about to expire (1 year).
if [ -f "$PKI/serving/apiserver.crt" ] && ! openssl x509 -in "$PKI/serving/apiserver.crt" -noout -checkend 86400 >/dev/null 2>&1; then
  rm -rf "$PKI/serving"
fi
openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null || die "openssl rsa -pubout failed"

fail() { # NAME LOG MESSAGE
  echo "sandbox: ERROR: $1 $3; last lines of $2:" >&2
  tail -n 20 "$2" | sed 's/^/    /' >&2
  bash "$SANDBOX_SRC/down.sh" --quiet || true
  exit 1
}
wait_for() { # NAME PIDFILE LOG SECONDS COMMAND...
  local name=$1 pidfile=$2 log=$3 seconds=$4 t0; shift 4
  t0=$(date +%s)
  while [ $(( $(date +%s) - t0 )) -lt "$seconds" ]; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    pid_alive "$pidfile" || fail "$name" "$log" "exited during start-up"
    sleep 0.5
  done
  fail "$name" "$log" "did not answer within ${seconds}s"
}
# Each peer runs in its own session (setsid), so its pid is also its process group: down.sh stops the group.
start() { # NAME COMMAND...
  local name=$1; shift
  # 9>&-: the peers must not inherit the lock's descriptor (it would keep up.lock held for their lifetime).
  setsid "$@" > "$LOGS/$name.log" 2>&1 < /dev/null 9>&- &
  echo $! > "$RUN/$name.pid"
}

say "starting etcd $ETCD_VERSION on 127.0.0.1:$ETCD_PORT"
start etcd "$SANDBOX_DIR/bin/etcd" --name sandbox --data-dir "$SANDBOX_DIR/etcd-data" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "sandbox=http://127.0.0.1:$ETCD_PEER_PORT" --unsafe-no-fsync --log-level warn

say "starting moto (EC2 + Auto Scaling, with our extensions) on 127.0.0.1:$MOTO_PORT"
# --events-queue: moto creates the SQS queue and the EventBridge rules of deploy/aws/event-rules.json (and again after
# every /moto-api/reset); EC2 and Auto Scaling events reach the queue as on AWS (sandbox/moto/autoheal_moto_events.py).
EVENTS_QUEUE=autoheal-events
start moto "$PY" "$SANDBOX_SRC/moto/launcher.py" --host 127.0.0.1 --port "$MOTO_PORT" --events-queue "$EVENTS_QUEUE"
moto_code > "$RUN/moto.code"

wait_for etcd "$RUN/etcd.pid" "$LOGS/etcd.log" 60 curl -fsS "http://127.0.0.1:$ETCD_PORT/health"

say "starting kube-apiserver $K8S_VERSION on https://127.0.0.1:$API_PORT (RBAC on; start-up takes 10-60 s)"
start kube-apiserver "$SANDBOX_DIR/bin/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" \
  --cert-dir "$PKI/serving" --token-auth-file "$PKI/tokens.csv" --authorization-mode RBAC \
  --service-cluster-ip-range 10.0.0.0/24 --service-account-issuer https://kubernetes.default.svc \
  --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
  --enable-priority-and-fairness=false

wait_for moto "$RUN/moto.pid" "$LOGS/moto.log" 60 curl -fsS "http://127.0.0.1:$MOTO_PORT/moto-api/"
EVENTS_QUEUE_URL=$(AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing "$PY" -c 'import sys, boto3
print(boto3.client("sqs", endpoint_url=sys.argv[1], region_name="us-east-1").get_queue_url(QueueName=sys.argv[2])["QueueUrl"])' \
  "http://127.0.0.1:$MOTO_PORT" "$EVENTS_QUEUE") || fail moto "$LOGS/moto.log" "has no event queue $EVENTS_QUEUE"
# The serving cert appears in --cert-dir early; /readyz answers 200 once the API server is fully started.
wait_for kube-apiserver "$RUN/kube-apiserver.pid" "$LOGS/kube-apiserver.log" 180 \
  curl -fsSk -H "Authorization: Bearer $TOKEN" "https://127.0.0.1:$API_PORT/readyz"
# apiserver.crt holds the serving cert and the self-signed CA that signed it (SANs include 127.0.0.1).
CA_DATA=$(base64 -w0 < "$PKI/serving/apiserver.crt")

kubeconfig() { # USER TOKEN: a kubeconfig for the sandbox's API server on stdout
  cat <<KCFG
apiVersion: v1
kind: Config
clusters:
- name: autoheal-sandbox
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority-data: $CA_DATA
users:
- name: $1
  user:
    token: $2
contexts:
- name: autoheal-sandbox
  context:
    cluster: autoheal-sandbox
    user: $1
    namespace: default
current-context: autoheal-sandbox
KCFG
}
umask 077
kubeconfig system:kube-controller-manager "$KCM_TOKEN" > "$PKI/kube-controller-manager.kubeconfig"
umask 022

# The controllers whose effects the tests rely on: namespaces finish deleting, owner references are collected,
# Jobs get pods and status, finished Jobs with a TTL go away, Services get EndpointSlices, every namespace gets
# its default ServiceAccount (the ServiceAccount admission plugin needs it for pods) and kube-root-ca.crt.
# Pods are created but never run: there is no scheduler and no kubelet.
KCM_CONTROLLERS=namespace-controller,garbage-collector-controller,job-controller,ttl-after-finished-controller,endpointslice-controller,serviceaccount-controller,serviceaccount-token-controller,root-ca-certificate-publisher-controller
say "starting kube-controller-manager $K8S_VERSION (controllers: $KCM_CONTROLLERS; health https://127.0.0.1:$KCM_PORT/healthz)"
start kube-controller-manager "$SANDBOX_DIR/bin/kube-controller-manager" \
  --kubeconfig "$PKI/kube-controller-manager.kubeconfig" \
  --authentication-kubeconfig "$PKI/kube-controller-manager.kubeconfig" \
  --authorization-kubeconfig "$PKI/kube-controller-manager.kubeconfig" \
  --authentication-skip-lookup \
  --bind-address 127.0.0.1 --secure-port "$KCM_PORT" --cert-dir "$PKI/kube-controller-manager" \
  --use-service-account-credentials --controllers "$KCM_CONTROLLERS" --leader-elect=false \
  --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/serving/apiserver.crt"
# Its /healthz is always allowed; its other endpoints check callers' tokens with the API server (TokenReview,
# SubjectAccessReview); --authentication-skip-lookup: the API server has no client CA to publish (it would retry forever).
# /healthz answers once it serves; the default ServiceAccount (written by the serviceaccount controller through
# the controller's own credentials) shows that the controllers really run.
kcm_working() {
  curl -fsSk "https://127.0.0.1:$KCM_PORT/healthz" &&
    curl -fsSk -H "Authorization: Bearer $TOKEN" "https://127.0.0.1:$API_PORT/api/v1/namespaces/default/serviceaccounts/default"
}
wait_for kube-controller-manager "$RUN/kube-controller-manager.pid" "$LOGS/kube-controller-manager.log" 120 kcm_working

umask 077
kubeconfig sandbox-admin "$TOKEN" > "$SANDBOX_DIR/kubeconfig.tmp"
mv "$SANDBOX_DIR/kubeconfig.tmp" "$SANDBOX_DIR/kubeconfig"
umask 022

# Plain KEY="value" lines with absolute paths: sourceable from any cwd, and easy to parse (Sandbox.java does).
cat > "$SANDBOX_DIR/env.tmp" <<ENV
# Written by sandbox/up.sh at $(date -u +%FT%TZ) — use it with: source <repo>/.sandbox/env
export KUBECONFIG="$SANDBOX_DIR/kubeconfig"
export SANDBOX_KUBE_APISERVER="https://127.0.0.1:$API_PORT"
export SANDBOX_TOKEN="$TOKEN"
export SANDBOX_CA_FILE="$PKI/serving/apiserver.crt"
export SANDBOX_KUBE_CONTROLLER_MANAGER="https://127.0.0.1:$KCM_PORT"
export SANDBOX_ETCD="http://127.0.0.1:$ETCD_PORT"
export SANDBOX_MOTO="http://127.0.0.1:$MOTO_PORT"
export SANDBOX_BIN="$SANDBOX_DIR/bin"
export SANDBOX_PYTHON="$PY"
export AWS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT"
export AWS_REGION="us-east-1"
export AWS_DEFAULT_REGION="us-east-1"
export AWS_ACCESS_KEY_ID="testing"
export AWS_SECRET_ACCESS_KEY="testing"
export AUTOHEAL_EVENTS_QUEUE_URL="$EVENTS_QUEUE_URL"
export AUTOHEAL_HEALTH_PROBE_ALLOWED_CIDRS="127.0.0.0/8"
export PATH="$SANDBOX_DIR/bin:\$PATH"
ENV
mv "$SANDBOX_DIR/env.tmp" "$SANDBOX_DIR/env"
now=$(date +%s)
say "up in $(( now - started_at ))s (peers started in $(( now - boot_at ))s): kube-apiserver https://127.0.0.1:$API_PORT, kube-controller-manager https://127.0.0.1:$KCM_PORT, etcd http://127.0.0.1:$ETCD_PORT, moto http://127.0.0.1:$MOTO_PORT"
say "use it: source .sandbox/env && kubectl get ns   (logs: .sandbox/logs; stop: sandbox/down.sh or make sandbox-down)"
