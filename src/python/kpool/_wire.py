"""The record protocol the Java client defines: header names, topics, task and reply values.

Pure functions over bytes and dicts, so that the client's tests need no Kafka.
"""

import builtins
import json
import re
import time

TASK = "kpool-task"
ID = "kpool-id"
REPLY_TO = "kpool-reply-to"
ATTEMPT = "kpool-attempt"
DEADLINE = "kpool-deadline"
CONTENT_TYPE = "kpool-content-type"
CHUNK = "kpool-chunk"
CLIENT = "kpool-client"
JOURNAL = "kpool-journal"

JSON_CONTENT = "application/json"
CONTROL_TOPIC = "kpool.control"

_NAME = re.compile(r"[A-Za-z0-9_-]{1,120}\Z")


def check_name(what, name):
    """A pool name or client id: 1-120 of [A-Za-z0-9_-]. Raises ValueError naming ``what``."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError("%s must be 1-120 characters of [A-Za-z0-9_-], got: %r" % (what, name))
    return name


def tasks_topic(pool):
    return "kpool.%s.tasks" % check_name("pool", pool)


def replies_topic(client_id):
    return "kpool.replies.%s" % check_name("client id", client_id)


def encode(value, what="argument"):
    """Compact JSON bytes. Raises TypeError saying what to do if ``value`` is not JSON."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False,
                          separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError) as e:
        raise TypeError(
            "kpool sends each %s as JSON, not pickled, so it must be made of dict, list, tuple, "
            "str, int, float, bool and None: %s" % (what, e)) from None


def task_headers(name, reply_to, client_id, task_id, chunk=0, deadline_millis=None):
    """The headers of one task record, as TaskSender writes them."""
    headers = [(TASK, name), (REPLY_TO, reply_to), (ATTEMPT, "1"), (CLIENT, client_id),
               (CONTENT_TYPE, JSON_CONTENT)]
    if deadline_millis is not None:
        headers.append((DEADLINE, str(int(deadline_millis))))
    headers.append((ID, task_id))
    if chunk > 0:
        headers.append((CHUNK, str(chunk)))
    return [(k, v.encode("utf-8")) for k, v in headers]


def cancel_value(pool, task_ids, client_id):
    """The value of a control record that cancels ``task_ids`` (ControlMessage)."""
    return encode({"kind": "CANCEL", "pool": pool, "taskIds": list(task_ids),
                   "clientId": client_id, "sentAt": int(time.time() * 1000)})


def header(headers, name):
    """The last value of header ``name`` as text, or None."""
    found = None
    for key, value in headers or ():
        if key == name:
            found = value.decode("utf-8") if isinstance(value, bytes) else value
    return found


def call_id(task_id):
    """The call a task id belongs to: chunk ``<id>:<n>`` of a map belongs to ``<id>``."""
    head, sep, _ = task_id.rpartition(":")
    return head if sep else task_id


def chunk_index(task_id):
    """The chunk index of a task id: 0 for an apply, -1 if it is not a number."""
    _, sep, tail = task_id.rpartition(":")
    if not sep:
        return 0
    try:
        return int(tail)
    except ValueError:
        return -1


# ---- failures ---------------------------------------------------------------------------------

class KpoolError(Exception):
    """Root of the errors kpool itself raises."""


class PoolClosedError(KpoolError, ValueError):
    """The pool no longer takes tasks (after close() or terminate()); a ValueError, as the
    stdlib's "Pool not running"."""


class TaskFailedError(KpoolError):
    """A task raised where it ran. ``remote_type`` is the remote exception's type name (e.g.
    ``ValueError`` or ``java.lang.ArithmeticException``), ``remote_message`` its message and
    ``remote_traceback`` its traceback text, also chained as ``__cause__`` as the stdlib does.
    A remote type that names a Python builtin exception is raised as a subclass of that builtin
    too, so ``except ValueError`` catches a remote ValueError."""

    remote_type = "unknown"
    remote_message = ""
    remote_traceback = ""
    retryable = False
    task_id = None


class TaskTimeoutError(TaskFailedError):
    """The task ran past its deadline and its worker process was killed."""


class TaskCancelledError(TaskFailedError):
    """The task was cancelled (terminate(), or a cancel request) before it finished."""


class RemoteTraceback(Exception):
    """The remote traceback text, chained as the cause of a remote error (multiprocessing.pool's
    RemoteTraceback)."""

    def __init__(self, tb):
        super().__init__(tb)
        self.tb = tb

    def __str__(self):
        return self.tb


_MIXED = {}


def _builtin_exception(type_name):
    cls = getattr(builtins, type_name, None) if "." not in type_name else None
    if isinstance(cls, type) and issubclass(cls, Exception) and cls is not Exception:
        return cls
    return None


def remote_exception(reply):
    """The exception a failed reply stands for."""
    error = reply.get("error") or {}
    type_name = error.get("type") or "unknown"
    message = error.get("message") or ""
    stack = error.get("stack") or ""
    status = reply.get("status")
    base = None
    if status == "TIMEOUT":
        exc = TaskTimeoutError("task %s ran past its deadline and was killed: %s"
                               % (reply.get("id"), message))
    elif status == "CANCELLED":
        exc = TaskCancelledError("task %s was cancelled" % reply.get("id"))
    else:
        base = _builtin_exception(type_name)
        exc = None
        if base is not None:
            cls = _MIXED.get(base)
            if cls is None:
                try:
                    cls = type(base.__name__, (TaskFailedError, base), {"__module__": "kpool"})
                except TypeError:
                    cls = TaskFailedError
                _MIXED[base] = cls
            try:
                exc = cls(message)
            except Exception:  # a builtin that needs other constructor arguments
                exc = None
        if exc is None:
            exc = TaskFailedError("%s: %s" % (type_name, message) if message else type_name)
    exc.remote_type = type_name
    exc.remote_message = message
    exc.remote_traceback = stack
    exc.retryable = bool(error.get("retryable"))
    exc.task_id = reply.get("id")
    if stack:
        exc.__cause__ = RemoteTraceback(stack)
    return exc


def parse_reply(value):
    """A reply record's value as a dict with at least ``id`` and ``status``, or None if it is not
    one (a malformed record is dropped, as the Java client drops it)."""
    try:
        reply = json.loads(value)
    except (TypeError, ValueError):
        return None
    if not isinstance(reply, dict) or not isinstance(reply.get("id"), str):
        return None
    if reply.get("results") is None:
        reply["results"] = []
    return reply
