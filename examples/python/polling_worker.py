#!/usr/bin/env python3
"""A child worker that never opens a socket: it asks the hub for the tasks addressed to it and reports with a callback.

    python3 examples/python/polling_worker.py --name child

The seed's child_worker_mock.py, done properly, against the same relay API:

- it asks GET /api/tasks?to=<its name>&state=submitted for the tasks waiting for it;
- does the work for the task's `cmd` (verify_chart gives a fake score; add yours to HANDLERS);
- reports with POST /api/relay/callback, retried with exponential backoff while the hub is unreachable
  or busy (a repeated callback is harmless: the hub answers changed=false);
- keeps its state in a JSON file written atomically (temporary file + os.replace): the result of a task
  whose callback has not gone through yet ("pending"), and every finished task id ("done"). A restarted
  worker sends the callbacks it still owes (unless the hub says the task has already ended: the callback
  went through just before the crash) and never redoes a finished task;
- on SIGTERM or Ctrl-C it stops between two writes of its state file, and at start it deletes the
  temporary files a SIGKILL mid-write left behind.

Prints one JSON line per task reported: {"task_id": ..., "cmd": ..., "status": "done", "changed": true}.
Standard library only. For the seed's environment, LYNKER_API_BASE and RELAY_API_KEY are read as --http
and --token when set.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from datetime import datetime, timezone

sys.dont_write_bytecode = True  # keep examples/python free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from switchboard_agent import Switchboard, SwitchboardError, exit_on_sigterm, load_json, remove_stale_temp_files, write_json_atomic  # noqa: E402


# --- the work ---------------------------------------------------------------------------------------


def verify_chart(payload: object, text: str | None) -> dict:
    """A stand-in for real work: a score between 0.50 and 0.99 that depends only on the payload."""
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).digest()
    score = round(0.5 + (digest[0] % 50) / 100, 2)
    user = payload.get("user_id") if isinstance(payload, dict) else None
    return {"summary": f"chart of {user or 'unknown user'} verified", "score": score}


def echo(payload: object, text: str | None) -> dict:
    return {"payload": payload, "text": text}


# cmd -> function(payload, text) returning the result. Raising an exception fails the task with its message.
HANDLERS = {"verify_chart": verify_chart, "echo": echo}


def do_work(cmd: str, payload: object, text: str | None) -> dict:
    """The report for one task: {"status": "done"|"failed", "result": ..., "error": ...}."""
    handler = HANDLERS.get(cmd)
    if handler is None:
        return {"status": "failed", "result": None, "error": f'this worker has no handler for cmd "{cmd}"'}
    try:
        return {"status": "done", "result": handler(payload, text), "error": None}
    except Exception as e:  # the task fails, the worker goes on
        return {"status": "failed", "result": None, "error": f"{type(e).__name__}: {e}"}


# --- the worker -------------------------------------------------------------------------------------


class Fatal(Exception):
    """The hub refused the worker itself (wrong token, forbidden): retrying cannot help."""


class Worker:
    def __init__(self, hub: Switchboard, args: argparse.Namespace):
        self.hub = hub
        self.args = args
        self.name = args.name
        state = load_json(args.state, {})
        self.done = state.get("done", {})  # task_id -> {"status", "at"}: never touched again
        self.pending = state.get("pending", {})  # task_id -> report whose callback has not gone through yet
        self.unchecked = set(self.pending)  # owed from before this start: ask the hub whether they still are
        self.finished = 0

    def save(self) -> None:
        write_json_atomic(self.args.state, {"worker": self.name, "done": self.done, "pending": self.pending})

    def enough(self) -> bool:
        return self.args.once is not None and self.finished >= self.args.once

    def run(self) -> None:
        failures = 0
        while not self.enough():
            try:
                self.poll()
                failures = 0
                delay = self.args.interval
            except SwitchboardError as e:
                if not e.retryable:
                    raise Fatal(str(e)) from None
                failures += 1
                delay = min(30.0, self.args.interval * 2 ** min(failures, 6))
                log(f"{e}; polling again in {delay:.1f}s")
                try:
                    self.hub.reload()  # the hub may have restarted on another port
                except SwitchboardError:
                    pass
            if not self.enough():
                time.sleep(delay)

    def poll(self) -> None:
        # First the callbacks still owed from before a crash or an outage: the work is already done.
        for task_id in list(self.pending):
            if self.enough():
                return
            if task_id in self.unchecked and self.reported_before(task_id):
                continue
            self.report(task_id)
        # The tasks waiting for this worker, asked of the hub by addressee and state: none is missed however
        # busy the hub is. Newest change first, so the oldest is taken first.
        for task in reversed(self.hub.tasks(to=self.name, state="submitted", limit=self.args.limit)):
            if self.enough():
                return
            task_id = task["task_id"]
            if task_id in self.done or task_id in self.pending:
                continue
            if task.get("assigned_to") not in (None, self.name):
                continue  # offered to another agent; it may come back to the queue later
            self.pending[task_id] = {"cmd": task.get("cmd"), **do_work(task.get("cmd"), task.get("payload"), task.get("text"))}
            self.save()  # the result survives a crash before the callback goes through
            self.report(task_id)

    def reported_before(self, task_id: str) -> bool:
        """A callback owed from before a restart may have gone through just before the crash: if the task has
        ended, it is done without a second callback."""
        try:
            status = self.hub.task_status(task_id)
        except SwitchboardError as e:
            if e.retryable:
                raise
            status = {"task_status": "pending"}  # the callback's own answer will say what is wrong
        self.unchecked.discard(task_id)
        if status["task_status"] == "pending":
            return False
        report = self.pending[task_id]
        self.finish(task_id, report, f"{report['status']} (reported before the restart: {status['state']})", {})
        return True

    def report(self, task_id: str) -> None:
        """Sends a pending task's callback, retrying with exponential backoff; then the task is done for good."""
        report = self.pending[task_id]
        retries = self.args.retries
        for attempt in range(retries + 1):
            try:
                answer = self.hub.callback(task_id, self.name, report["status"], result=report.get("result"), error=report.get("error"))
                self.finish(task_id, report, report["status"], {"changed": answer.get("changed")})
                return
            except SwitchboardError as e:
                if e.http_status in (401, 403):
                    raise Fatal(str(e)) from None
                if not e.retryable:
                    # The hub will never take this callback (unknown task, invalid result): record it and move on.
                    self.finish(task_id, report, "refused", {"error": {"code": e.code, "message": e.message}})
                    return
                if attempt == retries:
                    raise  # still pending: the next poll tries again
                delay = min(self.args.retry_max, self.args.retry_base * 2**attempt) * random.uniform(0.8, 1.2)
                log(f"callback for {task_id} failed ({e}); retry {attempt + 1}/{retries} in {delay:.2f}s")
                time.sleep(delay)

    def finish(self, task_id: str, report: dict, outcome: str, extra: dict) -> None:
        del self.pending[task_id]
        self.done[task_id] = {"status": outcome, "at": now()}
        self.save()
        self.finished += 1
        print(json.dumps({"task_id": task_id, "cmd": report.get("cmd"), "status": outcome, **extra}), flush=True)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def log(text: str) -> None:
    print(f"polling_worker: {text}", file=sys.stderr, flush=True)


