"""kpool.Pool: multiprocessing.Pool's API over Kafka, speaking the Java client's record protocol."""

import itertools
import logging
import queue
import threading
import time
import uuid

from . import _journal, _wire
from ._results import AsyncResult, IMapIterator, MapResult

LOG = logging.getLogger("kpool")

RUN, CLOSE, TERMINATE = "RUN", "CLOSE", "TERMINATE"


class Pool:
    """A handle on a kpool pool of worker processes run by supervisors, used as a
    ``multiprocessing.Pool``: ``apply``, ``apply_async``, ``map``, ``map_async``, ``imap``,
    ``imap_unordered``, ``starmap``, ``starmap_async``, ``close``, ``join``, ``terminate``, and a
    context manager whose exit calls ``terminate()``.

    A task is named by its registered name or by the function ``kpool_worker.task`` registered
    (not pickled: the worker runs its own registered function). Arguments and results travel as
    JSON: a tuple arrives as a list. ``args`` of one element passes that element; more elements
    pass a JSON array, which a worker function of as many parameters receives spread.

    ``client_id`` makes the handle durable: its calls are journaled on its reply topic, and a later
    ``Pool`` with the same id lists them in ``detached_tasks()`` and re-attaches with ``attach``;
    one process may use a client id at a time. Without it the id is random and the reply topic is
    deleted when the pool is released.

    Threads: every method may be called from any thread. Callbacks run one at a time on the pool's
    callback thread (``kpool-callbacks``), never on a Kafka thread; a callback that blocks delays
    the others, as in the stdlib. Raises ValueError on a bad pool name or client id, and the Kafka
    client's exception if the broker cannot be reached within 30 s.
    """

    def __init__(self, pool="default", bootstrap_servers="127.0.0.1:9092", client_id=None,
                 task_timeout=None, kafka_config=None, max_in_flight_chunks=1000,
                 transport=None):
        self._pool = _wire.check_name("pool", pool)
        self._durable = client_id is not None
        self._client_id = _wire.check_name("client id", client_id or "py-" + uuid.uuid4().hex)
        self._task_topic = _wire.tasks_topic(pool)
        self._reply_topic = _wire.replies_topic(self._client_id)
        self._task_timeout = task_timeout
        self._imap_window = max(1, max_in_flight_chunks)
        if transport is None:
            from ._kafka import KafkaTransport
            transport = KafkaTransport(bootstrap_servers, self._client_id, self._durable,
                                       kafka_config)
        self._kafka = transport
        self._state = RUN
        self._lock = threading.Condition()
        self._handlers = {}  # task id -> on_chunk(index, reply)
        self._open_calls = {}  # call id -> (handle, task ids)
        self._callbacks = _CallbackThread()
        self._journal = _journal.Journal(self._write_settled) if self._durable else None
        self._running = True
        self._failure = None  # why the reply listener stopped for good, if it did
        self._committed = -1
        self._last_commit = 0.0
        try:
            self._kafka.ensure_topic(self._reply_topic)
            self._position = self._catch_up()
        except BaseException:
            self._callbacks.stop()
            self._kafka.close(0)
            raise
        self._threads = [threading.Thread(target=self._listen, daemon=True,
                                          name="kpool-replies-" + self._client_id),
                         threading.Thread(target=self._deliveries, daemon=True,
                                          name="kpool-deliveries-" + self._client_id)]
        for thread in self._threads:
            thread.start()
        LOG.info("pool %s client %s ready, replies on %s%s", pool, self._client_id,
                 self._reply_topic, " (durable)" if self._durable else "")

    # ---- the stdlib's calls

    def apply(self, func, args=(), kwds=None, key=None):
        """Runs ``func(*args)`` on the pool and returns its result; raises its error."""
        result = self.apply_async(func, args, kwds, key=key)
        self._kafka.flush(0)
        return result.get()

    def apply_async(self, func, args=(), kwds=None, callback=None, error_callback=None,
                    key=None):
        """Submits ``func(*args)``; returns an AsyncResult. ``callback(result)`` or
        ``error_callback(exception)`` runs once on the callback thread. ``key`` is the task
        record's key (a keyed pool runs tasks of one key under its per-key limits); None keys by
        task id."""
        name = _task_name(func)
        value = _wire.encode(_argument(args, kwds))
        with self._lock:
            self._check_running()
            task_id = str(uuid.uuid4())
            result = AsyncResult(task_id, self._callbacks, callback, error_callback,
                                 self._settle)
            self._open_calls[task_id] = (result, [task_id])
            self._journal_call(_journal.entry(task_id, name, "APPLY", 1, 1, 1, _now_millis()))
            self._send(name, task_id, value, 0, key, result.on_chunk)
        return result

    def map(self, func, iterable, chunksize=None, key=None):
        """``[func(x) for x in iterable]`` on the pool, in input order."""
        return self.map_async(func, iterable, chunksize, key=key).get()

    def map_async(self, func, iterable, chunksize=None, callback=None, error_callback=None,
                  key=None):
        """Submits ``func`` over ``iterable`` in records of ``chunksize`` items (default 1);
        returns a MapResult of the list. The first failed item fails the call."""
        return self._map(func, list(iterable), chunksize, callback, error_callback, key)

    def starmap(self, func, iterable, chunksize=None, key=None):
        """``[func(*args) for args in iterable]`` on the pool."""
        return self.starmap_async(func, iterable, chunksize, key=key).get()

    def starmap_async(self, func, iterable, chunksize=None, callback=None, error_callback=None,
                      key=None):
        return self._map(func, [_argument(tuple(a), None) for a in iterable], chunksize,
                         callback, error_callback, key)

    def imap(self, func, iterable, chunksize=1, key=None):
        """A lazy iterator of ``func(x)`` in input order; at most ``max_in_flight_chunks``
        records are in flight at a time."""
        return self._imap(func, iterable, chunksize, True, key)

    def imap_unordered(self, func, iterable, chunksize=1, key=None):
        """As imap, in completion order."""
        return self._imap(func, iterable, chunksize, False, key)

    def close(self):
        """Takes no more tasks; those submitted still run. Then call join()."""
        with self._lock:
            if self._state == RUN:
                self._state = CLOSE

    def join(self, timeout=None):
        """Waits until every call submitted has its outcome (and its callback ran), then releases
        the Kafka clients. Call close() or terminate() first (ValueError otherwise). Returns
        whether everything finished within ``timeout`` seconds (None: as long as it takes)."""
        with self._lock:
            if self._state == RUN:
                raise ValueError("Pool is still running; call close() or terminate() first")
            done = self._lock.wait_for(lambda: not self._open_calls, timeout)
        self._release()
        return done

    def terminate(self):
        """Stops now. A random-id client cancels what has not finished (the supervisors skip or
        kill it) and fails its handles with TaskCancelledError; a durable client fails its handles
        with PoolClosedError but leaves the calls running and journaled, for the next run with its
        id to attach to."""
        with self._lock:
            if self._state == TERMINATE:
                return
            self._state = TERMINATE
            calls = list(self._open_calls.items())
        if self._durable:
            error = _wire.PoolClosedError("the pool was terminated; the call stays journaled for "
                                          "the next Pool with client_id %s to attach" % self._client_id)
        else:
            error = _wire.TaskCancelledError("the pool was terminated")
            ids = [task_id for _, (_, task_ids) in calls for task_id in task_ids]
            for i in range(0, len(ids), 1000):
                self._kafka.produce(_wire.CONTROL_TOPIC, self._pool,
                                    _wire.cancel_value(self._pool, ids[i:i + 1000],
                                                       self._client_id), [], _ignore)
        for _, (handle, _) in calls:
            handle._finish(error=error)
        self._release()

    def __enter__(self):
        with self._lock:
            self._check_running()
        return self

    def __exit__(self, *exc):
        self.terminate()

    # ---- durable handles

    @property
    def client_id(self):
        return self._client_id

    def detached_tasks(self):
        """Calls an earlier run of this client id submitted and did not see end, oldest first, as
        DetachedTask(id, task, kind, items, submitted_at, ready). Empty for a random id."""
        return self._journal.detached() if self._journal else []

    def attach(self, call_id, callback=None, error_callback=None):
        """Re-attaches to a detached call: an AsyncResult for an apply, a MapResult for a map.
        Raises KeyError if no earlier call by that id waits, ValueError if it is already
        attached or the pool is not durable."""
        if self._journal is None:
            raise ValueError("pool client %s has a random id: give Pool a client_id to re-attach"
                             % self._client_id)
        unit = self._journal.unit(call_id)
        entry = unit.entry
        with self._lock:
            self._check_running()
            if entry["kind"] == "MAP":
                handle = MapResult(call_id, entry["chunks"], self._callbacks, callback,
                                   error_callback, self._settle)
                ids = ["%s:%d" % (call_id, k) for k in range(entry["chunks"])]
            else:
                handle = AsyncResult(call_id, self._callbacks, callback, error_callback,
                                     self._settle)
                ids = [call_id]
            self._open_calls[call_id] = (handle, ids)
        unit.attach(handle.on_chunk)
        return handle

    def discard(self, call_id):
        """Drops a detached call: it is not listed again. Raises KeyError if none waits."""
        if self._journal is None:
            raise KeyError(call_id)
        self._journal.unit(call_id)
        self._journal.settled(call_id)

    # ---- submitting

    def _check_running(self):
        if self._state != RUN:
            raise _wire.PoolClosedError("Pool not running")
        if self._failure is not None:
            raise self._failure

    def _map(self, func, values, chunksize, callback, error_callback, key):
        """Submits one task per value (its JSON argument) in records of chunksize values."""
        name = _task_name(func)
        chunksize = _chunksize(chunksize, key)
        chunks = [values[i:i + chunksize] for i in range(0, len(values), chunksize)]
        records = [_wire.encode(chunk) for chunk in chunks]
        with self._lock:
            self._check_running()
            map_id = str(uuid.uuid4())
            ids = ["%s:%d" % (map_id, k) for k in range(len(chunks))]
            result = MapResult(map_id, len(chunks), self._callbacks, callback, error_callback,
                               self._settle)
            if chunks:
                self._open_calls[map_id] = (result, ids)
                self._journal_call(_journal.entry(map_id, name, "MAP", len(values), chunksize,
                                                  len(chunks), _now_millis()))
            for k, record in enumerate(records):
                self._send(name, ids[k], record, len(chunks[k]), _key_of(key, chunks[k]),
                           _indexed(result, k))
        return result

    def _imap(self, func, iterable, chunksize, ordered, key):
        name = _task_name(func)
        chunksize = _chunksize(chunksize, key)
        call_id = str(uuid.uuid4())
        it = IMapIterator(call_id, ordered, self._settle)
        ids = []  # grows as the feeder sends; terminate() cancels what is in it
        with self._lock:
            self._check_running()
            # An open call like any other: join() waits for it, terminate() cancels and fails it.
            self._open_calls[call_id] = (it, ids)
        window = threading.Semaphore(self._imap_window)
        source = iter(iterable)

        def on_chunk(index, reply):
            window.release()
            it.on_chunk(index, reply)

        def feed():
            k = 0
            try:
                while True:
                    chunk = list(itertools.islice(source, chunksize))
                    if not chunk:
                        break
                    window.acquire()
                    task_id = "%s:%d" % (call_id, k)
                    with self._lock:
                        self._check_running()
                        ids.append(task_id)
                        self._send(name, task_id, _wire.encode(chunk), len(chunk),
                                   _key_of(key, chunk), _indexed_fn(on_chunk, k))
                    k += 1
                it._sent_all(k)
            except Exception as e:  # the input raised, or the pool closed
                it._fail(k, e)

        threading.Thread(target=feed, daemon=True, name="kpool-imap-" + call_id[:8]).start()
        return it

    def _send(self, name, task_id, value, chunk, key, handler):
        """Registers the reply handler and queues the record; under self._lock."""
        deadline = None
        if self._task_timeout is not None:
            deadline = _now_millis() + int(self._task_timeout * 1000)
        self._handlers[task_id] = handler
        headers = _wire.task_headers(name, self._reply_topic, self._client_id, task_id, chunk,
                                     deadline)

        def delivered(error):
            if error is not None:
                LOG.warning("task %s of pool %s was not written: %s", task_id, self._pool, error)
                handler_now = self._handlers.pop(task_id, None)
                if handler_now is not None:
                    handler_now(_wire.chunk_index(task_id), {
                        "id": task_id, "status": "ERROR", "results": [],
                        "error": {"type": "kpool.NotWritten", "message": str(error)}})

        self._kafka.produce(self._task_topic, key if key is not None else task_id, value,
                            headers, delivered)

    def _journal_call(self, entry):
        if self._journal is None:
            return
        call_id = entry["id"]
        self._journal.submitted(call_id)

        def delivered(error):
            if error is not None:
                LOG.warning("task %s of pool %s is not durable: its journal record failed: %s",
                            call_id, self._pool, error)
                self._journal.marker_lost(call_id)

        self._kafka.produce(self._reply_topic, call_id, _wire.encode(entry),
                            [(_wire.JOURNAL, _journal.SUBMITTED.encode())], delivered)

    def _write_settled(self, ids):
        self._kafka.produce(self._reply_topic, "settled", _wire.encode(ids),
                            [(_wire.JOURNAL, _journal.SETTLED.encode())], _ignore)

    def _settle(self, handle, error):
        """A call completed (on the callback thread): forget it and journal it settled."""
        with self._lock:
            entry = self._open_calls.pop(handle.task_id, None)
            if entry is not None:
                for task_id in entry[1]:
                    self._handlers.pop(task_id, None)
            self._lock.notify_all()
        # A handle failed by terminate() or a dead listener leaves its call for the next run.
        if self._journal is not None and self._state != TERMINATE and self._failure is None:
            self._journal.settled(handle.task_id)

    # ---- replies

    def _catch_up(self):
        """Positions the reply reader; a durable client reads its journal up to the end first, so
        that detached_tasks() is complete when the constructor returns."""
        start, end = self._kafka.assign(self._reply_topic, self._durable)
        position = start
        if self._journal is not None:
            deadline = time.monotonic() + 60
            while position < end:
                if time.monotonic() > deadline:
                    raise _wire.KpoolError("journal %s not read within 60 s" % self._reply_topic)
                for record in self._kafka.consume(0.2):
                    self._handle(*record)
                    position = record[0] + 1
            self._journal.end_catch_up()
            LOG.info("client journal %s read up to offset %d: %d tasks detached",
                     self._reply_topic, end, len(self._journal.detached()))
        return position

    def _listen(self):
        try:
            while self._running:
                for record in self._kafka.consume(0.2):
                    self._handle(*record)
                    self._position = record[0] + 1
                self._commit_floor(False)
        except Exception as e:
            if self._running:
                LOG.exception("reply listener on %s stopped for good; failing every open call",
                              self._reply_topic)
                self._listener_failed(e)

    def _listener_failed(self, cause):
        """No reply can arrive any more: fails every open call, and every later submission, as the
        Java client does, instead of leaving get() waiting forever."""
        error = _wire.KpoolError("reply listener on %s stopped, no result can reach this handle: "
                                 "%s" % (self._reply_topic, cause))
        with self._lock:
            self._failure = error
            calls = list(self._open_calls.values())
        for handle, _ in calls:
            handle._finish(error=error)

    def _handle(self, offset, key, value, headers):
        kind = _wire.header(headers, _wire.JOURNAL)
        if kind is not None:
            if self._journal is not None:
                self._journal.on_record(offset, kind, key, value)
            return
        reply = _wire.parse_reply(value)
        if reply is None:
            LOG.warning("dropping malformed reply at %s@%d", self._reply_topic, offset)
            return
        task_id = reply["id"]
        with self._lock:
            # The first reply removes the handler; a duplicate finds none: callbacks run once.
            handler = self._handlers.pop(task_id, None)
        if handler is not None:
            if self._journal is not None:
                self._journal.reply_for_live_call(offset, task_id)
            try:
                handler(_wire.chunk_index(task_id), reply)
            except Exception:
                LOG.exception("reply handler for task %s failed", task_id)
        elif self._journal is None or not self._journal.offer(reply):
            LOG.debug("no one waits for reply %s (a duplicate, or cancelled)", task_id)

    def _commit_floor(self, final):
        if self._journal is None or not self._journal.caught_up:
            return
        now = time.monotonic()
        if not final and now - self._last_commit < 0.5:
            return
        self._last_commit = now
        self._journal.after_batch()
        floor = self._journal.floor(self._position)
        if floor != self._committed:
            try:
                self._kafka.commit(floor)
                self._committed = floor
            except Exception as e:
                LOG.debug("reply offset commit failed: %s", e)

    def _deliveries(self):
        while self._running:
            self._kafka.poll_deliveries(0.1)

    def _release(self):
        with self._lock:
            if not self._running:
                return
            self._running = False
        for thread in self._threads:
            thread.join(10)
        self._callbacks.stop()
        self._commit_floor(True)
        if self._journal is not None:
            self._kafka.flush(5)  # the settled records the final commit wrote
        self._kafka.close(5)
        if not self._durable:
            self._kafka.delete_topic(self._reply_topic)


