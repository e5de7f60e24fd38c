"""The pool the examples run on: kpool's, or multiprocessing's with ``--stdlib``.

kpool's pool is named by KPOOL_POOL (default ``tutorial``) on the Kafka at
KPOOL_BOOTSTRAP_SERVERS (default 127.0.0.1:9092).
"""

import multiprocessing
import os
import sys

STDLIB = "--stdlib" in sys.argv


def Pool():  # noqa: N802 - stands in for the class, as in the examples' stdlib twins
    if STDLIB:
        return multiprocessing.Pool(4)
    import kpool

    return kpool.Pool(os.environ.get("KPOOL_POOL", "tutorial"),
                      bootstrap_servers=os.environ.get("KPOOL_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
