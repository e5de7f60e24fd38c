package dev.kpool.supervisor.kafka;

import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.Reply;
import dev.kpool.protocol.Stage;
import dev.kpool.protocol.Topics;
import dev.kpool.protocol.frame.FromWorker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes what the supervisor produces: replies, dead letters, and follow-up tasks. Thread-safe (one
 * idempotent producer shared by all pools). Every method returns a future that completes when the
 * record is durably written, which is when a task record may be acknowledged. The futures complete
 * on a thread of the writer's own, never on the producer's I/O thread, so what follows may write.
 */
public final class ReplyWriter implements AutoCloseable {
  /** Header on a dead-letter record: why it is there. */
  public static final String DLQ_REASON = "kpool-dlq-reason";
  /** Header on a dead-letter record: the error type and message. */
  public static final String DLQ_ERROR = "kpool-dlq-error";
  /** Header on a dead-letter record: how many times the task was delivered. */
  public static final String DLQ_ATTEMPTS = "kpool-dlq-attempts";

  /** Headers a pipeline's next stage sets anew; it keeps the others (results are always JSON). */
  private static final Set<String> RESTAGED =
      Set.of(HeaderNames.TASK, HeaderNames.ATTEMPT, HeaderNames.THEN, HeaderNames.CONTENT_TYPE);

  private final KafkaProducer<String, byte[]> producer;
  private final ExecutorService completions = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "kpool-writes-done");
    t.setDaemon(true);
    return t;
  });

  public ReplyWriter(Map<String, Object> clientProperties) {
    Map<String, Object> props = new java.util.HashMap<>(clientProperties);
    props.putIfAbsent("acks", "all");
    props.putIfAbsent("enable.idempotence", true);
    props.putIfAbsent("linger.ms", 1);
    // A reply-to topic that does not exist must fail the send quickly, not stall a consumer lane.
    props.putIfAbsent("max.block.ms", 10_000);
    props.putIfAbsent("client.id", "kpool-supervisor-replies");
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** Writes {@code reply} to {@code replyTo}, keyed by task id. */
  public CompletableFuture<Void> reply(String replyTo, Reply reply) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(HeaderNames.ID, utf8(reply.id()));
    headers.add(HeaderNames.STATUS, utf8(reply.status().wireName()));
    return send(new ProducerRecord<>(replyTo, null, reply.id(), json(reply), headers));
  }

  /** Copies a task record to the pool's dead-letter topic with headers that say why. */
  public CompletableFuture<Void> deadLetter(String pool, ConsumerRecord<String, byte[]> task, String reason,
      RemoteError error, int attempts) {
    RecordHeaders headers = new RecordHeaders(task.headers().toArray());
    headers.add(DLQ_REASON, utf8(reason));
    headers.add(DLQ_ERROR, utf8(error.type() + ": " + error.message()));
    headers.add(DLQ_ATTEMPTS, utf8(Integer.toString(attempts)));
    return send(new ProducerRecord<>(Topics.deadLetters(pool), null, task.key(), task.value(), headers));
  }

  /**
   * Enqueues a task that a running task submitted. It inherits the parent's reply topic, client
   * and tree, and is keyed by the key the task chose (e.g. a crawl's host), else its own id.
   */
  public CompletableFuture<Void> followUp(FollowUps.Parent parent, FromWorker.Submit submit, String id) {
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
    String key = submit.key() == null ? id : submit.key();
    try {
      return send(new ProducerRecord<>(Topics.tasks(pool), null, key, json(submit.args()), headers));
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e); // a pool name that cannot be a topic
    }
  }

  /**
   * Writes the next stage of a pipeline: a task record for the first of {@code stages}, in its pool,
   * whose value is {@code value} in JSON (the finished stage's result, or the results of a chunk)
   * and whose headers are the finished record's (id, reply topic, client, deadline, chunk) with the
   * stages after it.
   */
  public CompletableFuture<Void> nextStage(ConsumerRecord<String, byte[]> finished, List<Stage> stages,
      Object value) {
    Stage next = stages.get(0);
    RecordHeaders headers = new RecordHeaders();
    for (Header header : finished.headers()) {
      if (!RESTAGED.contains(header.key())) {
        headers.add(header);
      }
    }
    headers.add(HeaderNames.TASK, utf8(next.task()));
    headers.add(HeaderNames.ATTEMPT, utf8("1"));
    if (stages.size() > 1) {
      headers.add(HeaderNames.THEN, utf8(Stage.encode(stages.subList(1, stages.size()))));
    }
    return send(new ProducerRecord<>(Topics.tasks(next.pool()), null, finished.key(), json(value), headers));
  }

  private CompletableFuture<Void> send(ProducerRecord<String, byte[]> record) {
    CompletableFuture<Void> written = new CompletableFuture<>();
    try {
      // What follows a write often writes again (a reply after the follow-ups, a dead letter after
      // a reply). On the producer's I/O thread, a send to a topic not yet in its metadata would wait
      // max.block.ms for metadata that only this thread can fetch, so continue on another thread.
      producer.send(record, (metadata, e) -> completions.execute(() -> {
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
    producer.close(Duration.ofSeconds(10));
    completions.shutdown();
  }
}