class _CallbackThread:
    """Runs completions one at a time on one daemon thread, as the stdlib's result handler."""

    def __init__(self):
        self._queue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="kpool-callbacks")
        self._thread.start()

    def run(self, fn):
        self._queue.put(fn)

    def stop(self):
        if threading.current_thread() is not self._thread:
            self._queue.put(None)
            self._thread.join(10)

    def _loop(self):
        while True:
            fn = self._queue.get()
            if fn is None:
                return
            try:
                fn()
            except Exception:
                LOG.exception("kpool callback failed")


def _task_name(func):
    if isinstance(func, str):
        if not func.strip():
            raise ValueError("a task name must not be blank")
        return func
    name = getattr(func, "__kpool_task__", None)
    if isinstance(name, str):
        return name
    if callable(func) and getattr(func, "__name__", "") == "<lambda>":
        raise TypeError(
            "kpool cannot send a lambda: a worker runs only functions it registered, by name. "
            "Define the function in a worker module with @kpool_worker.task and pass the "
            "function (or its name) instead")
    if callable(func):
        raise TypeError(
            "%r is not a registered kpool task: code is never pickled to a worker. Decorate it "
            "with @kpool_worker.task in the worker module (and import that module here), or pass "
            "the task's name as a string" % (func,))
    raise TypeError("a task is a registered function or a task name, got %r" % (func,))


