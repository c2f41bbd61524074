#!/usr/bin/env bash
# Stops every sandbox process (TERM, then KILL) and leaves none behind. The sandbox is ephemeral: etcd's data
# is wiped by the next up.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUN="$SANDBOX_DIR/run"
quiet=${1:-}
stopped=0
for name in kube-apiserver moto etcd; do
  pidfile="$RUN/$name.pid"
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    stopped=$((stopped + 1))
  fi
  rm -f "$pidfile"
done
rm -f "$SANDBOX_DIR/env"
[ "$quiet" = "--quiet" ] || say "down ($stopped processes stopped)"
