"""Run twice by the durable-client IT with one client id: ``submit`` sends an apply and a map and
exits without waiting; ``attach`` lists what the first run left and re-attaches to it."""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir))
sys.path.insert(0, os.path.join(HERE, os.pardir, "examples"))

import kpool  # noqa: E402
from tutorial_tasks import square  # noqa: E402

if __name__ == "__main__":
    step, client_id = sys.argv[1], sys.argv[2]
    pool = kpool.Pool(os.environ["KPOOL_POOL"], client_id=client_id,
                      bootstrap_servers=os.environ["KPOOL_BOOTSTRAP_SERVERS"])
    if step == "submit":
        one = pool.apply_async(square, (9,))
        many = pool.map_async(square, range(10), chunksize=4)
        pool.terminate()  # durable: the calls stay journaled for the next run
        print(json.dumps({"apply": one.task_id, "map": many.task_id}))
    else:
        detached = {d.id: d.kind for d in pool.detached_tasks()}
        results = {call_id: pool.attach(call_id).get(120) for call_id in detached}
        pool.close()
        pool.join(30)
        again = kpool.Pool(os.environ["KPOOL_POOL"], client_id=client_id,
                           bootstrap_servers=os.environ["KPOOL_BOOTSTRAP_SERVERS"])
        left = [d.id for d in again.detached_tasks()]
        again.terminate()
        print(json.dumps({"detached": detached, "results": results, "left": left}))
