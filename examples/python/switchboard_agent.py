"""A small Switchboard client over HTTP, using only the Python standard library.

    from switchboard_agent import Switchboard, SwitchboardError

    hub = Switchboard(agent="planner")              # reads connection.json from the data folder
    hub.post_message("general", "Hello!", client_msg_id="planner-1")
    messages, since = hub.read_messages("general", since=0, wait=25)

The hub's address and its local admin token are in connection.json in the data folder: --data-dir
(data_dir=), else SWITCHBOARD_HOME, else ~/.config/Switchboard (Linux), ~/Library/Application
Support/Switchboard (macOS), %APPDATA%\\Switchboard (Windows). Every call sends the token as
`Authorization: Bearer`, and the agent name as `X-Agent-Name` (an admin token may act as any agent).

Every error is a SwitchboardError carrying the hub's {"status":"error","error":{"code","message"}}.
See docs/protocol.md for the whole API.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import socket
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

__all__ = [
    "Switchboard",
    "SwitchboardError",
    "default_data_dir",
    "read_connection",
    "callback_secret",
    "verify_signature",
    "load_json",
    "write_json_atomic",
    "remove_stale_temp_files",
    "exit_on_sigterm",
]


class SwitchboardError(Exception):
    """A call the hub refused, or could not be made.

    `code` is the hub's error code (SB_ERR_AUTH, SB_ERR_NOT_FOUND, ...), `message` its explanation and
    `http_status` the HTTP status. When the hub could not be reached at all, `code` is
    SB_ERR_UNREACHABLE and `http_status` is None.
    """

    def __init__(self, code: str, message: str, http_status: int | None = None, body: object = None):
        super().__init__(f"{code}: {message}" + ("" if http_status is None else f" (HTTP {http_status})"))
        self.code = code
        self.message = message
        self.http_status = http_status
        self.body = body

    @property
    def retryable(self) -> bool:
        """True when the same call may work later: the hub was unreachable, busy, stopping or timed out."""
        return self.http_status is None or self.http_status >= 500 or self.http_status in (408, 429)


def default_data_dir() -> str:
    """The folder the hub uses when it is given no --data-dir: SWITCHBOARD_HOME, else the OS's app-data folder."""
    if os.environ.get("SWITCHBOARD_HOME"):
        return os.environ["SWITCHBOARD_HOME"]
    home = os.path.expanduser("~")
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Application Support", "Switchboard")
    if sys.platform == "win32":
        return os.path.join(os.environ.get("APPDATA") or os.path.join(home, "AppData", "Roaming"), "Switchboard")
    return os.path.join(os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config"), "Switchboard")


def read_connection(data_dir: str | None = None) -> dict:
    """The hub's connection.json ({"url","http","port","token","pid"}) from the data folder."""
    path = os.path.join(data_dir or default_data_dir(), "connection.json")
    try:
        with open(path, encoding="utf-8") as f:
            info = json.load(f)
    except FileNotFoundError:
        raise SwitchboardError(
            "SB_ERR_NO_HUB", f"{path} does not exist: start the hub with `switchboard serve` (or pass --data-dir)"
        ) from None
    except (OSError, ValueError) as e:
        raise SwitchboardError("SB_ERR_NO_HUB", f"cannot read {path}: {e}") from None
    if not isinstance(info, dict) or not info.get("http") or not info.get("token"):
        raise SwitchboardError("SB_ERR_NO_HUB", f"{path} has no \"http\" and \"token\"")
    return info


def callback_secret(data_dir: str | None = None) -> str:
    """The secret the hub signs callbacks with: SWITCHBOARD_CALLBACK_SECRET, else connection.json's "callback_secret"."""
    if os.environ.get("SWITCHBOARD_CALLBACK_SECRET"):
        return os.environ["SWITCHBOARD_CALLBACK_SECRET"]
    secret = read_connection(data_dir).get("callback_secret")
    if not isinstance(secret, str) or not secret:
        raise SwitchboardError("SB_ERR_NO_HUB", "connection.json has no \"callback_secret\": run `switchboard secret` and set SWITCHBOARD_CALLBACK_SECRET")
    return secret


def verify_signature(secret: str, timestamp: str | None, signature: str | None, body: bytes, tolerance: int = 300) -> bool:
    """True when a callback's X-Switchboard-Signature is HMAC-SHA256(secret, "<timestamp>.<body>") and its
    X-Switchboard-Timestamp is within `tolerance` seconds of now. `body` is the raw request body, exactly as
    received. The header may carry several comma-separated `sha256=` values (after a rotation); one must match."""
    if not timestamp or not signature or not timestamp.isdigit() or abs(time.time() - int(timestamp)) > tolerance:
        return False
    expected = "sha256=" + hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, value.strip()) for value in signature.split(","))


