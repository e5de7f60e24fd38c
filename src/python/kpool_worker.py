"""kpool worker SDK for Python: serve registered functions to a kpool supervisor.

One stdlib-only module for Python 3.8+; install it by copying this file next to your worker, or
with the ``kpool`` package (``pip install ./src/python``), whose client takes a function
registered here in place of its task name.
It speaks the kpool worker protocol v1 (docs/protocol.md) on the process's stdin and stdout::

    from kpool_worker import task, run

    @task
    def square(x):
        return x * x

    if __name__ == "__main__":
        run()

Arguments arrive as plain JSON values (dict, list, str, int, float, bool, None) and results are
written back as JSON; ``bytes_task`` functions take and return ``bytes``. A worker runs only the
functions registered here, looked up by name: nothing read from the wire is executed, imported or
unpickled.

Threads: tasks run one at a time on the main thread (like a ``multiprocessing.Pool`` child); a
reader thread watches stdin for the whole session so that end of stdin ends the process at once,
even mid-task; a heartbeat thread reports a running task as alive. A C extension that holds the GIL
for longer than the heartbeat interval delays heartbeats.

Failures: an exception raised by a task is sent back with its type name, message and traceback
text, and is retryable unless it is a ``NonRetryableTaskError``. An item of the wrong content type
fails as ``kpool.BadArgument``, an unregistered name as ``kpool.UnknownTask`` and a result over the
frame size limit as ``kpool.ResultTooLarge``; none of these is retryable and the worker keeps
serving.
"""

import base64
import inspect
import json
import os
import queue
import sys
import threading
import time
import traceback

__all__ = [
    "PROTOCOL_VERSION",
    "NonRetryableTaskError",
    "RetryableTaskError",
    "TaskContext",
    "TaskError",
    "Worker",
    "bytes_task",
    "current_task",
    "initializer",
    "run",
    "task",
]

PROTOCOL_VERSION = 1
LANGUAGE = "python"
DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024
MIN_FRAME_BYTES = 1024
JSON_CONTENT = "application/json"
BYTES_CONTENT = "application/octet-stream"

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_MALFORMED = 2
EXIT_VERSION_MISMATCH = 3

UNKNOWN_TASK = "kpool.UnknownTask"
BAD_ARGUMENT = "kpool.BadArgument"
RESULT_TOO_LARGE = "kpool.ResultTooLarge"


class TaskError(Exception):
    """Base of the two exceptions a task raises to state whether a retry may succeed.

    ``TaskError("message")`` reports this class's name; ``TaskError(cause)`` with an exception, or
    ``raise TaskError("message") from cause``, reports the cause's type name instead, so that the
    caller sees e.g. ``ValueError`` and not the wrapper.
    """

    def __init__(self, message_or_cause=None):
        if isinstance(message_or_cause, BaseException):
            super().__init__(str(message_or_cause))
            self.__cause__ = message_or_cause
        elif message_or_cause is None:
            super().__init__()
        else:
            super().__init__(message_or_cause)


class RetryableTaskError(TaskError):
    """Running the task again may succeed (a remote service timed out, say). Any ordinary
    exception is retryable too; this one makes the intent explicit."""


class NonRetryableTaskError(TaskError):
    """Running the task again cannot succeed (invalid input, say): the pool replies with the error
    at once instead of retrying."""


