#!/usr/bin/env python3
"""The multiprocessing.Pool baseline of kpool's benchmark (stdlib only), and the same code on
kpool's Python client.

Runs one workload once and prints one result line per measured run, in the format of the Java
harness (dev.kpool.bench.Result):
  system=mp-pool workload=... tasks=... seconds=... tasks_per_s=... p50_ms=... p99_ms=...
The harness (./kpool bench) calls it once per workload and repeat, with the same sizes as kpool.
With ``--kpool POOL --bootstrap-servers HOST:PORT`` the calls go to kpool.Pool instead (the
package in src/python, with confluent-kafka) on a pool whose workers register ``noop``, and the
lines say system=kpool-py; noop-apply-async, noop-map and round-trip only.
"""
import argparse
import multiprocessing
import sys
import threading
import time


def noop(x):
    return x + 1


def sleep_ms(ms):
    time.sleep(ms / 1000.0)
    return ms + 1


def cpu_ms(ms):
    end = time.perf_counter() + ms / 1000.0
    acc = 0
    while time.perf_counter() < end:
        for i in range(1000):
            acc = acc * 31 + i
    return ms + 1


def percentile(sorted_ms, p):
    rank = -(-p * len(sorted_ms) // 100)  # nearest rank, as Latencies.percentile
    return sorted_ms[max(0, min(len(sorted_ms) - 1, rank - 1))]


SYSTEM = ["mp-pool"]


def line(workload, tasks, seconds, latencies_ms=None):
    if latencies_ms:
        ms = sorted(latencies_ms)
        p50, p99 = "%.3f" % percentile(ms, 50), "%.3f" % percentile(ms, 99)
    else:
        p50 = p99 = "-"
    print("system=%s workload=%s tasks=%d seconds=%.4f tasks_per_s=%.1f p50_ms=%s p99_ms=%s"
          % (SYSTEM[0], workload, tasks, seconds, tasks / seconds, p50, p99), flush=True)


def apply_async(pool, fn, args, label):
    n = len(args)
    submitted = [0.0] * n
    completed = [0.0] * n
    done = threading.Event()
    remaining = [n]
    errors = []
    lock = threading.Lock()

    def finish(i):
        def callback(result):
            completed[i] = time.perf_counter()
            if result != args[i] + 1:
                errors.append("wrong result for %d: %r" % (i, result))
            with lock:
                remaining[0] -= 1
                if remaining[0] == 0:
                    done.set()
        return callback

    def error(e):
        errors.append(repr(e))
        done.set()

    t0 = time.perf_counter()
    for i in range(n):
        submitted[i] = time.perf_counter()
        pool.apply_async(fn, (args[i],), callback=finish(i), error_callback=error)
    done.wait()
    seconds = time.perf_counter() - t0
    if errors:
        sys.exit("%s failed: %s" % (label, errors[0]))
    line(label, n, seconds, [(c - s) * 1e3 for s, c in zip(submitted, completed)])


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workload", required=True)
    parser.add_argument("--tasks", type=int, required=True)
    parser.add_argument("--chunksize", type=int, default=1)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--millis", type=int, default=0)
    parser.add_argument("--label", help="workload= value (default: --workload)")
    parser.add_argument("--kpool", metavar="POOL", help="run on kpool.Pool on this pool")
    parser.add_argument("--bootstrap-servers", default="127.0.0.1:9092")
    a = parser.parse_args()
    label = a.label or a.workload
    w = a.workload
    if a.kpool:
        SYSTEM[0] = "kpool-py"
        run(lambda: kpool_pool(a), "noop", a, label)
        return

    if w == "pool-start":
        t0 = time.perf_counter()
        with multiprocessing.Pool(a.processes) as pool:
            assert pool.apply(noop, (41,)) == 42
            seconds = time.perf_counter() - t0
        line(label, 1, seconds, [seconds * 1e3])
        return

    per_child = 1 if w == "process-per-task-fresh" else None
    run(lambda: multiprocessing.Pool(a.processes, maxtasksperchild=per_child), noop, a, label)


def kpool_pool(a):
    import kpool

    return kpool.Pool(a.kpool, bootstrap_servers=a.bootstrap_servers)


def run(make_pool, noop, a, label):
    """The workloads on a pool from make_pool(), noop being the no-op task (function or name)."""
    w = a.workload
    with make_pool() as pool:
        pool.map(noop, range(a.processes * 10))  # every process started and warm
        if w == "noop-map":
            t0 = time.perf_counter()
            results = pool.map(noop, range(a.tasks), chunksize=a.chunksize)
            seconds = time.perf_counter() - t0
            if results != list(range(1, a.tasks + 1)):
                sys.exit("noop-map: wrong results")
            line(label, a.tasks, seconds)
        elif w == "round-trip":
            latencies = []
            t0 = time.perf_counter()
            for i in range(a.tasks):
                s = time.perf_counter()
                if pool.apply(noop, (i,)) != i + 1:
                    sys.exit("round-trip: wrong result")
                latencies.append((time.perf_counter() - s) * 1e3)
            line(label, a.tasks, time.perf_counter() - t0, latencies)
        elif w == "sleep-10ms":
            apply_async(pool, sleep_ms, [a.millis] * a.tasks, label)
        elif w == "cpu-20ms":
            apply_async(pool, cpu_ms, [a.millis] * a.tasks, label)
        elif w in ("noop-apply-async", "process-per-task-fresh", "process-per-task-warm"):
            apply_async(pool, noop, list(range(a.tasks)), label)
        else:
            sys.exit("unknown workload " + w)


if __name__ == "__main__":
    main()
