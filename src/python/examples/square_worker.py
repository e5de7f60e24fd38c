"""The square of Python's multiprocessing documentation, served by a kpool pool.

    kpool.pools.squares.command=python3,-u,src/python/examples/square_worker.py

Also registers add, sleep, fail and pid, like the Java ExampleWorker.
"""

import os
import sys
import time

# In the repository kpool_worker.py sits one directory up; a deployed worker has it alongside.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from kpool_worker import NonRetryableTaskError, run, task  # noqa: E402


@task
def square(x):
    return x * x


@task
def add(pair):
    a, b = pair
    return a + b


@task
def sleep(millis):
    time.sleep(millis / 1000.0)
    return millis


@task
def fail(message):
    raise NonRetryableTaskError(ValueError(message))


@task
def pid(ignored):
    return os.getpid()


if __name__ == "__main__":
    run()
