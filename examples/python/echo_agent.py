#!/usr/bin/env python3
"""An agent that answers every message in a conversation with "echo: <content>", over plain HTTP.

    python3 examples/python/echo_agent.py --conversation general

It long-polls the conversation from a cursor (the last seq it handled), kept in a state file so that a
restart resumes where it stopped; a first start begins at the newest message (--since 0 answers the
history too). Each reply carries client_msg_id "echo-<seq of the message>": if the agent dies after
posting a reply but before saving its cursor, the restarted agent posts the same reply again and the hub
stores nothing new. Each reply also says what it answers (in_reply_to) and carries payload
{"echo_of": <seq>}: an echo agent never answers a message carrying echo_of, so two echo agents (or one
and itself) never talk to each other. Standard library only.

Prints one JSON line per message answered: {"answered": <seq>, "reply": <seq>, "duplicate": false}.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

sys.dont_write_bytecode = True  # keep examples/python free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from switchboard_agent import Switchboard, SwitchboardError, exit_on_sigterm, load_json, remove_stale_temp_files, write_json_atomic  # noqa: E402


def parse_args(argv: list | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Answer each message in a Switchboard conversation with 'echo: <content>'.")
    p.add_argument("--data-dir", help="the hub's data folder, holding connection.json (default: SWITCHBOARD_HOME or the app-data folder)")
    p.add_argument("--http", help="the hub's address, instead of connection.json")
    p.add_argument("--token", help="a token, instead of connection.json's admin token")
    p.add_argument("--agent", default="echo", help="this agent's name (default: echo)")
    p.add_argument("--conversation", default="general", help="the conversation to answer in (default: general)")
    p.add_argument("--state", default="echo_agent_state.json", help="where the cursor is kept (default: ./echo_agent_state.json)")
    p.add_argument("--since", type=int, help="the cursor to start from when there is no state yet (default: the newest message; 0 answers all history)")
    p.add_argument("--wait", type=float, default=25, help="seconds one long-poll may wait (at most 30; default 25)")
    p.add_argument("--once", type=int, metavar="N", help="exit after answering N messages")
    return p.parse_args(argv)


def is_echo(message: dict) -> bool:
    """A reply from an echo agent (its payload says which message it echoes): answering it would start two echo agents talking forever."""
    payload = message.get("payload")
    return isinstance(payload, dict) and "echo_of" in payload


def main(argv: list | None = None) -> int:
    args = parse_args(argv)
    exit_on_sigterm()  # a kill stops between two writes of the state file
    remove_stale_temp_files(args.state)  # left by a SIGKILL mid-write
    hub = Switchboard(agent=args.agent, data_dir=args.data_dir, http=args.http, token=args.token)

    state = load_json(args.state, {"cursors": {}})
    cursors = state.setdefault("cursors", {})

    def save(cursor: int) -> None:
        cursors[args.conversation] = cursor
        write_json_atomic(args.state, state)

    since = cursors.get(args.conversation)
    if since is None:
        # A first start answers what comes from now on, not the history; the cursor is kept at once so a
        # restart answers what came in between.
        since = args.since if args.since is not None else hub.newest_seq(args.conversation)
        save(since)
    since = int(since)

    answered = 0
    failures = 0
    print(json.dumps({"agent": args.agent, "conversation": args.conversation, "since": since}), flush=True)
    while args.once is None or answered < args.once:
        try:
            messages, next_since = hub.read_messages(args.conversation, since=since, wait=args.wait)
            for message in messages:
                if message["sender"] != args.agent and not is_echo(message):
                    reply = hub.post_message(
                        args.conversation,
                        f"echo: {message['content']}",
                        client_msg_id=f"echo-{message['seq']}",
                        payload={"echo_of": message["seq"]},
                        in_reply_to=message["seq"],
                    )
                    answered += 1
                    print(json.dumps({"answered": message["seq"], "reply": reply["message"]["seq"], "duplicate": reply["duplicate"]}), flush=True)
                # The cursor moves only after the message is handled: a crash before this line answers it again, idempotently.
                since = message["seq"]
                save(since)
                if args.once is not None and answered >= args.once:
                    break
            else:
                if next_since != since:
                    since = next_since
                    save(since)
            failures = 0
        except SwitchboardError as e:
            if not e.retryable:
                print(f"echo_agent: {e}", file=sys.stderr)
                return 1
            # The hub is stopping, restarting or busy: wait, find it again (its port may have changed) and resume from the cursor.
            failures += 1
            delay = min(30.0, 0.5 * 2 ** min(failures, 6))
            print(f"echo_agent: {e}; retrying in {delay:.1f}s", file=sys.stderr, flush=True)
            time.sleep(delay)
            try:
                hub.reload()
            except SwitchboardError:
                pass
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
    except SwitchboardError as e:  # no connection.json, or the first call was refused
        print(f"echo_agent: {e}", file=sys.stderr)
        sys.exit(1)
