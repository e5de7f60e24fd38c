"""A shared counter incremented by 10 tasks. multiprocessing guards it with a Manager's Lock;
kpool gives the tasks one key on a pool with key-concurrency=1, so that no two run at once,
wherever the workers are.

    kpool.pools.counter.key-concurrency=1

    python3 keyed_counter.py COUNTER_FILE            # on kpool (KPOOL_POOL=counter)
    python3 keyed_counter.py COUNTER_FILE --stdlib   # Manager + Lock on multiprocessing.Pool
"""

import sys

from pools import STDLIB, Pool
from tutorial_tasks import increment


def locked_increment(lock, path):
    with lock:
        return increment(path)


if __name__ == "__main__":
    path = sys.argv[1]
    with open(path, "w") as f:
        f.write("0")
    with Pool() as pool:
        if STDLIB:
            import multiprocessing

            with multiprocessing.Manager() as manager:
                lock = manager.Lock()
                pool.starmap(locked_increment, [(lock, path)] * 10)
        else:
            pool.map(increment, [path] * 10, key="counter")  # one key: one at a time
    with open(path) as f:
        print(f.read())
