"""Starts moto's server for the sandbox, with our extensions installed first (see autoheal_moto_ext)."""
import argparse
import signal
import threading

from moto.server import ThreadedMotoServer

import autoheal_moto_ext


def main():
    parser = argparse.ArgumentParser(description="moto for the autoheal sandbox")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()

    autoheal_moto_ext.install()
    server = ThreadedMotoServer(ip_address=args.host, port=args.port, verbose=False)
    server.start()
    print(f"moto listening on http://{args.host}:{args.port}", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    server.stop()


if __name__ == "__main__":
    main()