def parse_args(argv: list | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Poll Switchboard for the tasks addressed to this worker and report them with callbacks.")
    p.add_argument("--data-dir", help="the hub's data folder, holding connection.json (default: SWITCHBOARD_HOME or the app-data folder)")
    p.add_argument("--http", default=os.environ.get("LYNKER_API_BASE"), help="the hub's address, instead of connection.json")
    p.add_argument("--token", default=os.environ.get("RELAY_API_KEY"), help="a token, instead of connection.json's admin token")
    p.add_argument("--name", default="child", help="this worker's agent name: it takes tasks sent to it (default: child)")
    p.add_argument("--state", default="child_worker_state.json", help="the state file (default: ./child_worker_state.json)")
    p.add_argument("--interval", type=float, default=2.0, help="seconds between polls (default 2)")
    p.add_argument("--limit", type=int, default=100, help="tasks taken per poll, 1-1000 (default 100)")
    p.add_argument("--retries", type=int, default=5, help="callback retries after the first try (default 5)")
    p.add_argument("--retry-base", type=float, default=1.0, help="first callback retry delay in seconds, doubling (default 1)")
    p.add_argument("--retry-max", type=float, default=30.0, help="longest callback retry delay in seconds (default 30)")
    p.add_argument("--once", type=int, metavar="N", help="exit after reporting N tasks")
    return p.parse_args(argv)


def main(argv: list | None = None) -> int:
    args = parse_args(argv)
    exit_on_sigterm()
    for name in remove_stale_temp_files(args.state):
        log(f"removed {name}, left by a worker killed while writing its state")
    # The name goes in X-Agent-Name too: with the admin token the calls are made as this worker.
    hub = Switchboard(agent=args.name, data_dir=args.data_dir, http=args.http, token=args.token)
    worker = Worker(hub, args)
    print(json.dumps({"worker": args.name, "done": len(worker.done), "pending": len(worker.pending)}), flush=True)
    worker.run()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
    except (Fatal, SwitchboardError) as e:
        log(str(e))
        sys.exit(1)
