"""kpool for Python: a ``multiprocessing.Pool`` whose tasks run on kpool's supervised worker
processes, through Kafka. ``kpool_worker`` (installed beside this package) is the worker SDK.

    from kpool import Pool
    with Pool("default", bootstrap_servers="127.0.0.1:9092") as pool:
        print(pool.map("square", range(10)))
"""

from multiprocessing import TimeoutError

from ._journal import DetachedTask
from ._results import AsyncResult, IMapIterator, MapResult
from ._wire import (KpoolError, PoolClosedError, RemoteTraceback, TaskCancelledError,
                    TaskFailedError, TaskTimeoutError)
from .pool import Pool

__version__ = "0.1.0"

__all__ = ["AsyncResult", "DetachedTask", "IMapIterator", "KpoolError", "MapResult", "Pool",
           "PoolClosedError", "RemoteTraceback", "TaskCancelledError", "TaskFailedError",
           "TaskTimeoutError", "TimeoutError"]
