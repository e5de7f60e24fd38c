"""A durable client's bookkeeping over its reply topic, the Java client's Journal record for record.

Besides the supervisors' replies the reply topic holds a ``submitted`` record (header
``kpool-journal``) per apply or map and now and then a ``settled`` record. The committed offset of
the reply reader is the floor: every call whose ``submitted`` record lies below it is settled. A
restart reads from the floor, so it sees every unsettled call and every reply after it.

Threads: ``submitted``, ``settled``, ``marker_lost``, ``detached`` and ``unit`` from any thread;
the rest only from the reply listener thread.
"""

import collections
import json
import logging
import threading

from . import _wire

LOG = logging.getLogger("kpool")

SUBMITTED = "submitted"
SETTLED = "settled"
CHECKPOINT_BATCH = 1000

DetachedTask = collections.namedtuple("DetachedTask", "id task kind items submitted_at ready")
DetachedTask.__doc__ = """A call an earlier run of this client id submitted and did not see end:
``kind`` is "APPLY" or "MAP"; ``submitted_at`` epoch seconds; ``ready`` whether its outcome is
already here. Re-attach with ``Pool.attach(id)`` or drop it with ``Pool.discard(id)``."""


def entry(call_id, task, kind, items, chunksize, chunks, submitted_millis):
    """The value of a ``submitted`` record (the Java client's JournalEntry)."""
    return {"id": call_id, "task": task, "kind": kind, "items": items, "chunksize": chunksize,
            "chunks": chunks, "submittedAt": submitted_millis}


class DetachedUnit:
    """A call of an earlier run: holds its replies until someone attaches, then forwards them.
    Each chunk's first reply counts."""

    def __init__(self, entry):
        self.entry = entry
        self._held = {}
        self._seen = set()
        self._failed = False
        self._sink = None
        self._lock = threading.Lock()

    def offer(self, index, reply):
        with self._lock:
            if index < 0 or index >= self.entry["chunks"] or index in self._seen:
                return
            self._seen.add(index)
            self._failed |= reply.get("status") != "OK"
            if self._sink is None:
                self._held[index] = reply
                return
            sink = self._sink
        sink(index, reply)

    def attach(self, sink):
        with self._lock:
            if self._sink is not None:
                raise ValueError("task %s is already attached" % self.entry["id"])
            self._sink = sink
            held, self._held = sorted(self._held.items()), {}
        for index, reply in held:
            sink(index, reply)

    def attached(self):
        return self._sink is not None

    def describe(self):
        e = self.entry
        with self._lock:
            ready = self._failed or len(self._seen) == e["chunks"]
        return DetachedTask(e["id"], e["task"], e["kind"], e["items"],
                            e["submittedAt"] / 1000.0, ready)


class _Unit:
    __slots__ = ("detached", "marker_offset", "settled")

    def __init__(self, detached, marker_offset):
        self.detached = detached
        self.marker_offset = marker_offset
        self.settled = False


