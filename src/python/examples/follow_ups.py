"""A producer that enqueues follow-ups: each result's callback submits the next tasks, until a
whole tree of nodes is visited (a crawler's shape). Callbacks run one at a time, so the visited
list needs no lock."""

import threading

from pools import Pool
from tutorial_tasks import children

LIMIT = 200

if __name__ == "__main__":
    visited = []
    pending = [0]
    done = threading.Event()

    with Pool() as pool:
        def submit(n):
            pending[0] += 1
            pool.apply_async(children, (n, LIMIT), callback=lambda kids: visit(n, kids))

        def visit(n, kids):
            visited.append(n)
            for kid in kids:
                submit(kid)
            pending[0] -= 1
            if pending[0] == 0:
                done.set()

        submit(1)
        done.wait(120)
    print(len(visited), sorted(visited) == list(range(1, LIMIT + 1)))
