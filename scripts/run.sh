#!/usr/bin/env bash
# Runs the operator against the sandbox (.sandbox/env). With --with-examples it also applies examples/ and
# tells how to watch them; Ctrl-C stops the operator (the sandbox keeps running: make sandbox-down).
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=target/quarkus-app/quarkus-run.jar
if [ ! -f .sandbox/env ]; then
  echo "run: .sandbox/env not found — start the sandbox with 'make sandbox-up'" >&2
  exit 1
fi
# shellcheck disable=SC1091
source .sandbox/env
[ -f "$JAR" ] || { echo "run: $JAR not found — run 'make build'" >&2; exit 1; }

echo "run: applying CRDs from crds/ to $SANDBOX_KUBE_APISERVER"
kubectl apply --server-side --force-conflicts -f crds/ >/dev/null
kubectl wait --for condition=established --timeout=60s crd/healingclusters.autoheal.io crd/elasticippools.autoheal.io crd/tenantpolicies.autoheal.io >/dev/null

export QUARKUS_HTTP_PORT=${QUARKUS_HTTP_PORT:-8080}
# Local bootstrappers listen on loopback, which the operator refuses by default (tenant safety, deploy/README.md).
export AUTOHEAL_BOOTSTRAP_ALLOW_INTERNAL_HOSTS=${AUTOHEAL_BOOTSTRAP_ALLOW_INTERNAL_HOSTS:-127.0.0.1,localhost}
# The sandbox connects nowhere but loopback: moto's instance addresses (54.214.0.0/16, 172.31.0.0/16) are not ours to reach.
# Not overridable from the environment on purpose.
export AUTOHEAL_OUTBOUND_ALLOWED_CIDRS=127.0.0.0/8,::1/128
# Application probes (spec.health.probes) likewise: only to 127.0.0.0/8 (probe address: ElasticIp in the sandbox).
export AUTOHEAL_HEALTH_PROBE_ALLOWED_CIDRS=127.0.0.0/8
# .sandbox/env exports AUTOHEAL_EVENTS_QUEUE_URL (the sandbox's SQS queue fed by moto's EC2 / Auto Scaling events):
# the operator consumes it, as it would the queue of deploy/aws/event-rules.json on AWS.
export AUTOHEAL_EVENTS_QUEUE_URL=${AUTOHEAL_EVENTS_QUEUE_URL:-}
echo "run: event queue ${AUTOHEAL_EVENTS_QUEUE_URL:-(none: an older sandbox; 'make sandbox-up' restarts it with one)}"
if [ "${1:-}" != "--with-examples" ]; then
  echo "run: operator on http://127.0.0.1:$QUARKUS_HTTP_PORT (metrics /q/metrics, health /q/health); loopback bootstrappers allowed: $AUTOHEAL_BOOTSTRAP_ALLOW_INTERNAL_HOSTS; outbound only to $AUTOHEAL_OUTBOUND_ALLOWED_CIDRS"
  exec java -jar "$JAR"
fi

java -jar "$JAR" &
operator=$!
trap 'echo; echo "run: stopping the operator"; kill $operator 2>/dev/null; wait $operator 2>/dev/null; exit 0' INT TERM
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$QUARKUS_HTTP_PORT/q/health/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 $operator 2>/dev/null; then echo "run: the operator exited" >&2; exit 1; fi
  sleep 1
done
echo "run: applying examples/ (subnets replaced by the sandbox's default subnets)"
bash scripts/render-examples.sh examples/voip-pool.yaml examples/voip-cluster.yaml | kubectl apply -f -
cat <<MSG

run: the operator is reconciling the example 'voip' cluster (3 machines in moto). Watch it with:
       kubectl --kubeconfig .sandbox/kubeconfig get hc,eippool -A -w
       kubectl --kubeconfig .sandbox/kubeconfig describe hc voip
     metrics: curl -s http://127.0.0.1:$QUARKUS_HTTP_PORT/q/metrics | grep ^autoheal_
     Ctrl-C stops the operator; 'make sandbox-down' stops the sandbox.

MSG
wait $operator
