#!/usr/bin/env python3
"""A master's callback endpoint: receives the hub's task callbacks, accepts only correctly signed ones.

    python3 examples/python/callback_receiver.py --port 9000
    # then send tasks with "callback_url": "http://127.0.0.1:9000/done"

Every callback the hub POSTs carries X-Switchboard-Timestamp and X-Switchboard-Signature:
sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>"> keyed with the hub's callback secret. This receiver
checks both (a timestamp more than --tolerance seconds away is refused too, against replays), answers
204 to a good callback and 401 to anything else, and never acts on an unsigned body.

The secret comes from --secret, else SWITCHBOARD_CALLBACK_SECRET, else connection.json's "callback_secret"
in the data folder (`switchboard secret` prints it; the settings page shows it).

Prints {"listening": PORT} first, then one JSON line per verified callback: the task's id, status and result.
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

sys.dont_write_bytecode = True  # keep examples/python free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from switchboard_agent import SwitchboardError, callback_secret, verify_signature  # noqa: E402

MAX_BODY = 1024 * 1024  # the hub's callbacks are small; a bigger body is not one of them


def make_handler(secret: str, tolerance: int, on_callback):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                return self.answer(413)
            body = self.rfile.read(length)  # the raw bytes: the signature covers exactly these
            ok = verify_signature(
                secret, self.headers.get("X-Switchboard-Timestamp"), self.headers.get("X-Switchboard-Signature"), body, tolerance
            )
            if not ok:
                log(f"refused a callback with a missing or wrong signature from {self.client_address[0]}")
                return self.answer(401)
            try:
                on_callback(json.loads(body))
            except ValueError:
                return self.answer(400)
            self.answer(204)

        def answer(self, status: int) -> None:
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
            pass  # one JSON line per callback on stdout is the output; no access log

    return Handler


def log(text: str) -> None:
    print(f"callback_receiver: {text}", file=sys.stderr, flush=True)


def parse_args(argv: list | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Receive Switchboard task callbacks, verifying their signature.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=9000, help="port to listen on; 0 picks a free one (default 9000)")
    p.add_argument("--data-dir", help="the hub's data folder, holding connection.json (default: SWITCHBOARD_HOME or the app-data folder)")
    p.add_argument("--secret", help="the callback secret, instead of SWITCHBOARD_CALLBACK_SECRET or connection.json")
    p.add_argument("--tolerance", type=int, default=300, help="seconds a callback's timestamp may be off (default 300)")
    p.add_argument("--once", type=int, metavar="N", help="exit after N verified callbacks")
    return p.parse_args(argv)


def main(argv: list | None = None) -> int:
    args = parse_args(argv)
    secret = args.secret or callback_secret(args.data_dir)
    received = 0

    def on_callback(callback: dict) -> None:
        nonlocal received
        received += 1
        print(json.dumps({"task_id": callback.get("task_id"), "status": callback.get("status"), "result": callback.get("result")}), flush=True)

    server = HTTPServer((args.host, args.port), make_handler(secret, args.tolerance, on_callback))
    print(json.dumps({"listening": server.server_address[1]}), flush=True)
    with server:
        while args.once is None or received < args.once:
            server.handle_request()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
    except SwitchboardError as e:
        log(str(e))
        sys.exit(1)
