package dev.kpool.supervisor.kafka;

import dev.kpool.protocol.CoalescedFlush;
import dev.kpool.protocol.DeadLetterReason;
import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.Reply;
import dev.kpool.protocol.Stage;
import dev.kpool.protocol.Topics;
import dev.kpool.protocol.frame.FromWorker;
import dev.kpool.supervisor.fault.DiscardMarks;
import dev.kpool.supervisor.fault.RetryRelay;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Writes what the supervisor produces: replies, dead letters, retries, replays and follow-up tasks. Thread-safe (one
 * idempotent producer shared by all pools). Every method returns a future that completes when the
 * record is durably written, which is when a task record may be acknowledged; it completes on the
 * writer's own completion thread, never on the producer's I/O thread.
 */
public final class RecordWriter implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RecordWriter.class);

  /** Headers a task record gains on its way through the retry topic and the dead-letter topic. */
  private static final List<String> ROUTING_HEADERS =
      List.of(
          HeaderNames.ATTEMPT,
          HeaderNames.NOT_BEFORE,
          HeaderNames.DLQ_REASON,
          HeaderNames.DLQ_ERROR,
          HeaderNames.DLQ_ATTEMPTS,
          HeaderNames.REPLAY_OF);

  private final Producer<String, byte[]> producer;
  private final Admin admin;

  /** Reply-to topics seen to exist; a client's reply topic lives as long as the client. */
  private final Set<String> replyTopics = ConcurrentHashMap.newKeySet();

  /**
   * Completes the write futures. Their dependent stages write again (a dead letter after a reply,
   * a reply after a retry); run on the producer's I/O thread, a send to a topic not yet in its
   * metadata would block the one thread that fetches metadata, for all of max.block.ms.
   */
  private final ExecutorService completions =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "kpool-writer-completions");
            thread.setDaemon(true);
            return thread;
          });

  private final CoalescedFlush flusher;

  public RecordWriter(Map<String, Object> clientProperties) {
    this(
        new KafkaProducer<>(
            producerProperties(clientProperties),
            new StringSerializer(),
            new ByteArraySerializer()),
        // A producer always asks the broker to auto-create (allow.auto.create.topics is a consumer
        // setting), so reply() checks that a reply-to topic exists before the first write to it.
        Admin.create(clientProperties));
  }

  /** On given clients: Kafka's {@code MockProducer} in tests. */
  public RecordWriter(Producer<String, byte[]> producer, Admin admin) {
    this.producer = producer;
    this.admin = admin;
    this.flusher =
        new CoalescedFlush(
            "kpool-writer-flush",
            () -> {
              try {
                producer.flush();
              } catch (RuntimeException e) {
                LOG.debugf("flush of the supervisor's writes ended early: %s", e.toString());
              }
            });
  }

  private static Map<String, Object> producerProperties(Map<String, Object> clientProperties) {
    Map<String, Object> props = new java.util.HashMap<>(clientProperties);
    props.putIfAbsent("acks", "all");
    props.putIfAbsent("enable.idempotence", true);
    // Replies of a busy pool share produce requests (the broker's cost is per request, not per
    // record); flushSoon() sends at once when nothing else is coming, so an idle pool's apply()
    // does not wait out the linger.
    props.putIfAbsent("linger.ms", 5);
    // A reply-to topic that does not exist must fail the send quickly, not stall a consumer lane.
    props.putIfAbsent("max.block.ms", 10_000);
    props.putIfAbsent("client.id", "kpool-supervisor-replies");
    return props;
  }

  /**
   * Writes {@code reply} to {@code replyTo}, keyed by task id, with the task's {@code traceparent}
   * (null for none); fails with {@link UnknownTopicOrPartitionException} if no such topic exists
   * (it is never created here).
   */
  public CompletableFuture<Void> reply(String replyTo, Reply reply, String traceparent) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(HeaderNames.ID, utf8(reply.id()));
    headers.add(HeaderNames.STATUS, utf8(reply.status().wireName()));
    if (traceparent != null) {
      headers.add(HeaderNames.TRACEPARENT, utf8(traceparent));
    }
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(replyTo, null, reply.id(), json(reply), headers);
    if (replyTopics.contains(replyTo)) {
      return send(record);
    }
    CompletableFuture<Void> checked = new CompletableFuture<>();
    admin
        .describeTopics(List.of(replyTo))
        .allTopicNames()
        .whenComplete(
            (topics, e) ->
                complete(
                    () -> {
                      if (e == null) {
                        replyTopics.add(replyTo);
                        checked.complete(null);
                      } else {
                        checked.completeExceptionally(
                            e instanceof UnknownTopicOrPartitionException
                                ? new UnknownTopicOrPartitionException(
                                    "reply-to topic " + replyTo + " does not exist")
                                : e);
                      }
                    }));
    return checked.thenCompose(ok -> send(record));
  }

  /**
   * Copies a task record, value and headers, to the pool's dead-letter topic with headers that say
   * why, after how many attempts, and the last error.
   */
  public CompletableFuture<Void> deadLetter(
      String pool,
      ConsumerRecord<String, byte[]> task,
      DeadLetterReason reason,
      RemoteError error,
      int attempts) {
    RecordHeaders headers = new RecordHeaders(task.headers().toArray());
    headers.add(HeaderNames.DLQ_REASON, utf8(reason.wireName()));
    headers.add(HeaderNames.DLQ_ERROR, utf8(error.type() + ": " + error.message()));
    headers.add(HeaderNames.DLQ_ATTEMPTS, utf8(Integer.toString(attempts)));
    return send(
        new ProducerRecord<>(Topics.deadLetters(pool), null, task.key(), task.value(), headers));
  }

  /**
   * Parks a task record on the pool's retry topic as run {@code attempt}, to be moved back to the
   * task topic by a {@link RetryRelay} at {@code notBeforeMillis}.
   */
  public CompletableFuture<Void> retry(
      String pool, ConsumerRecord<String, byte[]> task, int attempt, long notBeforeMillis) {
    RecordHeaders headers = taskHeaders(task, attempt);
    // A replay's retry is still the replay: its dead letter names where it came from, and a
    // supervisor that saw the original settled must run it, not skip it as a redelivery.
    Header replayOf = task.headers().lastHeader(HeaderNames.REPLAY_OF);
    if (replayOf != null) {
      headers.add(replayOf);
    }
    headers.add(HeaderNames.NOT_BEFORE, utf8(Long.toString(notBeforeMillis)));
    return send(
        new ProducerRecord<>(Topics.retries(pool), null, task.key(), task.value(), headers));
  }

  /**
   * Writes a task record to the pool's task topic as it is, without its retry hold: a due retry as
   * it was parked, or a bundle's member unbundled for a keyed pool.
   */
  public CompletableFuture<Void> relay(String pool, ConsumerRecord<String, byte[]> retry) {
    RecordHeaders headers = new RecordHeaders(retry.headers().toArray());
    headers.remove(HeaderNames.NOT_BEFORE);
    return send(
        new ProducerRecord<>(Topics.tasks(pool), null, retry.key(), retry.value(), headers));
  }

  /**
   * Writes a dead letter's task back to the pool's task topic as a first attempt, marked with the
   * dead-letter offset it came from.
   */
  public CompletableFuture<Void> replay(String pool, ConsumerRecord<String, byte[]> deadLetter) {
    RecordHeaders headers = taskHeaders(deadLetter, 1);
    headers.add(HeaderNames.REPLAY_OF, utf8(Long.toString(deadLetter.offset())));
    return send(
        new ProducerRecord<>(
            Topics.tasks(pool), null, deadLetter.key(), deadLetter.value(), headers));
  }

  /**
   * Appends a discard marker for the dead letter at {@code deadLetter}'s offset to the pool's
   * dead-letter topic: its key and task id, no value (see {@link DiscardMarks}).
   */
  public CompletableFuture<Void> discard(String pool, ConsumerRecord<String, byte[]> deadLetter) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(HeaderNames.DISCARD_OF, utf8(Long.toString(deadLetter.offset())));
    headers.add(HeaderNames.ID, utf8(TaskRecords.taskId(deadLetter)));
    return send(
        new ProducerRecord<>(
            Topics.deadLetters(pool), deadLetter.partition(), deadLetter.key(), null, headers));
  }

  /** The task's own headers, without what retries and dead letters added, as run {@code attempt}. */
  private static RecordHeaders taskHeaders(ConsumerRecord<String, byte[]> record, int attempt) {
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    ROUTING_HEADERS.forEach(headers::remove);
    headers.add(HeaderNames.ATTEMPT, utf8(Integer.toString(attempt)));
    return headers;
  }

  /**
   * Enqueues a task that a running task submitted. It inherits the parent's reply topic, client
   * and tree, and is keyed by the key the task chose (e.g. a crawl's host), else its own id.
   */
  public CompletableFuture<Void> followUp(
      FollowUps.Parent parent, FromWorker.Submit submit, String id) {
    String pool = submit.pool() == null ? parent.pool() : submit.pool();
    RecordHeaders headers = new RecordHeaders();
    headers.add(HeaderNames.TASK, utf8(submit.task()));
    headers.add(HeaderNames.ID, utf8(id));
    headers.add(HeaderNames.PARENT, utf8(parent.id()));
    headers.add(HeaderNames.ROOT, utf8(parent.root()));
    headers.add(HeaderNames.ATTEMPT, utf8("1"));
    if (parent.replyTo() != null) {
      headers.add(HeaderNames.REPLY_TO, utf8(parent.replyTo()));
    }
    if (parent.client() != null) {
      headers.add(HeaderNames.CLIENT, utf8(parent.client()));
    }
    if (parent.traceparent() != null) {
      headers.add(HeaderNames.TRACEPARENT, utf8(parent.traceparent()));
    }
    String key = submit.key() == null ? id : submit.key();
    try {
      return send(
          new ProducerRecord<>(Topics.tasks(pool), null, key, json(submit.args()), headers));
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e); // a pool name that cannot be a topic
    }
  }

  /**
   * Writes the next stage of a pipeline: a task record for the first of {@code stages}, in its pool,
   * whose value is {@code value} in JSON (the finished stage's result, or the results of a chunk)
   * and whose headers are the finished record's task headers (id, reply topic, client, deadline,
   * chunk; not what retries and dead letters added) with the stages after it, as a first attempt.
   */
  public CompletableFuture<Void> nextStage(
      ConsumerRecord<String, byte[]> finished, List<Stage> stages, Object value) {
    Stage next = stages.get(0);
    RecordHeaders headers = taskHeaders(finished, 1);
    // Set anew for the next stage; its value is JSON whatever the finished stage took.
    List.of(HeaderNames.TASK, HeaderNames.THEN, HeaderNames.CONTENT_TYPE).forEach(headers::remove);
    headers.add(HeaderNames.TASK, utf8(next.task()));
    if (stages.size() > 1) {
      headers.add(HeaderNames.THEN, utf8(Stage.encode(stages.subList(1, stages.size()))));
    }
    return send(
        new ProducerRecord<>(
            Topics.tasks(next.pool()), null, finished.key(), json(value), headers));
  }

  /**
   * Sends what was written so far without waiting for {@code linger.ms}: for a write that nothing
   * else will follow soon, such as the reply of a pool whose queue is empty. Returns at once; a
   * background thread flushes, and requests that come while one flush is pending join it.
   */
  public void flushSoon() {
    flusher.request();
  }

  private CompletableFuture<Void> send(ProducerRecord<String, byte[]> record) {
    CompletableFuture<Void> written = new CompletableFuture<>();
    try {
      producer.send(
          record,
          (metadata, e) ->
              complete(
                  () -> {
                    if (e == null) {
                      written.complete(null);
                    } else {
                      written.completeExceptionally(e);
                    }
                  }));
    } catch (RuntimeException e) {
      written.completeExceptionally(e);
    }
    return written;
  }

  /**
   * Completes a write future on the completion thread; on the calling thread if that is shut down
   * (the writer closing), since a future never completed would hold its task record forever.
   */
  private void complete(Runnable completion) {
    try {
      completions.execute(completion);
    } catch (RejectedExecutionException e) {
      completion.run();
    }
  }

  private static byte[] json(Object value) {
    try {
      return ProtocolJson.mapper().writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    flusher.close();
    producer.close(Duration.ofSeconds(10));
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
    completions.shutdown();
  }
}
