"""An in-memory stand-in for Kafka and a supervisor, behind the transport interface kpool.Pool
uses, so that the client's tests need no broker."""

import json
import threading

import kpool_worker


class FakeBroker:
    """Topics as lists of (key, value, headers), committed offsets per client id, and a fake
    supervisor that answers task records at once with a worker's registered functions.

    ``duplicates`` sends every reply twice (at-least-once delivery); ``hold`` keeps task records
    unanswered until ``release()``."""

    def __init__(self, worker):
        self.topics = {}
        self.committed = {}
        self.cond = threading.Condition()
        self.worker = worker
        self.duplicates = False
        self.hold = False
        self.held = []

    def records(self, topic):
        with self.cond:
            return list(self.topics.get(topic, []))

    def append(self, topic, key, value, headers):
        with self.cond:
            self.topics.setdefault(topic, []).append((key, value, list(headers or [])))
            self.cond.notify_all()

    def on_task(self, key, value, headers):
        if self.hold:
            self.held.append((key, value, headers))
            return
        self.answer(value, headers)

    def release(self):
        held, self.held, self.hold = self.held, [], False
        for _, value, headers in held:
            self.answer(value, headers)

    def answer(self, value, headers):
        h = {k: v.decode() for k, v in headers}
        handler = self.worker._tasks.get(h["kpool-task"])
        items = json.loads(value) if "kpool-chunk" in h else [json.loads(value)]
        results, error = [], None
        for index, item in enumerate(items):
            try:
                if handler is None:
                    raise LookupError("no task named %s" % h["kpool-task"])
                results.append(json.loads(handler.call(item, None)))
            except Exception as e:  # noqa: BLE001 - reported as the remote error
                error = kpool_worker._remote_error(e, index)
                break
        reply = {"id": h["kpool-id"], "status": "OK" if error is None else "ERROR",
                 "results": results, "error": error, "pid": 1, "attempt": 1,
                 "elapsedMillis": 0, "task": h["kpool-task"]}
        for _ in range(2 if self.duplicates else 1):
            self.append(h["kpool-reply-to"], h["kpool-id"], json.dumps(reply).encode(), [])


class FakeTransport:
    def __init__(self, broker, client_id):
        self.broker = broker
        self.client_id = client_id
        self.topic = None
        self.position = 0

    def ensure_topic(self, topic):
        with self.broker.cond:
            self.broker.topics.setdefault(topic, [])

    def delete_topic(self, topic):
        with self.broker.cond:
            self.broker.topics.pop(topic, None)

    def produce(self, topic, key, value, headers, on_delivery):
        if topic.endswith(".tasks"):
            self.broker.on_task(key, value, headers)
        else:
            self.broker.append(topic, key, value, headers)
        on_delivery(None)

    def poll_deliveries(self, timeout):
        threading.Event().wait(timeout)

    def flush(self, timeout):
        return True

    def assign(self, topic, durable):
        self.topic = topic
        end = len(self.broker.records(topic))
        self.position = self.broker.committed.get(self.client_id, 0) if durable else end
        return self.position, end

    def consume(self, timeout):
        with self.broker.cond:
            records = self.broker.topics.get(self.topic, [])
            if len(records) <= self.position:
                self.broker.cond.wait(timeout)
                records = self.broker.topics.get(self.topic, [])
            out = [(offset, k, v, h) for offset, (k, v, h)
                   in enumerate(records[self.position:self.position + 500], self.position)]
        self.position += len(out)
        return out

    def commit(self, offset):
        self.broker.committed[self.client_id] = offset

    def close(self, flush_timeout):
        pass
