"""Starts moto's server for the sandbox on a given host and port, with our extensions installed first
(autoheal_moto_ext: launch lifecycle hooks; autoheal_moto_faults: injected AWS errors;
autoheal_moto_versions: each instance's launch template version; autoheal_moto_idempotency: client tokens of
launch template writes; autoheal_moto_mixed: mixed instances groups (first override launched, CapacityRebalance
updates); autoheal_moto_delete: DeleteAutoScalingGroup with and without ForceDelete;
autoheal_moto_addresses: "amazon" as the owner of a public IP that is no Elastic IP; autoheal_moto_targets: a
load-balancer target's health set by a test (/autoheal-targets);
autoheal_moto_events: EC2 and Auto Scaling events to EventBridge and SQS, and with --events-queue the sandbox's event
queue and rules; autoheal_moto_warm: warm pools with Warmed:* spares, their launch hooks, and spares taken first). Stops cleanly on SIGTERM/SIGINT.

    python launcher.py --host 127.0.0.1 --port 5000 [--events-queue autoheal-events]
"""
import argparse
import os
import signal
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import moto  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

import autoheal_moto_addresses  # noqa: E402
import autoheal_moto_delete  # noqa: E402
import autoheal_moto_ext  # noqa: E402
import autoheal_moto_faults  # noqa: E402
import autoheal_moto_idempotency  # noqa: E402
import autoheal_moto_mixed  # noqa: E402
import autoheal_moto_versions  # noqa: E402
import autoheal_moto_template_tags  # noqa: E402
import autoheal_moto_events  # noqa: E402
import autoheal_moto_targets  # noqa: E402
import autoheal_moto_warm  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description="moto (with the autoheal extensions) for the sandbox")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--events-queue", help="create this SQS queue and the rules of deploy/aws/event-rules.json (kept across resets)")
    args = parser.parse_args()

    autoheal_moto_ext.install()
    autoheal_moto_delete.install()  # DeleteAutoScalingGroup: ResourceInUse without ForceDelete, force skips the hooks
    autoheal_moto_faults.install()
    autoheal_moto_versions.install()
    autoheal_moto_template_tags.install()  # DescribeLaunchTemplates answers the current tags, not those at creation
    autoheal_moto_idempotency.install()
    autoheal_moto_mixed.install()
    autoheal_moto_addresses.install()
    autoheal_moto_targets.install()  # after autoheal_moto_faults: it chains that one's control endpoints
    autoheal_moto_events.install(args.events_queue)  # after autoheal_moto_ext: it wraps the group launches that one patches
    autoheal_moto_warm.install()  # last: it wraps the launches of the others (spares first) and their hook lookups
    server = ThreadedMotoServer(ip_address=args.host, port=args.port, verbose=False)
    server.start()
    print(f"moto {moto.__version__} (+ autoheal_moto_ext, _faults, _versions, _idempotency, _addresses) listening on http://{args.host}:{args.port}", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    server.stop()


if __name__ == "__main__":
    main()
