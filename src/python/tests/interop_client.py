"""Run by the interop IT: the Python client drives a pool of Java workers (ExampleWorker) and
prints what it got as one JSON object."""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

import kpool  # noqa: E402

if __name__ == "__main__":
    with kpool.Pool(os.environ["KPOOL_POOL"],
                    bootstrap_servers=os.environ["KPOOL_BOOTSTRAP_SERVERS"]) as pool:
        out = {
            "map": pool.map("square", range(10), chunksize=3),
            "imap": list(pool.imap("square", range(5))),
            "add": pool.apply("add", (2, 3)),
            "starmap": pool.starmap("add", [(1, 2), (3, 4)]),
            "mirror": pool.apply("mirror", ({"x": 1, "y": 2},)),
        }
        try:
            pool.apply("fail", ("bad input",))
        except kpool.TaskFailedError as e:
            out["error"] = {"type": e.remote_type, "message": e.remote_message,
                            "stack": e.remote_traceback}
    print(json.dumps(out))
