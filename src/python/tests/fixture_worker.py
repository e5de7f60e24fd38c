"""The worker the unit tests drive over pipes: tasks that exercise each rule of the protocol."""

import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from kpool_worker import (  # noqa: E402
    NonRetryableTaskError, RetryableTaskError, Worker, current_task)

worker = Worker()
_state = {"loaded": None, "context": None}


class CustomError(Exception):
    pass


@worker.task
def square(x):
    return x * x


@worker.task
def echo(value):
    return value


@worker.task("fail-on-3")
def fail_on_3(x):
    if x == 3:
        raise ZeroDivisionError("three")
    return x


@worker.task
def refuse(how):
    if how == "retryable":
        raise RetryableTaskError("try again later")
    if how == "from":
        try:
            int("x")
        except ValueError as e:
            raise NonRetryableTaskError("not a number") from e
    if how == "plain":
        raise NonRetryableTaskError("no cause")
    raise NonRetryableTaskError(KeyError("missing"))


@worker.task
def custom(message):
    raise CustomError(message)


@worker.task("fan-out")
def fan_out(n):
    context = current_task()
    for i in range(n):
        if i == 0:
            context.submit("square", i)
        elif i == 1:
            context.submit("square", i, pool="other-pool", key="key-%d" % i)
        else:
            context.submit("square", i, key="host-a", id="http://host-a/p/%d" % i)
    return context.task_id


@worker.task("keep-context")
def keep_context(ignored):
    _state["context"] = current_task()
    return None


@worker.task("late-submit")
def late_submit(ignored):
    _state["context"].submit("square", 1)


@worker.task("submit-unserializable")
def submit_unserializable(ignored):
    current_task().submit("square", object())


@worker.task
def context(ignored):
    c = current_task()
    return {"id": c.task_id, "attempt": c.attempt, "deadline": c.deadline, "pool": c.pool,
            "worker": c.worker_name}


@worker.task("not-json")
def not_json(kind):
    return float("nan") if kind == "nan" else object()


@worker.bytes_task("echo-bytes")
def echo_bytes(data):
    return data


@worker.bytes_task("bytes-wrong")
def bytes_wrong(data):
    return "not bytes"


@worker.task
def big(n):
    return "x" * n


@worker.task
def noisy(text):
    print("printed by the task: " + text)
    sys.stdout.flush()
    os.write(1, b"written to fd 1: " + text.encode() + b"\n")
    subprocess.run(["echo", "child says: " + text], check=True)
    return text


@worker.task("read-stdin")
def read_stdin(ignored):
    return sys.stdin.read()


@worker.task("wait-for-file")
def wait_for_file(path):
    deadline = time.monotonic() + 30
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            raise TimeoutError(path)
        time.sleep(0.01)
    return "released"


@worker.task
def hang(ignored):
    threading.Event().wait()


@worker.task
def sleep(millis):
    time.sleep(millis / 1000.0)
    return millis


@worker.task("exit")
def exit_(code):
    sys.exit(code)


@worker.initializer
def load(arg):
    _state["loaded"] = arg


@worker.initializer("broken-init")
def broken_init(arg):
    raise RuntimeError("no model here")


@worker.task
def loaded(ignored):
    return _state["loaded"]


if __name__ == "__main__":
    raise SystemExit(worker.run())