def _argument(args, kwds):
    if kwds:
        raise TypeError("kpool tasks take positional arguments only (one JSON value per task); "
                        "pass keyword values inside a dict argument instead: %r" % (kwds,))
    if isinstance(args, (str, bytes)) or not hasattr(args, "__len__"):
        raise TypeError("args must be a tuple, as in multiprocessing: (x,), got %r" % (args,))
    if len(args) == 1:
        return args[0]
    return list(args)


def _chunksize(chunksize, key):
    chunksize = 1 if chunksize is None else chunksize
    if not isinstance(chunksize, int) or chunksize < 1:
        raise ValueError("chunksize must be a positive integer, got %r" % (chunksize,))
    if key is not None and chunksize != 1:
        # As in the Java client: a chunk is one record and one start, so it would count as a
        # single task against the key's limits (key-concurrency, key-rate).
        raise ValueError("a keyed map sends one item per record: use chunksize=1")
    return chunksize


def _key_of(key, chunk):
    return key(chunk[0]) if callable(key) else key


def _indexed(result, k):
    return lambda _index, reply: result.on_chunk(k, reply)


def _indexed_fn(fn, k):
    return lambda _index, reply: fn(k, reply)


def _now_millis():
    return int(time.time() * 1000)


def _ignore(_error):
    pass
