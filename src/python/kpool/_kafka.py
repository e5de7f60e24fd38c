"""The Kafka operations the pool needs, on confluent-kafka. Tests swap in a fake with the same
methods, so this is the only module that imports confluent_kafka."""

import logging
import time

LOG = logging.getLogger("kpool")

ADMIN_TIMEOUT = 30.0


class KafkaTransport:
    """One producer, one reply consumer (of a one-partition topic) and admin calls.

    Threads: ``produce``, ``flush`` and ``poll_deliveries`` from any thread (the producer is
    thread-safe); the reader methods only from the reply listener's thread.
    """

    def __init__(self, bootstrap_servers, client_id, durable, config=None):
        from confluent_kafka import Consumer, Producer
        from confluent_kafka.admin import AdminClient

        common = dict(config or {})
        common["bootstrap.servers"] = bootstrap_servers
        producer = dict(common)
        producer.setdefault("acks", "all")
        producer.setdefault("enable.idempotence", True)
        # As the Java client: the broker's cost is per request; apply() flushes its record at once.
        producer.setdefault("linger.ms", 5)
        producer.setdefault("client.id", "kpool-%s-tasks" % client_id)
        consumer = dict(common)
        # The group only stores a durable client's journal floor; a random id never commits.
        consumer["group.id"] = "kpool-client.%s" % client_id
        consumer["enable.auto.commit"] = False
        consumer["enable.auto.offset.store"] = False
        # As the Java client: a position out of range (a durable floor below the retention, say)
        # starts over from the earliest reply kept; librdkafka's default, the end, skips replies.
        consumer["auto.offset.reset"] = "earliest"
        consumer.setdefault("client.id", "kpool-%s-replies" % client_id)
        self._admin = AdminClient(dict(common))
        self._producer = Producer(producer)
        self._consumer = Consumer(consumer)
        self._partition = None

    # -- admin

    def ensure_topic(self, topic):
        from confluent_kafka import KafkaError, KafkaException
        from confluent_kafka.admin import NewTopic

        future = self._admin.create_topics([NewTopic(topic, 1, -1)],
                                           request_timeout=ADMIN_TIMEOUT)[topic]
        try:
            future.result(ADMIN_TIMEOUT)
        except KafkaException as e:
            if e.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise

    def delete_topic(self, topic):
        try:
            self._admin.delete_topics([topic], request_timeout=ADMIN_TIMEOUT)[topic].result(
                ADMIN_TIMEOUT)
        except Exception as e:  # best effort, as the Java client
            LOG.info("could not delete reply topic %s: %s", topic, e)

    # -- producer

    def produce(self, topic, key, value, headers, on_delivery):
        """Queues a record; ``on_delivery(error_or_None)`` runs on a thread calling
        ``poll_deliveries`` or ``flush``."""
        def delivered(err, _msg):
            on_delivery(None if err is None else RuntimeError(str(err)))

        while True:
            try:
                self._producer.produce(topic, value=value, key=key, headers=headers,
                                       on_delivery=delivered)
                return
            except BufferError:
                self._producer.poll(0.05)  # the local queue is full: let deliveries drain it

    def poll_deliveries(self, timeout):
        self._producer.poll(timeout)

    def flush(self, timeout):
        """Returns whether every queued record was delivered (or failed) within ``timeout``."""
        return self._producer.flush(timeout) == 0

    # -- reply reader (one partition)

    def assign(self, topic, durable):
        """Assigns partition 0 of ``topic``: at the committed offset (or the beginning) for a
        durable client, at the end otherwise. Returns (start offset, end offset)."""
        from confluent_kafka import TopicPartition

        deadline = time.monotonic() + ADMIN_TIMEOUT
        while True:
            metadata = self._consumer.list_topics(topic, timeout=ADMIN_TIMEOUT)
            info = metadata.topics.get(topic)
            if info is not None and info.error is None and info.partitions:
                break
            if time.monotonic() > deadline:
                raise RuntimeError("reply topic %s did not appear" % topic)
            time.sleep(0.05)  # metadata backoff: the topic was created a moment ago
        if len(info.partitions) != 1:
            raise RuntimeError("reply topic %s must have exactly one partition, has %d"
                               % (topic, len(info.partitions)))
        low, high = self._consumer.get_watermark_offsets(TopicPartition(topic, 0),
                                                         timeout=ADMIN_TIMEOUT)
        start = high
        if durable:
            committed = self._consumer.committed([TopicPartition(topic, 0)],
                                                 timeout=ADMIN_TIMEOUT)[0].offset
            start = committed if committed >= 0 else low
        self._partition = TopicPartition(topic, 0, start)
        self._consumer.assign([self._partition])
        return start, high

    def consume(self, timeout):
        """The next records as (offset, key, value, headers) tuples; may be empty."""
        # consume() waits for a full batch or the timeout: wait for one record, then take what
        # is there without waiting, or a lone reply would sit out the timeout.
        first = self._consumer.poll(timeout)
        if first is None:
            return []
        out = []
        for message in [first] + self._consumer.consume(499, 0):
            if message.error() is not None:
                LOG.debug("reply consumer: %s", message.error())
                continue
            key = message.key()
            out.append((message.offset(), key.decode("utf-8") if key is not None else None,
                        message.value(), message.headers() or []))
        return out

    def commit(self, offset):
        from confluent_kafka import TopicPartition

        self._consumer.commit(offsets=[TopicPartition(self._partition.topic, 0, offset)],
                              asynchronous=False)

    def close(self, flush_timeout):
        try:
            self._producer.flush(flush_timeout)
        finally:
            self._consumer.close()
