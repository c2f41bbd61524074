#!/usr/bin/env bash
# Runs the tests of our moto extensions (sandbox/moto/test_ext.py, test_events.py, test_delete.py, test_targets.py, test_warm.py) in the sandbox's moto venv (made when missing).
# Starts its own moto on a free loopback port; needs no running sandbox. Extra arguments go to pytest.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
PY=$(bash "$here/../venv.sh")
cd "$here"
exec "$PY" -m pytest -q -p no:cacheprovider test_ext.py test_events.py test_delete.py test_targets.py test_warm.py "$@"
