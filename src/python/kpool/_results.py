"""The handles calls return: AsyncResult (apply_async), MapResult (map_async, starmap_async) and
IMapIterator (imap, imap_unordered), with multiprocessing.pool's names and semantics.

Replies arrive on the reply listener thread as ``on_chunk(index, reply)``; the first reply of each
chunk counts. A handle completes on the pool's callback thread: its callback runs there first,
then ``get()`` returns, as in the stdlib.
"""

import collections
import logging
import threading
from multiprocessing import TimeoutError

from . import _wire

LOG = logging.getLogger("kpool")


class AsyncResult:
    """The handle of one apply_async: ``get(timeout)``, ``wait(timeout)``, ``ready()``,
    ``successful()``; ``task_id`` is the id to re-attach with."""

    def __init__(self, task_id, callbacks, callback=None, error_callback=None, on_done=None):
        self.task_id = task_id
        self._callbacks = callbacks
        self._callback = callback
        self._error_callback = error_callback
        self._on_done = on_done
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._claimed = False
        self._value = None
        self._error = None

    def ready(self):
        return self._event.is_set()

    def successful(self):
        """Whether the call returned without an error. Raises ValueError if it is not ready."""
        if not self.ready():
            raise ValueError("%r not ready" % self)
        return self._error is None

    def wait(self, timeout=None):
        self._event.wait(timeout)

    def get(self, timeout=None):
        """The result, or the remote error raised here. Raises multiprocessing.TimeoutError if it
        is not ready within ``timeout`` seconds (None waits as long as it takes)."""
        if not self._event.wait(timeout):
            raise TimeoutError("task %s: no result within %s s" % (self.task_id, timeout))
        if self._error is not None:
            raise self._error
        return self._value

    # -- completion (first one wins)

    def _finish(self, value=None, error=None):
        with self._lock:
            if self._claimed:
                return False
            self._claimed = True
        self._callbacks.run(lambda: self._complete(value, error))
        return True

    def _complete(self, value, error):
        self._value, self._error = value, error
        target = self._callback if error is None else self._error_callback
        try:
            if target is not None:
                target(value if error is None else error)
        except Exception:
            LOG.exception("callback of task %s raised", self.task_id)
        finally:
            self._event.set()
            if self._on_done is not None:
                self._on_done(self, error)

    def on_chunk(self, index, reply):
        if reply.get("status") != "OK":
            self._finish(error=_wire.remote_exception(reply))
        elif len(reply["results"]) != 1:
            self._finish(error=_wire.KpoolError("reply for task %s has %d results, not 1"
                                                % (reply.get("id"), len(reply["results"]))))
        else:
            self._finish(value=reply["results"][0])


class MapResult(AsyncResult):
    """The handle of a map_async or starmap_async: ``get()`` is the list of results in input
    order; the first failed item fails the whole call, as in the stdlib."""

    def __init__(self, map_id, chunks, callbacks, callback=None, error_callback=None,
                 on_done=None):
        super().__init__(map_id, callbacks, callback, error_callback, on_done)
        self._chunks = [None] * chunks
        self._left = chunks
        self._chunk_lock = threading.Lock()
        if chunks == 0:
            self._finish(value=[])

    def on_chunk(self, index, reply):
        if reply.get("status") != "OK":
            self._finish(error=_wire.remote_exception(reply))
            return
        with self._chunk_lock:
            if not 0 <= index < len(self._chunks) or self._chunks[index] is not None:
                return
            self._chunks[index] = reply["results"]
            self._left -= 1
            done = self._left == 0
        if done:
            self._finish(value=[r for chunk in self._chunks for r in chunk])


class IMapIterator:
    """The iterator of imap (input order) or imap_unordered (completion order). ``next(timeout)``
    raises multiprocessing.TimeoutError as the stdlib's does. A failed item raises after the
    items before it in its chunk; iteration can go on past it, as in the stdlib."""

    def __init__(self, call_id, ordered, on_done=None):
        self.task_id = call_id
        self._ordered = ordered
        self._on_done = on_done  # called once every chunk sent has its reply, or on _finish()
        self._done = False
        self._stopped = None  # the error _finish() ended the call with
        self._cond = threading.Condition()
        self._arrived = {}  # chunk index -> reply (ordered)
        self._queue = collections.deque()  # replies (unordered)
        self._next_chunk = 0
        self._pending = collections.deque()  # items (or an exception) ready to yield
        self._total = None  # chunk count, once the feeder has read the whole input
        self._taken = 0
        self._seen = set()
        self._end_error = None

    def __iter__(self):
        return self

    def _sent_all(self, chunks):
        with self._cond:
            self._total = chunks
            self._cond.notify_all()
            done = self._now_done()
        self._report_done(done, None)

    def on_chunk(self, index, reply):
        with self._cond:
            if index in self._seen:
                return
            self._seen.add(index)
            if self._ordered:
                self._arrived[index] = reply
            else:
                self._queue.append(reply)
            self._cond.notify_all()
            done = self._now_done()
        self._report_done(done, None)

    def _fail(self, chunks_sent, error):
        """The input stopped after ``chunks_sent`` chunks (it raised, or the pool closed):
        ``error`` is raised once their items are yielded."""
        with self._cond:
            self._total = chunks_sent
            self._end_error = error
            self._cond.notify_all()
            done = self._now_done()
        self._report_done(done, None)

    def _finish(self, value=None, error=None):
        """Ends the call now (terminate()): ``error`` is raised once the items that arrived are
        yielded. Returns whether this ended it."""
        with self._cond:
            if self._done:
                return False
            self._done = True
            self._stopped = error
            self._cond.notify_all()
        self._report_done(True, error)
        return True

    def _now_done(self):
        """Whether every chunk sent has its reply, for the first time; under the condition."""
        if self._done or self._total is None or len(self._seen) < self._total:
            return False
        self._done = True
        return True

    def _report_done(self, done, error):
        if done and self._on_done is not None:
            self._on_done(self, error)

    def _take(self):
        """The next chunk's reply, or None if none is ready; under the condition."""
        if self._ordered:
            reply = self._arrived.pop(self._next_chunk, None)
            if reply is not None:
                self._next_chunk += 1
            return reply
        return self._queue.popleft() if self._queue else None

    def next(self, timeout=None):
        with self._cond:
            while not self._pending:
                reply = self._take()
                if reply is not None:
                    self._taken += 1
                    self._unpack(reply)
                    continue
                if self._total is not None and self._taken >= self._total:
                    if self._end_error is not None:
                        error, self._end_error = self._end_error, None
                        raise error
                    raise StopIteration
                if self._stopped is not None:
                    raise self._stopped
                if not self._cond.wait(timeout):
                    raise TimeoutError("imap %s: no result within %s s" % (self.task_id, timeout))
            item = self._pending.popleft()
        if isinstance(item, _Raise):
            raise item.error
        return item

    __next__ = next

    def _unpack(self, reply):
        self._pending.extend(reply["results"])
        if reply.get("status") != "OK":
            self._pending.append(_Raise(_wire.remote_exception(reply)))


class _Raise:
    __slots__ = ("error",)

    def __init__(self, error):
        self.error = error
