"""The fault suite's ledger worker plus ``crash``, a poison task that kills its own worker.

Run with src/python and src/python/examples on PYTHONPATH.
"""

import os

import ledger_worker  # noqa: F401  registers ``ledger`` with the default worker
from kpool_worker import run, task


@task
def crash(code):
    os._exit(code or 3)  # no result frame, no clean exit: a crash, as a segfault would be


if __name__ == "__main__":
    run()