class Journal:
    def __init__(self, checkpoint_writer):
        self._checkpoint = checkpoint_writer
        self._units = {}
        self._settled_queue = collections.deque()
        self._lost_markers = collections.deque()
        self.caught_up = False
        # Listener thread only; insertion order is offset order.
        self._unsettled_markers = collections.OrderedDict()
        self._replies_before_marker = collections.OrderedDict()
        self._early_replies = {}
        self._finalized = collections.OrderedDict()

    # ---- any thread

    def submitted(self, call_id):
        self._units[call_id] = _Unit(None, -1)

    def settled(self, call_id):
        unit = self._units.get(call_id)
        if unit is not None and not unit.settled:
            unit.settled = True
            self._settled_queue.append(call_id)

    def marker_lost(self, call_id):
        self._lost_markers.append(call_id)

    def detached(self):
        found = [(u.marker_offset, u.detached.describe()) for u in list(self._units.values())
                 if u.detached is not None and not u.settled and not u.detached.attached()]
        return [d for _, d in sorted(found, key=lambda f: f[0])]

    def unit(self, call_id):
        unit = self._units.get(call_id)
        if unit is None or unit.detached is None or unit.settled:
            raise KeyError("no detached task %s of an earlier run" % call_id)
        return unit.detached

    # ---- reply listener thread

    def on_record(self, offset, kind, key, value):
        if kind == SUBMITTED:
            if self.caught_up:
                self._own_marker(offset, key)
            else:
                self._earlier_marker(offset, value)
        elif kind == SETTLED and not self.caught_up:
            for call_id in _read_ids(value):
                self._units.pop(call_id, None)
                self._unsettled_markers.pop(call_id, None)
                self._early_replies.pop(call_id, None)

    def _own_marker(self, offset, call_id):
        unit = self._units.get(call_id) if call_id is not None else None
        if unit is None or unit.detached is not None:
            return
        self._replies_before_marker.pop(call_id, None)
        unit.marker_offset = offset
        if unit.settled:
            self._units.pop(call_id, None)
            self._finalized[call_id] = offset
        else:
            self._unsettled_markers[call_id] = offset

    def _earlier_marker(self, offset, value):
        try:
            e = json.loads(value)
            detached = DetachedUnit(e)
            call_id = e["id"]
            int(e["chunks"])
        except (TypeError, ValueError, KeyError) as err:
            LOG.warning("skipping unreadable journal record at offset %d: %s", offset, err)
            return
        self._units[call_id] = _Unit(detached, offset)
        self._unsettled_markers[call_id] = offset
        for reply in self._early_replies.pop(call_id, ()):
            detached.offer(_wire.chunk_index(reply["id"]), reply)

    def reply_for_live_call(self, offset, task_id):
        call_id = _wire.call_id(task_id)
        unit = self._units.get(call_id)
        if unit is not None and unit.detached is None and unit.marker_offset < 0:
            # Its submitted record is not read yet: keep the floor below this reply until it is.
            self._replies_before_marker.setdefault(call_id, offset)

    def offer(self, reply):
        """A reply nobody in this run waits for; returns whether a detached call took it."""
        call_id = _wire.call_id(reply["id"])
        unit = self._units.get(call_id)
        if unit is not None and unit.detached is not None:
            unit.detached.offer(_wire.chunk_index(reply["id"]), reply)
            return True
        if not self.caught_up:
            # A reply may land before its submitted record; hold it until catch-up ends.
            self._early_replies.setdefault(call_id, []).append(reply)
            return True
        return False

    def end_catch_up(self):
        self._early_replies.clear()
        self.caught_up = True

    def after_batch(self):
        while self._lost_markers:
            lost = self._lost_markers.popleft()
            self._replies_before_marker.pop(lost, None)
            self._unsettled_markers.pop(lost, None)
            self._units.pop(lost, None)
        while self._settled_queue:
            call_id = self._settled_queue.popleft()
            unit = self._units.get(call_id)
            if unit is not None and unit.marker_offset >= 0:
                self._unsettled_markers.pop(call_id, None)
                self._units.pop(call_id, None)
                self._finalized[call_id] = unit.marker_offset
        if not self._finalized:
            return
        floor = self.floor(float("inf"))
        above = [i for i, offset in self._finalized.items() if offset > floor]
        self._finalized.clear()
        for i in range(0, len(above), CHECKPOINT_BATCH):
            self._checkpoint(above[i:i + CHECKPOINT_BATCH])

    def floor(self, position):
        """The offset to commit: nothing unsettled lies below it."""
        return min(position, _first(self._unsettled_markers), _first(self._replies_before_marker))


def _first(offsets):
    for value in offsets.values():
        return value
    return float("inf")


def _read_ids(value):
    try:
        ids = json.loads(value)
        return [i for i in ids if isinstance(i, str)]
    except (TypeError, ValueError):
        LOG.warning("skipping unreadable settled record")
        return []
