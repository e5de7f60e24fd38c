package dev.kpool.client.internal;

import dev.kpool.client.KpoolException;
import dev.kpool.client.Task;
import dev.kpool.client.TraceContext;
import dev.kpool.protocol.CoalescedFlush;
import dev.kpool.protocol.ContentType;
import dev.kpool.protocol.ControlMessage;
import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.Stage;
import dev.kpool.protocol.TaskBundle;
import dev.kpool.protocol.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what a pool handle sends: task records, journal records on its own reply topic, and cancel
 * requests on the control topic. Thread-safe. Counts writes not yet acknowledged, for {@code
 * flush}.
 */
final class TaskSender {
  private static final Logger LOG = LoggerFactory.getLogger(TaskSender.class);

  /** Most task ids in one cancel request, so that a record stays far below the size limit. */
  static final int CANCEL_BATCH = 1_000;

  private final Producer<String, byte[]> producer;
  private final KafkaPool.Settings settings;
  private final String taskTopic;
  private final String replyTopic;
  private final AtomicLong sent = new AtomicLong();
  private long unacknowledged;
  private final CoalescedFlush flusher;

  /** Null unless the handle bundles single-item tasks. */
  private final TaskBundler bundler;

  TaskSender(Producer<String, byte[]> producer, KafkaPool.Settings settings) {
    this.producer = producer;
    this.settings = settings;
    this.taskTopic = Topics.tasks(settings.pool());
    this.replyTopic = Topics.replies(settings.clientId());
    this.flusher =
        new CoalescedFlush(
            "kpool-" + settings.clientId() + "-flush",
            () -> {
              try {
                producer.flush();
              } catch (RuntimeException e) {
                LOG.debug("flush of task records ended early: {}", e.toString());
              }
            });
    this.bundler =
        settings.bundleTasks() > 1
            ? new TaskBundler(
                "kpool-" + settings.clientId() + "-bundles",
                settings.bundleTasks(),
                settings.bundleWindow(),
                this::bundle)
            : null;
  }

  /**
   * Sends the records written so far without waiting for {@code linger.ms}, for a caller that
   * blocks on its result ({@code apply}). Returns at once; a background thread flushes, and
   * requests that come while one flush is pending join it.
   */
  void flushSoon() {
    sendBundles();
    flusher.request();
  }

  /** Sends the open bundles now, on this thread, without waiting out their window. */
  void sendBundles() {
    if (bundler != null) {
      bundler.sendAll();
    }
  }

  /** Drops the open bundles unsent (their tasks are being cancelled) and returns their task ids. */
  List<String> dropBundles() {
    if (bundler == null) {
      return List.of();
    }
    List<String> ids = bundler.dropAll();
    acknowledged(ids.size()); // never to be sent
    return ids;
  }

  /**
   * Stops the flushing and bundling threads, sending the open bundles; the producer's close sends
   * what is left.
   */
  void stopFlushing() {
    if (bundler != null) {
      bundler.close();
    }
    flusher.close();
  }

  /** Task records sent so far. */
  long sent() {
    return sent.get();
  }

  /**
   * Sends one task record whose reply goes to {@code replyTo}; {@code onFailure} runs (on a Kafka
   * I/O thread, or here) if it cannot be written. Only records replied to this handle's own topic
   * may share a bundle.
   *
   * @param key the record key, or {@code null} to key the record by {@code id}
   * @param chunk items in a chunked record, 0 for a single item
   * @throws KpoolException if the producer refused the record at once ({@code onFailure} has run)
   */
  void task(
      String id,
      String key,
      Task<?, ?> task,
      byte[] value,
      int chunk,
      String replyTo,
      Consumer<Exception> onFailure) {
    // A keyed task goes alone: a bundle's record has no one key to carry for its members.
    if (bundler != null
        && key == null
        && chunk == 0
        && replyTo.equals(replyTopic)
        && task.contentType() == ContentType.JSON
        && TaskBundler.fits(value)) {
      sent.incrementAndGet();
      // Counted as unwritten until its bundle is handed to the producer, so that flush() and
      // close() wait for a bundle that a timer or another caller is sending at that moment.
      synchronized (this) {
        unacknowledged++;
      }
      bundler.add(task, id, value, onFailure);
      return;
    }
    sent.incrementAndGet();
    send(taskRecord(task, id, key, value, chunk, replyTo, System.currentTimeMillis()), onFailure);
  }

  /** A task record of one item or chunk, keyed by {@code key}, else by its id. */
  private ProducerRecord<String, byte[]> taskRecord(
      Task<?, ?> task,
      String id,
      String key,
      byte[] value,
      int chunk,
      String replyTo,
      long submittedMillis) {
    RecordHeaders headers = headers(task, replyTo, submittedMillis);
    headers.add(HeaderNames.ID, utf8(id));
    TraceContext.current().ifPresent(trace -> headers.add(HeaderNames.TRACEPARENT, utf8(trace)));
    if (chunk > 0) {
      headers.add(HeaderNames.CHUNK, utf8(Integer.toString(chunk)));
    }
    return new ProducerRecord<>(taskTopic, null, key == null ? id : key, value, headers);
  }

