"""The conformance task set of docs/protocol.md ("Conformance"), served by the Python SDK.

Run the kit against it:
    java -cp ... dev.kpool.conformance.ConformanceKit -- python3 conformance_worker.py
"""

import time

from kpool_worker import NonRetryableTaskError, Worker, current_task

worker = Worker()
_initialized = {"arg": None}


@worker.task
def echo(arg):
    return arg


@worker.task
def fail(arg):
    if isinstance(arg, str):
        raise ValueError(arg)
    return arg


@worker.task("fail-nonretryable")
def fail_nonretryable(arg):
    raise NonRetryableTaskError(ValueError(arg))


@worker.task
def sleep(millis):
    time.sleep(millis / 1000.0)
    return millis


@worker.task("print")
def print_(arg):
    print(arg)
    return arg


@worker.bytes_task("echo-bytes")
def echo_bytes(data):
    return data


@worker.task
def submit(arg):
    current_task().submit("echo", arg)
    return arg


@worker.task
def big(n):
    return "x" * n


@worker.task("init-arg")
def init_arg(ignored):
    return _initialized["arg"]


@worker.initializer
def init(arg):
    if isinstance(arg, str):
        raise ValueError(arg)
    _initialized["arg"] = arg


if __name__ == "__main__":
    raise SystemExit(worker.run())