class TaskContext:
    """What a running task can learn about itself, and its way to submit follow-up tasks.

    Get it with ``current_task()`` while a task or initializer runs. It is valid until that task
    returns; ``submit`` may be called from any thread during that time.

    Attributes: ``task_id`` (for a chunk, the id of the whole chunk), ``attempt`` (1 on the first
    run), ``deadline`` (epoch seconds past which the supervisor kills the process, or None; the SDK
    does not interrupt the task), ``pool`` and ``worker_name`` (the supervisor's names).
    """

    def __init__(self, task_id, attempt, deadline_millis, pool, worker_name, writer):
        self.task_id = task_id
        self.attempt = attempt
        self.deadline = deadline_millis / 1000.0 if deadline_millis else None
        self.pool = pool
        self.worker_name = worker_name
        self._writer = writer

    def submit(self, task, args, pool=None, key=None, id=None):
        """Enqueues follow-up task ``task`` with JSON ``args``; the frame is written before this
        returns, so before the running task's result.

        ``pool`` None means this worker's pool; ``key`` (the routing key: tasks with one key go
        to one partition, and per-key limits count by it) None means the new task's own id.
        ``id`` is the follow-up's id within its tree: a second submission of one id in a tree
        is the same task and is not enqueued again (a crawl passes the URL); None means a
        fresh id.

        Raises TypeError or ValueError if ``args`` cannot be written as JSON, ValueError if the
        frame would exceed the frame size limit, RuntimeError if the task has already returned.
        """
        if not isinstance(task, str) or not task.strip():
            raise ValueError("a follow-up task needs a task name, got %r" % (task,))
        frame = {"type": "submit", "parent": self.task_id, "pool": pool, "task": task,
                 "args": args, "key": key, "id": id}
        self._writer.submit(self.task_id, _encode(frame))


_running_context = None


def current_task():
    """The TaskContext of the task (or initializer) running now.

    Raises RuntimeError outside a running task.
    """
    context = _running_context
    if context is None:
        raise RuntimeError("no kpool task is running")
    return context


class Worker:
    """The task names a worker process serves and the functions behind them.

    Register with the decorators, then call ``run()`` once from the main thread. Registration is
    not thread-safe; do it at import time. The module-level ``task``, ``bytes_task``,
    ``initializer`` and ``run`` use a default Worker.
    """

    def __init__(self):
        self._tasks = {}
        self._initializers = {}
        self._ran = False

    def task(self, fn_or_name=None, name=None):
        """Registers a JSON task: ``@task``, ``@task("name")`` or ``@task(name="name")``.

        The function takes one argument, the item's JSON value, and returns a JSON-serializable
        value; a function that needs two or more positional arguments gets a JSON array item
        spread over them, as ``starmap`` does. The function is marked with its task name
        (``fn.__kpool_task__``), so that kpool's Python client takes it in place of the name.
        Raises ValueError if the name is blank or already registered.
        """
        return self._register(self._tasks, "json", fn_or_name, name)

    def bytes_task(self, fn_or_name=None, name=None):
        """Registers a task on raw bytes: it takes ``bytes`` (None for a null item) and returns
        bytes-like or None. Items travel as base64 text; the result is sent back as base64."""
        return self._register(self._tasks, "bytes", fn_or_name, name)

    def initializer(self, fn_or_name=None, name=None):
        """Registers an initializer, run by ``init`` frames that name it (Pool's ``initializer``):
        it takes the frame's JSON ``args``; its return value is ignored. Initializer names are not
        listed among the task names."""
        return self._register(self._initializers, "init", fn_or_name, name)

    @property
    def task_names(self):
        """The registered task names, in registration order."""
        return list(self._tasks)

    def run(self):
        """Serves the protocol on this process's stdin and stdout until the session ends.

        Call it once, before anything is printed to stdout: from then on file descriptor 1 carries
        only frames, ``sys.stdout`` (and fd 1 of anything the task starts) writes to stderr and
        stdin reads nothing.

        Returns 0 after a ``shutdown`` frame, once every task received before it has sent its
        result. Every other end exits the process at once with ``os._exit``: 0 at end of stdin
        (the supervisor is gone; a running task is abandoned), 1 if stdout failed or a task raised
        SystemExit, KeyboardInterrupt or MemoryError (reported in its result first), 2 after a
        malformed frame, 3 if the supervisor speaks another protocol version.

        Raises RuntimeError if no task is registered or run() was already called.
        """
        if not self._tasks:
            raise RuntimeError("a worker needs at least one task")
        if self._ran:
            raise RuntimeError("run() was already called; stdin and stdout are taken")
        self._ran = True
        frames_in, frames_out = _take_stdio()
        return _Session(dict(self._tasks), dict(self._initializers), frames_in, frames_out).run()

    def _register(self, table, kind, fn_or_name, name):
        if callable(fn_or_name):
            self._add(table, kind, name or fn_or_name.__name__, fn_or_name)
            return fn_or_name
        if fn_or_name is not None and name is not None:
            raise TypeError("give the name once")
        explicit = fn_or_name if name is None else name

        def decorate(fn):
            self._add(table, kind, explicit or fn.__name__, fn)
            return fn

        return decorate

    def _add(self, table, kind, name, fn):
        if not isinstance(name, str) or not name.strip():
            raise ValueError("a task name must be a non-blank string, got %r" % (name,))
        if name in self._tasks or name in self._initializers:
            raise ValueError("'%s' is already registered" % name)
        table[name] = _Handler(name, fn, kind)
        # The name a client passes for this function: kpool's Python client accepts the function
        # itself wherever it takes a task name.
        try:
            fn.__kpool_task__ = name
        except (AttributeError, TypeError):
            pass  # a builtin or a bound method: the client then needs the name


