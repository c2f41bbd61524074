#!/usr/bin/env bash
# Measures the packaged operator's memory and CPU against the sandbox, to size the Deployment's requests/limits
# (deploy/base/deployment.yaml, deploy/README.md "Resources"). Runs the jar with the heap settings of the pod
# (JAVA_OPTS below, with -Xmx/-Xms standing in for the percentages of the 384Mi cgroup limit), reconciles N clusters of M machines on one
# pool for a while, and prints peak RSS, heap and CPU.
#   usage: scripts/measure-resources.sh [clusters=10] [machines=3] [seconds=120]
set -euo pipefail
cd "$(dirname "$0")/.."
clusters=${1:-10}
machines=${2:-3}
seconds=${3:-120}
JAR=${AUTOHEAL_JAR:-target/quarkus-app/quarkus-run.jar}
[ -f .sandbox/env ] || { echo "measure: .sandbox/env not found — make sandbox-up" >&2; exit 1; }
[ -f "$JAR" ] || { echo "measure: $JAR not found — make build" >&2; exit 1; }
# shellcheck disable=SC1091
source .sandbox/env
ns=measure-$$
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
kubectl apply --server-side --force-conflicts -f crds/ >/dev/null
kubectl create namespace "$ns" >/dev/null

# the pod's JAVA_OPTS (deploy/base/deployment.yaml) with the heap the 384Mi limit gives at MaxRAMPercentage=50, InitialRAMPercentage=25
QUARKUS_HTTP_PORT=$port AUTOHEAL_RESYNC_INTERVAL=10s AUTOHEAL_WATCH_NAMESPACES=$ns \
  java -Xmx192m -Xms96m -XX:+UseSerialGC -Xss512k -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=128m \
  -jar "$JAR" >"/tmp/measure-$ns.log" 2>&1 &
pid=$!
cleanup() {
  # the operator removes its finalizers (and deletes the ASGs) only while it runs
  kubectl delete hc,eippool --all -n "$ns" --timeout=120s >/dev/null 2>&1 || true
  kubectl delete namespace "$ns" --wait=false >/dev/null 2>&1 || true
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { echo "measure: the operator exited, see /tmp/measure-$ns.log" >&2; exit 1; }
  sleep 1
done
subnet=$(curl -fsS "$AWS_ENDPOINT_URL/?Action=DescribeSubnets&Version=2016-11-15" \
  -H "Authorization: AWS4-HMAC-SHA256 Credential=testing/20260101/${AWS_REGION:-us-east-1}/ec2/aws4_request" \
  | grep -o '<subnetId>[^<]*</subnetId>' | sed -e 's/<[^>]*>//g' | sort | head -n 1)
{
  echo "apiVersion: autoheal.io/v1alpha1
kind: ElasticIpPool
metadata: {name: pool, namespace: $ns}
spec: {allocate: {count: $((clusters * machines))}, reclaimPolicy: Release}"
  for i in $(seq 1 "$clusters"); do
    echo "---
apiVersion: autoheal.io/v1alpha1
kind: HealingCluster
metadata: {name: c$i, namespace: $ns}
spec:
  roles: [voip]
  environment: staging
  capacity: {min: $machines, desired: $machines, max: $((machines + 1))}
  template: {machine: {imageId: ami-0123456789abcdef0, instanceType: t3.small}}
  subnetIds: [$subnet]
  elasticIps: {poolRef: pool}"
  done
} | kubectl apply -f - >/dev/null
echo "measure: $clusters clusters x $machines machines on one pool, sampling for ${seconds}s (pid $pid)"
peak=0
start_cpu=$(awk '{print $14 + $15}' "/proc/$pid/stat")
for _ in $(seq 1 "$seconds"); do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  [ "$rss" -gt "$peak" ] && peak=$rss
  sleep 1
done
end_cpu=$(awk '{print $14 + $15}' "/proc/$pid/stat")
hz=$(getconf CLK_TCK)
ready=$(kubectl get hc -n "$ns" -o jsonpath='{range .items[*]}{.status.readyReplicas}{"\n"}{end}' | awk '{s+=$1} END {print s+0}')
metrics=$(curl -fsS "http://127.0.0.1:$port/q/metrics")
heap=$(echo "$metrics" | awk '/^jvm_memory_used_bytes\{.*area="heap"/ {s+=$NF} END {printf "%.0f", s/1048576}')
nonheap=$(echo "$metrics" | awk '/^jvm_memory_used_bytes\{.*area="nonheap"/ {s+=$NF} END {printf "%.0f", s/1048576}')
threads=$(echo "$metrics" | awk '/^jvm_threads_live_threads/ {print $NF}')
echo "measure: ready machines $ready/$((clusters * machines))"
echo "measure: peak RSS $((peak / 1024)) MiB; at the end: heap in use ${heap} MiB, non-heap ${nonheap} MiB, ${threads} threads"
echo "measure: CPU $(( (end_cpu - start_cpu) * 1000 / hz / seconds ))m on average over ${seconds}s (after start-up)"