class Switchboard:
    """One agent's view of the hub. Pass `http` and `token` to skip connection.json."""

    def __init__(
        self,
        agent: str | None = None,
        data_dir: str | None = None,
        http: str | None = None,
        token: str | None = None,
        timeout: float = 30.0,
    ):
        self.agent = agent
        self.data_dir = data_dir
        self.timeout = timeout
        self._given = (http, token)
        # The hub is on this machine: never send its token through an HTTP proxy from the environment.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        self.reload()

    def reload(self) -> None:
        """Reads connection.json again: the hub rewrites it on every start, and its port may have moved."""
        http, token = self._given
        if http is None or token is None:
            info = read_connection(self.data_dir)
            http = http or info["http"]
            token = token or info["token"]
        self.http = http.rstrip("/")
        self.token = token

    # --- messages ---------------------------------------------------------------------------------

    def post_message(
        self,
        conversation: str,
        content: str,
        message_type: str = "message",
        client_msg_id: str | None = None,
        payload: object = None,
        in_reply_to: int | None = None,
    ) -> dict:
        """Posts one message; returns {"status":"ok","duplicate":bool,"message":{...}}.

        With `client_msg_id`, a resend stores nothing new and answers the first message with duplicate=True:
        use it whenever you may send the same message twice. `in_reply_to` is the seq of the message this
        one answers: the hub's loop breaker follows these chains, so an agent answering agents should set it.
        """
        body = {"conversation_id": conversation, "content": content, "message_type": message_type}
        if client_msg_id is not None:
            body["client_msg_id"] = client_msg_id
        if payload is not None:
            body["payload"] = payload
        if in_reply_to is not None:
            body["in_reply_to"] = int(in_reply_to)
        return self._call("POST", "/api/messages", body)

    def read_messages(self, conversation: str, since: int = 0, wait: float = 0, limit: int | None = None) -> tuple[list, int]:
        """Messages after seq `since`, oldest first, and the cursor to pass next time.

        With `wait` (seconds, at most 30) an empty answer waits for the next message: a long-poll.
        """
        query = {"since": int(since), "wait": wait}
        if limit is not None:
            query["limit"] = int(limit)
        path = f"/api/conversations/{_segment(conversation)}/messages?{urllib.parse.urlencode(query)}"
        body = self._call("GET", path, timeout=self.timeout + float(wait))
        return body["messages"], body["next_since"]

    def newest_seq(self, conversation: str) -> int:
        """The seq of the conversation's newest message (0 when it has none): a cursor that skips its history."""
        path = f"/api/conversations/{_segment(conversation)}/messages?before={2**53 - 1}&limit=1"
        messages = self._call("GET", path)["messages"]
        return int(messages[-1]["seq"]) if messages else 0

    # --- the relay API (tasks) --------------------------------------------------------------------

    def send_task(self, frm: str, to: str, cmd: str, payload: object = None, text: str | None = None, **fields) -> str:
        """Hands a task to agent or role `to` as `frm`; returns its task_id. `fields`: priority, run_at, timeout_ms, ..."""
        body = {"from": frm, "to": to, "type": "task", "cmd": cmd, **fields}
        if payload is not None:
            body["payload"] = payload
        if text is not None:
            body["text"] = text
        return self._call("POST", "/api/relay/send", body)["task_id"]

    def task_status(self, task_id: str) -> dict:
        """{"task_id","task_status":"pending"|"completed"|"failed","state","assigned_to","attempts","result","error"}."""
        return self._call("GET", f"/api/relay/task-status/{_segment(task_id)}")

    def callback(self, task_id: str, child_id: str, status: str, result: object = None, error: str | None = None) -> dict:
        """Reports a task's end: status "done" (or "completed") or "failed". A repeat is harmless: changed=False."""
        body = {"task_id": task_id, "child_id": child_id, "status": status}
        if result is not None:
            body["result"] = result
        if error is not None:
            body["error"] = error
        return self._call("POST", "/api/relay/callback", body)

    def tasks(self, to: str | None = None, state: str | None = None, frm: str | None = None, cmd: str | None = None, limit: int = 100) -> list:
        """Tasks (GET /api/tasks), newest change first: those addressed to agent or role `to` (or held by it), in `state`, ...

        An agent token sees the tasks it sent, was offered or holds, and those addressed to it or a role it declared.
        """
        query = {"limit": int(limit)}
        for key, value in (("to", to), ("state", state), ("from", frm), ("cmd", cmd)):
            if value is not None:
                query[key] = value
        return self._call("GET", f"/api/tasks?{urllib.parse.urlencode(query)}")["tasks"]

    def logs(self, limit: int = 50) -> list:
        """The newest `limit` (1-1000) audit entries, newest last: {"ts","id","source","kind","actor","subject",...}."""
        return self._call("GET", f"/api/relay/logs?limit={int(limit)}")["logs"]

    # --- plumbing ---------------------------------------------------------------------------------

    def _call(self, method: str, path: str, body: object = None, timeout: float | None = None) -> dict:
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        if self.agent:
            headers["X-Agent-Name"] = self.agent
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.http + path, data=data, headers=headers, method=method)
        try:
            with self._opener.open(request, timeout=timeout or self.timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            raise _hub_error(e) from None
        except (urllib.error.URLError, OSError, socket.timeout) as e:
            reason = getattr(e, "reason", e)
            raise SwitchboardError("SB_ERR_UNREACHABLE", f"{method} {self.http}{path}: {reason}") from None
        except ValueError as e:
            raise SwitchboardError("SB_ERR_BAD_JSON", f"{method} {path}: the answer is not JSON: {e}") from None


def _segment(value: str) -> str:
    """One URL path segment: conversation ids such as dm:alice:bob are escaped."""
    return urllib.parse.quote(str(value), safe="")


def _hub_error(e: urllib.error.HTTPError) -> SwitchboardError:
    text = ""
    try:
        text = e.read().decode("utf-8", "replace")
        body = json.loads(text)
        error = body["error"]
        return SwitchboardError(str(error["code"]), str(error["message"]), e.code, body)
    except (ValueError, KeyError, TypeError, OSError):
        return SwitchboardError("SB_ERR_HTTP", text.strip() or str(e.reason), e.code, text)


# --- state files ------------------------------------------------------------------------------------


def load_json(path: str, default: object) -> object:
    """The JSON in `path`, or `default` when there is no such file yet."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return default


def remove_stale_temp_files(path: str) -> list:
    """Deletes the temporary files write_json_atomic(path) left behind when a process was killed mid-write (SIGKILL); returns their names."""
    folder = os.path.dirname(os.path.abspath(path))
    prefix = os.path.basename(path) + "."
    removed = []
    for name in os.listdir(folder):
        if name.startswith(prefix) and name.endswith(".tmp"):
            try:
                os.unlink(os.path.join(folder, name))
                removed.append(name)
            except OSError:
                pass
    return removed


def exit_on_sigterm() -> None:
    """Turns SIGTERM (kill, systemd, docker stop) into SystemExit, so writes in progress clean up their temporary files."""
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))


def write_json_atomic(path: str, value: object) -> None:
    """Writes `value` as JSON so that a reader, or a crash at any moment, sees the old file or the new one, never half.

    The data goes to a temporary file in the same folder, is flushed to disk, and then os.replace swaps it in.
    """
    folder = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(prefix=os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(value, f, indent=2, sort_keys=True)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