  /**
   * Sends a bundle as one record, or its only member as a plain task record. Its deadline runs
   * from its first member's submission, the earliest of them.
   */
  private void bundle(Task<?, ?> task, List<TaskBundler.Member> members) {
    Consumer<Exception> failAll = e -> members.forEach(m -> m.onFailure().accept(e));
    try {
      ProducerRecord<String, byte[]> record;
      try {
        record = bundleRecord(task, members);
      } catch (RuntimeException e) {
        failAll.accept(e);
        throw e;
      }
      send(record, failAll);
    } finally {
      acknowledged(members.size()); // the record's own write is counted from here on
    }
  }

  private ProducerRecord<String, byte[]> bundleRecord(
      Task<?, ?> task, List<TaskBundler.Member> members) {
    TaskBundler.Member first = members.get(0);
    if (members.size() == 1) {
      return taskRecord(
          task, first.id(), null, first.value(), 0, replyTopic, first.submittedMillis());
    }
    RecordHeaders headers = headers(task, replyTopic, first.submittedMillis());
    headers.add(HeaderNames.BUNDLE, utf8(Integer.toString(members.size())));
    byte[] value =
        TaskBundle.encode(
            members.stream().map(m -> new TaskBundle.Member(m.id(), m.value())).toList());
    // No key: a bundle's tasks have ids of their own, and a null key spreads bundles over the
    // topic's partitions.
    return new ProducerRecord<>(taskTopic, null, (String) null, value, headers);
  }

  /** The headers every task record of {@code task} carries, apart from its id and chunk size. */
  private RecordHeaders headers(Task<?, ?> task, String replyTo, long submittedMillis) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(HeaderNames.TASK, utf8(task.name()));
    headers.add(HeaderNames.REPLY_TO, utf8(replyTo));
    if (!task.laterStages().isEmpty()) {
      headers.add(HeaderNames.THEN, utf8(Stage.encode(task.laterStages())));
    }
    headers.add(HeaderNames.ATTEMPT, utf8("1"));
    headers.add(HeaderNames.CLIENT, utf8(settings.clientId()));
    headers.add(HeaderNames.CONTENT_TYPE, utf8(task.contentType().mime()));
    task.retryPolicy()
        .ifPresent(
            policy -> {
              headers.add(
                  HeaderNames.RETRY_MAX_ATTEMPTS, utf8(Integer.toString(policy.maxAttempts())));
              headers.add(
                  HeaderNames.RETRY_BACKOFF, utf8(Long.toString(policy.backoff().toMillis())));
              headers.add(
                  HeaderNames.RETRY_BACKOFF_MAX,
                  utf8(Long.toString(policy.backoffMax().toMillis())));
            });
    if (settings.taskTimeout() != null) {
      long deadline = submittedMillis + settings.taskTimeout().toMillis();
      headers.add(HeaderNames.DEADLINE, utf8(Long.toString(deadline)));
    }
    return headers;
  }

  /** Journals a durable call on the handle's own reply topic. */
  void journal(JournalEntry entry, Runnable onFailure) {
    send(
        journalRecord(Journal.SUBMITTED, entry.id(), entry),
        e -> {
          LOG.warn(
              "task {} of pool {} is not durable: its journal record failed: {}",
              entry.id(),
              settings.pool(),
              e.toString());
          onFailure.run();
        });
  }

  /** Journals that {@code ids} were settled. Best effort: a lost record only means a repeat. */
  void settled(List<String> ids) {
    try {
      send(
          journalRecord(Journal.SETTLED, "settled", ids), e -> LOG.debug("settled record lost", e));
      // Not left to linger: a client killed in the meantime would get these outcomes again.
      // Only the producer is flushed: this runs on the reply listener's thread, which must not
      // send every open bundle early after each batch of replies.
      flusher.request();
    } catch (RuntimeException e) {
      LOG.debug("settled record not sent: {}", e.toString());
    }
  }

  private ProducerRecord<String, byte[]> journalRecord(String kind, String key, Object value) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(Journal.HEADER, utf8(kind));
    return new ProducerRecord<>(replyTopic, null, key, json(value), headers);
  }

  /**
   * Asks the pool's supervisors to cancel {@code taskIds}; waits up to {@code timeout} for the
   * write.
   */
  boolean cancel(List<String> taskIds, Duration timeout) {
    for (int i = 0; i < taskIds.size(); i += CANCEL_BATCH) {
      List<String> batch = taskIds.subList(i, Math.min(taskIds.size(), i + CANCEL_BATCH));
      ControlMessage message = ControlMessage.cancel(settings.pool(), batch, settings.clientId());
      send(
          new ProducerRecord<>(Topics.control(), settings.pool(), json(message)),
          e ->
              LOG.warn(
                  "cancel request of pool {} was not written: {}", settings.pool(), e.toString()));
    }
    return awaitWritten(timeout);
  }

  private void send(ProducerRecord<String, byte[]> record, Consumer<Exception> onFailure) {
    synchronized (this) {
      unacknowledged++;
    }
    try {
      producer.send(
          record,
          (metadata, e) -> {
            acknowledged();
            if (e != null) {
              onFailure.accept(e);
            }
          });
    } catch (RuntimeException e) {
      acknowledged();
      onFailure.accept(e);
      throw new KpoolException("could not send to " + record.topic() + ": " + e, e);
    }
  }

  private void acknowledged() {
    acknowledged(1);
  }

  private synchronized void acknowledged(int count) {
    unacknowledged -= count;
    notifyAll();
  }

  /** Waits up to {@code timeout} until every record sent so far is acknowledged or failed. */
  synchronized boolean awaitWritten(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (unacknowledged > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static byte[] json(Object value) {
    try {
      return ProtocolJson.mapper().writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
