"""A worker whose one task, ``ledger``, witnesses its own side effect, for kpool's fault suite.

    kpool.pools.<pool>.command=python3,-u,src/python/examples/ledger_worker.py
    kpool.pools.<pool>.environment.KPOOL_LEDGER=/tmp/pool.ledger

``ledger(millis)`` naps, appends ``<task id> <attempt> <pid>`` to the file named by KPOOL_LEDGER
and returns ``millis``, so that a test can count how often each task ran to completion. A Python
worker starts in a fraction of the time a JVM takes, which matters to a test that kills one
every 200 ms.
"""

import os
import sys
import time

# In the repository kpool_worker.py sits one directory up; a deployed worker has it alongside.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from kpool_worker import current_task, run, task  # noqa: E402


@task
def ledger(millis):
    if millis:
        time.sleep(millis / 1000.0)
    path = os.environ.get("KPOOL_LEDGER")
    if path:
        context = current_task()
        line = "%s %d %d\n" % (context.task_id, context.attempt, os.getpid())
        # O_APPEND and one write per line: lines of concurrent workers never interleave.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)
    return millis


if __name__ == "__main__":
    run()
