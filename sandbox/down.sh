#!/usr/bin/env bash
# Stops every sandbox process of this clone (TERM to each peer's process group, KILL after 5 s) and leaves none
# behind; removes the pid files, .sandbox/env and etcd's data (the sandbox is ephemeral: the next up starts empty).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUN="$SANDBOX_DIR/run"
quiet=${1:-}
stopped=0
for name in kube-controller-manager kube-apiserver moto etcd; do
  pidfile="$RUN/$name.pid"
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      [ "$quiet" = "--quiet" ] || say "$name (pid $pid) ignored TERM for 5 s: KILL"
    fi
    # KILL whatever is left of the group (also children that outlived their parent).
    kill -KILL -- "-$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
    stopped=$((stopped + 1))
  fi
  rm -f "$pidfile"
done
rm -f "$SANDBOX_DIR/env"
rm -rf "$SANDBOX_DIR/etcd-data"
[ "$quiet" = "--quiet" ] || say "down ($stopped processes stopped)"