_default_worker = Worker()
task = _default_worker.task
bytes_task = _default_worker.bytes_task
initializer = _default_worker.initializer


def run():
    """Serves the functions registered with the module-level decorators, then exits the process
    (see ``Worker.run`` for the exit codes). The usual last line of a worker script."""
    sys.exit(_default_worker.run())


# ---- implementation ----------------------------------------------------------------------------

_log_stream = sys.stderr


def _log(level, message):
    try:
        _log_stream.write("[kpool-worker] %s %s\n" % (level, message))
        _log_stream.flush()
    except (OSError, ValueError):
        pass  # a log that cannot be written must not take the worker down


def _exit(code):
    """Ends the process now, whatever other threads do: os._exit skips joins and atexit."""
    try:
        _log_stream.flush()
    except (OSError, ValueError):
        pass
    os._exit(code)


def _encode(value):
    # allow_nan=False: NaN and Infinity are not JSON and the supervisor's parser refuses them.
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (from a \ud800 escape on the wire) has no UTF-8 form; escape it.
        return json.dumps(value, allow_nan=False, separators=(",", ":")).encode("ascii")


def _take_stdio():
    """Takes fds 0 and 1 for frames; points fd 1 and sys.stdout at stderr, fd 0 at /dev/null.

    Working on file descriptors, not only on sys.stdout, keeps the frame stream clean also from
    C extensions and child processes that write to fd 1. The frame fds are used unbuffered, with
    os.read and os.write: a buffered file's lock held by the daemon reader thread could stall the
    interpreter's exit.
    """
    global _log_stream
    _log_stream = sys.stderr
    sys.stdout.flush()
    frames_in = os.dup(0)
    frames_out = os.dup(1)
    os.dup2(2, 1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.stdout = sys.stderr
    sys.stdin = open(os.devnull, "r")
    return frames_in, frames_out


class _Malformed(Exception):
    """The supervisor's stream broke the framing: the worker exits 2."""


class _BadArgument(Exception):
    """An item of the wrong content type or encoding: kpool.BadArgument, never retryable."""


class _Handler:
    """One registered name: turns a wire item into the argument, runs the function and returns
    the result as encoded JSON bytes."""

    def __init__(self, name, fn, kind):
        self.name = name
        self.fn = fn
        self.kind = kind
        self.spread = kind == "json" and _required_positionals(fn) > 1

    def call(self, item, content_type):
        if content_type is None:
            content_type = JSON_CONTENT
        if content_type not in (JSON_CONTENT, BYTES_CONTENT):
            raise _BadArgument("task '%s': unknown content type: %s" % (self.name, content_type))
        if self.kind == "bytes":
            return self._bytes_result(self.fn(self._decode(item)))
        if content_type == BYTES_CONTENT:
            raise _BadArgument("task '%s' takes JSON arguments, not %s"
                               % (self.name, BYTES_CONTENT))
        if self.spread and isinstance(item, list):
            result = self.fn(*item)
        else:
            result = self.fn(item)
        if self.kind == "init":
            return b"null"
        try:
            return _encode(result)
        except (TypeError, ValueError) as e:
            raise NonRetryableTaskError("task '%s' returned a value that cannot be written as "
                                        "JSON: %s" % (self.name, e)) from e

    def _decode(self, item):
        if item is None:
            return None
        if not isinstance(item, str):
            raise _BadArgument("task '%s' takes bytes as base64 text, got a JSON %s"
                               % (self.name, _json_kind(item)))
        try:
            return base64.b64decode(item, validate=True)
        except ValueError as e:  # binascii.Error is a ValueError
            raise _BadArgument("task '%s' takes bytes, but the item is not base64 text: %s"
                               % (self.name, e))

    def _bytes_result(self, result):
        if result is None:
            return b"null"
        if not isinstance(result, (bytes, bytearray, memoryview)):
            raise NonRetryableTaskError(TypeError("bytes task '%s' returned %s, not bytes"
                                                  % (self.name, type(result).__name__)))
        return _encode(base64.b64encode(bytes(result)).decode("ascii"))


def _required_positionals(fn):
    """How many positional parameters fn needs; a function that needs several cannot take one
    item, so its item (a starmap's JSON array) is spread over them."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return 1
    return sum(1 for p in parameters
               if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty)


def _json_kind(value):
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {dict: "object", list: "array"}.get(type(value), type(value).__name__)


def _type_name(cls):
    """The name Python's traceback shows: builtins and __main__ bare, others module-qualified."""
    module = getattr(cls, "__module__", None)
    if module in (None, "builtins", "__main__"):
        return cls.__qualname__
    return "%s.%s" % (module, cls.__qualname__)


def _kpool_error(kind, message, index=0):
    return {"type": kind, "message": message, "stack": "", "retryable": False, "index": index}


def _remote_error(exc, index):
    """The wire error for a failed item. The TaskError wrappers set retryability and report their
    cause's type; every other exception is retryable and reports its own."""
    if isinstance(exc, _BadArgument):
        return _kpool_error(BAD_ARGUMENT, str(exc), index)
    typed = exc
    if isinstance(exc, TaskError) and exc.__cause__ is not None:
        typed = exc.__cause__
    try:
        stack = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    except Exception:  # a broken __str__ must not lose the result
        stack = ""
    try:
        message = str(exc)
    except Exception:
        message = ""
    return {"type": _type_name(type(typed)), "message": message, "stack": stack,
            "retryable": not isinstance(exc, NonRetryableTaskError), "index": index}


def _is_fatal(exc):
    # The Python counterparts of Java's VirtualMachineError: the process should not go on.
    return isinstance(exc, (SystemExit, KeyboardInterrupt, MemoryError))


class _FrameWriter:
    """The one writer of the frame stream. Results, heartbeats and submits come from different
    threads; one lock keeps frames whole and tracks the running task, so that no heartbeat or
    submit for a task is written after its result."""

    def __init__(self, out):
        self._out = out
        self._lock = threading.Lock()
        self._limit = DEFAULT_MAX_FRAME_BYTES
        self._running = None

    def hello(self, limit, frame):
        with self._lock:
            self._limit = limit
            self._write(_encode(frame))

    def begin(self, task_id):
        with self._lock:
            self._running = task_id

    def heartbeat(self, task_id):
        with self._lock:
            if task_id is not None and task_id == self._running:
                self._write(_encode({"type": "heartbeat", "id": task_id}))

    def submit(self, parent, body):
        with self._lock:
            if parent != self._running:
                raise RuntimeError("task %s is no longer running; submit from inside the task"
                                   % parent)
            if len(body) > self._limit:
                raise ValueError("follow-up frame of %d bytes is over the maximum of %d"
                                 % (len(body), self._limit))
            self._write(body)

    def result(self, task_id, fragments, error):
        with self._lock:
            self._running = None
            body = _result_body(task_id, fragments, error)
            if len(body) > self._limit:
                body = self._truncated(task_id, fragments, error)
            self._write(body)

    def _truncated(self, task_id, fragments, error):
        """The longest prefix of results that fits, with kpool.ResultTooLarge at the first item
        left out (or at the failed item, when only its error is too large)."""
        prefix = [0]
        for fragment in fragments:
            prefix.append(prefix[-1] + len(fragment))
        for k in range(len(fragments), -1, -1):
            if k < len(fragments):
                what = "the result of item %d is %d bytes" % (k, len(fragments[k]))
            elif error is None:
                what = "the results are too large"
            else:
                what = "the error of item %d (%s) is too large" % (k, error["type"])
            too_large = _kpool_error(RESULT_TOO_LARGE, "%s; the frame would exceed the maximum "
                                     "of %d bytes" % (what, self._limit), k)
            envelope = len(_result_body(task_id, [], too_large))
            if envelope + prefix[k] + max(k - 1, 0) <= self._limit:
                _log("WARN", "task %s: %s" % (task_id, too_large["message"]))
                return _result_body(task_id, fragments[:k], too_large)
        raise AssertionError("an empty result always fits in %d bytes" % self._limit)

    def _write(self, body):
        data = memoryview(len(body).to_bytes(4, "big") + body)
        try:
            while data:
                data = data[os.write(self._out, data):]
        except OSError as e:
            _log("ERROR", "stdout failed (%s); exiting" % e)
            _exit(EXIT_FAILED)


def _result_body(task_id, fragments, error):
    return (b'{"type":"result","id":' + _encode(task_id) + b',"results":['
            + b",".join(fragments) + b'],"error":' + _encode(error) + b"}")


class _Heartbeats:
    """One daemon thread that sends a heartbeat for the running task every period."""

    def __init__(self, writer, period):
        self._writer = writer
        self._period = period
        self._cond = threading.Condition()
        self._task_id = None
        self._generation = 0
        if period > 0:
            threading.Thread(target=self._loop, name="kpool-heartbeat", daemon=True).start()

    def start(self, task_id):
        self._set(task_id)

    def stop(self):
        self._set(None)

    def _set(self, task_id):
        with self._cond:
            self._task_id = task_id
            self._generation += 1
            self._cond.notify()

    def _loop(self):
        while True:
            with self._cond:
                while self._task_id is None:
                    self._cond.wait()
                generation, task_id = self._generation, self._task_id
                due = time.monotonic() + self._period
                while generation == self._generation:
                    left = due - time.monotonic()
                    if left <= 0:
                        break
                    self._cond.wait(left)
                if generation != self._generation:
                    continue
            # Outside the condition: a blocked stdout must not block the task thread's stop().
            self._writer.heartbeat(task_id)


_SHUTDOWN = object()


class _Session:
    """One protocol session: the handshake and task loop on the calling thread, the frame
    reader on a daemon thread."""

    def __init__(self, tasks, initializers, frames_in, frames_out):
        self._tasks = tasks
        self._initializers = initializers
        self._in = frames_in
        self._out = _FrameWriter(frames_out)
        self._work = queue.Queue()
        self._shutting_down = False
        self._hello = None
        self._beats = None

    def run(self):
        try:
            self._hello = self._handshake()
        except _Malformed as e:
            _log("ERROR", "malformed frame on stdin, exiting: %s" % e)
            _exit(EXIT_MALFORMED)
        hb_millis = self._hello["heartbeatMillis"]
        # Half the interval, so scheduling jitter cannot stretch a gap past the promised interval.
        period = max(1, hb_millis // 2) / 1000.0 if hb_millis > 0 else 0
        self._beats = _Heartbeats(self._out, period)
        threading.Thread(target=self._read_loop, name="kpool-stdin", daemon=True).start()
        while True:
            frame = self._work.get()
            if frame is _SHUTDOWN:
                _log("INFO", "shutdown: every task received was answered; exiting")
                return EXIT_OK
            if frame["type"] == "init":
                self._init(frame)
            else:
                self._task(frame)

    # -- reading ---------------------------------------------------------------------------------

    def _handshake(self):
        first = self._read_frame(DEFAULT_MAX_FRAME_BYTES)
        if first is None:
            self._end_of_input()
        if first["type"] != "hello":
            raise _Malformed("expected a hello frame first, got %s" % first["type"])
        version = _int_field(first, "version")
        if version != PROTOCOL_VERSION:
            _log("ERROR", "the supervisor speaks protocol version %d, this worker speaks %d; "
                 "exiting" % (version, PROTOCOL_VERSION))
            _exit(EXIT_VERSION_MISMATCH)
        hello = {"pool": _text_field(first, "pool"), "worker": _text_field(first, "worker"),
                 "maxFrameBytes": _int_field(first, "maxFrameBytes"),
                 "heartbeatMillis": _int_field(first, "heartbeatMillis")}
        if hello["maxFrameBytes"] < MIN_FRAME_BYTES:
            raise _Malformed("hello: maxFrameBytes must be at least %d: %d"
                             % (MIN_FRAME_BYTES, hello["maxFrameBytes"]))
        names = list(self._tasks)
        self._out.hello(hello["maxFrameBytes"], {"type": "hello", "version": PROTOCOL_VERSION,
                                                  "pid": os.getpid(), "language": LANGUAGE,
                                                  "tasks": names})
        _log("INFO", "serving pool %s as worker %s (pid %d), tasks [%s]"
             % (hello["pool"], hello["worker"], os.getpid(), ", ".join(names)))
        return hello

    def _read_loop(self):
        try:
            while True:
                frame = self._read_frame(self._hello["maxFrameBytes"])
                if frame is None:
                    self._end_of_input()
                self._dispatch(frame)
        except _Malformed as e:
            _log("ERROR", "malformed frame on stdin, exiting: %s" % e)
            _exit(EXIT_MALFORMED)
        except OSError as e:
            _log("ERROR", "stdin failed (%s), taking it as end of input" % e)
            self._end_of_input()
        except BaseException as e:
            _log("ERROR", "worker failed, exiting: %r" % e)
            _exit(EXIT_FAILED)

    def _dispatch(self, frame):
        kind = frame["type"]
        if kind == "hello":
            raise _Malformed("a second hello frame")
        if self._shutting_down:
            _log("WARN", "ignoring a %s frame received after shutdown" % kind)
        elif kind == "init":
            self._work.put({"type": "init", "id": _text_field(frame, "id"),
                            "task": _text_field(frame, "task"), "args": frame.get("args")})
        elif kind == "task":
            items = frame.get("items")
            if items is None:
                items = []
            if not isinstance(items, list):
                raise _Malformed("task %s: items is not an array" % frame.get("id"))
            self._work.put({"type": "task", "id": _text_field(frame, "id"),
                            "task": _text_field(frame, "task"), "items": items,
                            "contentType": _text_field(frame, "contentType"),
                            "attempt": _int_field(frame, "attempt"),
                            "deadline": _int_field(frame, "deadline")})
        else:  # shutdown; _read_frame refuses unknown types
            self._shutting_down = True
            _log("INFO", "shutdown requested; exiting after the current task")
            # The queue is FIFO: the marker is taken once every frame before it is answered.
            self._work.put(_SHUTDOWN)

    def _read_frame(self, limit):
        """The next frame as a dict, or None at a clean end of stream (between frames)."""
        header = self._read_exactly(4)
        if not header:
            return None
        if len(header) < 4:
            raise _Malformed("stream ended inside a frame")
        length = int.from_bytes(header, "big")
        if length > limit:
            raise _Malformed("frame length %d is over the maximum of %d (is something other than "
                             "the protocol writing to stdin?)" % (length, limit))
        body = self._read_exactly(length)
        if len(body) < length:
            raise _Malformed("stream ended inside a frame")
        try:
            frame = json.loads(body.decode("utf-8"))
        except ValueError as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise _Malformed("not valid JSON: %s" % e)
        if not isinstance(frame, dict) or frame.get("type") not in (
                "hello", "init", "task", "shutdown"):
            kind = frame.get("type") if isinstance(frame, dict) else None
            raise _Malformed("not a frame of a known type: %r" % (kind,))
        return frame

    def _read_exactly(self, n):
        """n bytes, or fewer only if the stream ends first."""
        data = bytearray()
        while len(data) < n:
            chunk = os.read(self._in, min(n - len(data), 1 << 20))
            if not chunk:
                break
            data += chunk
        return bytes(data)

    def _end_of_input(self):
        _log("INFO", "stdin closed; exiting now")
        _exit(EXIT_OK)

    # -- running ---------------------------------------------------------------------------------

    def _init(self, frame):
        handler = self._initializers.get(frame["task"])
        if handler is None:
            self._unknown(frame["id"], "initializer", frame["task"], self._initializers)
            return
        self._run(handler, self._context(frame["id"], 1, 0), [frame["args"]], JSON_CONTENT, False)

    def _task(self, frame):
        handler = self._tasks.get(frame["task"])
        if handler is None:
            self._unknown(frame["id"], "task", frame["task"], self._tasks)
            return
        context = self._context(frame["id"], frame["attempt"], frame["deadline"])
        self._run(handler, context, frame["items"], frame["contentType"], True)

    def _run(self, handler, context, items, content_type, keep_results):
        """Runs the items in order and stops at the first failure; an init keeps no results."""
        global _running_context
        task_id = context.task_id
        fragments = []
        error = None
        fatal = None
        self._out.begin(task_id)
        self._beats.start(task_id)
        _running_context = context
        try:
            for index, item in enumerate(items):
                try:
                    fragment = handler.call(item, content_type)
                except BaseException as exc:
                    error = _remote_error(exc, index)
                    _log("WARN", "task %s (%s) item %d failed: %s: %s"
                         % (task_id, handler.name, index, error["type"], error["message"]))
                    if _is_fatal(exc):
                        fatal = exc
                    break
                if keep_results:
                    fragments.append(fragment)
        finally:
            _running_context = None
            self._beats.stop()
        self._out.result(task_id, fragments, error)
        if fatal is not None:
            _log("ERROR", "exiting after %r; the supervisor replaces this process" % fatal)
            _exit(EXIT_FAILED)

    def _context(self, task_id, attempt, deadline):
        return TaskContext(task_id, attempt, deadline, self._hello["pool"],
                           self._hello["worker"], self._out)

    def _unknown(self, task_id, kind, name, registered):
        _log("WARN", "%s: no %s named '%s' is registered" % (task_id, kind, name))
        message = ("no %s named '%s' is registered in this worker; it has [%s]"
                   % (kind, name, ", ".join(registered)))
        self._out.result(task_id, [], _kpool_error(UNKNOWN_TASK, message))


def _text_field(frame, name):
    """A string field; null or missing reads as None. Numbers are taken as their text, as the
    Java reader does."""
    value = frame.get(name)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise _Malformed("%s: %s is not a string" % (frame["type"], name))


def _int_field(frame, name):
    """An integer field; null or missing reads as 0."""
    value = frame.get(name)
    if value is None:
        return 0
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise _Malformed("%s: %s is not an integer" % (frame["type"], name))
