"""The tasks of the Python client examples, and the worker that serves them.

A worker process runs this file: ``kpool.pools.tutorial.command=python3,-u,tutorial_tasks.py``.
A client imports it for the functions, which kpool sends by their registered names (and which
multiprocessing.Pool, in the examples' ``--stdlib`` runs, calls in its own processes).
"""

import os
import sys
import time

# In the repository kpool_worker.py sits one directory up; installed, it is on the path already.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from kpool_worker import run, task  # noqa: E402


@task
def square(x):
    return x * x


@task
def children(n, limit):
    """The follow-ups of node n in a binary tree of nodes 1..limit."""
    return [c for c in (2 * n, 2 * n + 1) if c <= limit]


@task
def increment(path):
    """Adds one to the number in file ``path``: a read-modify-write that loses updates unless no
    two run at once."""
    with open(path) as f:
        value = int(f.read() or 0)
    time.sleep(0.05)  # widens the window a concurrent increment would fall into
    with open(path, "w") as f:
        f.write(str(value + 1))
    return value + 1


if __name__ == "__main__":
    run()
