#!/usr/bin/env bash
# Creates the moto venv (sandbox/moto/requirements.txt) in the cache outside the repo when missing, and links it
# to <repo>/.sandbox/venv. Prints the venv's python.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_python
if [ ! -f "$VENV_DIR/.complete" ] && [ -x "$VENV_DIR/bin/python" ] && "$VENV_DIR/bin/python" -c 'import moto.server' 2>/dev/null; then
  touch "$VENV_DIR/.complete"   # made before the .complete marker existed
fi
if [ ! -f "$VENV_DIR/.complete" ]; then
  say "creating the moto venv in $VENV_DIR (pip install -r sandbox/moto/requirements.txt, ~1 min)" >&2
  rm -rf "$VENV_DIR"
  mkdir -p "$CACHE_DIR"
  python3 -m venv "$VENV_DIR" >/dev/null 2>&1 || { rm -rf "$VENV_DIR"; die "python3 -m venv failed — apt-get install python3-venv"; }
  "$VENV_DIR/bin/python" -m pip install -q --disable-pip-version-check -r "$SANDBOX_SRC/moto/requirements.txt" >&2 \
    || { rm -rf "$VENV_DIR"; die "pip install -r sandbox/moto/requirements.txt failed (is PyPI reachable? see above)"; }
  touch "$VENV_DIR/.complete"
fi
mkdir -p "$SANDBOX_DIR"
ln -sfn "$VENV_DIR" "$SANDBOX_DIR/venv"
echo "$VENV_DIR/bin/python"
