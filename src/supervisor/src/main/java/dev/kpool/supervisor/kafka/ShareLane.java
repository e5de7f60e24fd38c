package dev.kpool.supervisor.kafka;

import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.Reply;
import dev.kpool.protocol.ReplyStatus;
import dev.kpool.protocol.Topics;
import dev.kpool.supervisor.config.PoolConfig;
import dev.kpool.supervisor.dispatch.Outcome;
import dev.kpool.supervisor.dispatch.ProcessPool;
import dev.kpool.supervisor.dispatch.TaskWork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * One share consumer feeding a pool, on its own thread. It takes a batch of task records, hands
 * them to the pool's workers, and acknowledges each record only once its outcome is durably
 * written: ACCEPT after a reply, REJECT after a dead letter, RELEASE when the task should run again
 * (its worker crashed, or the supervisor is stopping). A supervisor that dies holds nothing: the
 * broker hands unacknowledged records to other consumers when their locks expire.
 *
 * <p>In explicit mode a share consumer must acknowledge a whole batch before it polls again, so a
 * pool runs several lanes to keep its workers busy while one lane waits for its slowest task.
 */
public final class ShareLane implements Runnable {
  private static final Logger LOG = Logger.getLogger(ShareLane.class);

  private record InFlight(ConsumerRecord<String, byte[]> record, CompletableFuture<AcknowledgeType> ack) {}

  private final String pool;
  private final PoolConfig config;
  private final KafkaShareConsumer<String, byte[]> consumer;
  private final ProcessPool processes;
  private final ReplyWriter writer;
  private final Thread thread;
  private volatile boolean running = true;

  public ShareLane(String pool, int index, PoolConfig config, Map<String, Object> clientProperties,
      ProcessPool processes, ReplyWriter writer) {
    this.pool = pool;
    this.config = config;
    this.processes = processes;
    this.writer = writer;
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put("group.id", Topics.shareGroup(pool));
    props.put("share.acknowledgement.mode", "explicit");
    // Hold no more than asked: every held record's lock is ticking while it waits for a worker.
    props.put("share.acquire.mode", "record_limit");
    props.put("max.poll.records", config.maxPollRecords());
    props.putIfAbsent("client.id", "kpool-" + pool + "-lane-" + index);
    this.consumer = new KafkaShareConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.thread = new Thread(this, "kpool-lane-" + pool + "-" + index);
  }

  public void start() {
    thread.start();
  }

  /** Stops polling; the batch in hand is settled first. */
  public void stop() {
    running = false;
    consumer.wakeup();
  }

  /** Waits for the lane's thread to end. */
  public void await(Duration timeout) throws InterruptedException {
    thread.join(Math.max(1, timeout.toMillis()));
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(Topics.tasks(pool)));
      while (running) {
        ConsumerRecords<String, byte[]> records;
        try {
          records = consumer.poll(Duration.ofMillis(500));
        } catch (WakeupException e) {
          continue;
        }
        if (records.isEmpty()) {
          continue;
        }
        List<InFlight> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
          batch.add(new InFlight(record, handle(record)));
        }
        for (InFlight f : batch) {
          consumer.acknowledge(f.record(), f.ack().join());
        }
        consumer.commitAsync();
      }
    } catch (RuntimeException e) {
      LOG.errorf(e, "pool %s: share consumer lane failed; its records return to the queue", pool);
    } finally {
      commitBeforeClose();
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void commitBeforeClose() {
    // stop() may have left a wakeup pending, which the first blocking call consumes.
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        consumer.commitSync(Duration.ofSeconds(5));
        return;
      } catch (WakeupException e) {
        LOG.debug("wakeup consumed by the final commit; committing again");
      } catch (RuntimeException e) {
        LOG.warnf("pool %s: final acknowledgement commit failed (records return when their locks expire): %s",
            pool, e.toString());
        return;
      }
    }
  }

  private CompletableFuture<AcknowledgeType> handle(ConsumerRecord<String, byte[]> record) {
    int deliveries = record.deliveryCount().map(Short::intValue).orElse(1);
    String replyTo = TaskRecords.header(record.headers(), HeaderNames.REPLY_TO);
    TaskWork work;
    try {
      work = TaskRecords.parse(record, deliveries);
    } catch (MalformedTaskException e) {
      String id = TaskRecords.taskId(record);
      LOG.warnf("pool %s: malformed task %s: %s", pool, id, e.getMessage());
      RemoteError error = RemoteError.of(RemoteError.MALFORMED, e.getMessage());
      return deadLetter(record, replyTo, Reply.failed(id, ReplyStatus.ERROR, List.of(), error, 0, deliveries, 0),
          "malformed", deliveries);
    }
    return processes.submit(work).thenCompose(outcome -> settle(record, work, replyTo, outcome, deliveries));
  }

  private CompletableFuture<AcknowledgeType> settle(ConsumerRecord<String, byte[]> record, TaskWork work,
      String replyTo, Outcome outcome, int deliveries) {
    Reply reply = switch (outcome.kind()) {
      case OK -> Reply.ok(work.id(), outcome.results(), outcome.pid(), work.attempt(), outcome.elapsedMillis());
      case FAILED, CRASHED -> Reply.failed(work.id(), ReplyStatus.ERROR, outcome.results(), outcome.error(),
          outcome.pid(), work.attempt(), outcome.elapsedMillis());
      case TIMED_OUT -> Reply.failed(work.id(), ReplyStatus.TIMEOUT, outcome.results(), outcome.error(),
          outcome.pid(), work.attempt(), outcome.elapsedMillis());
      case CANCELLED -> Reply.failed(work.id(), ReplyStatus.CANCELLED, outcome.results(), outcome.error(),
          outcome.pid(), work.attempt(), outcome.elapsedMillis());
      case NOT_RUN -> null;
    };
    return switch (outcome.kind()) {
      case NOT_RUN -> CompletableFuture.completedFuture(AcknowledgeType.RELEASE);
      case CRASHED -> deliveries < config.maxAttempts()
          ? CompletableFuture.completedFuture(AcknowledgeType.RELEASE)
          : deadLetter(record, replyTo, reply, "crashed", deliveries);
      case TIMED_OUT -> deadLetter(record, replyTo, reply, "timed out", deliveries);
      case FAILED -> RemoteError.UNKNOWN_TASK.equals(outcome.error().type())
          ? deadLetter(record, replyTo, reply, "unknown task", deliveries)
          : replyThen(record, replyTo, reply, AcknowledgeType.ACCEPT, deliveries);
      case OK, CANCELLED -> replyThen(record, replyTo, reply, AcknowledgeType.ACCEPT, deliveries);
    };
  }

  /** Writes the reply (if anyone asked for one), then settles with {@code ack}. */
  private CompletableFuture<AcknowledgeType> replyThen(ConsumerRecord<String, byte[]> record, String replyTo,
      Reply reply, AcknowledgeType ack, int deliveries) {
    if (replyTo == null) {
      return CompletableFuture.completedFuture(ack);
    }
    return writer.reply(replyTo, reply).handle((ok, e) -> e).thenCompose(e -> {
      if (e == null) {
        return CompletableFuture.completedFuture(ack);
      }
      LOG.warnf("pool %s: cannot reply to %s for task %s: %s", pool, replyTo, reply.id(), e.toString());
      RemoteError error = RemoteError.of("kpool.ReplyFailed", "reply to " + replyTo + " failed: " + e.getMessage());
      return writer.deadLetter(pool, record, "reply failed", error, deliveries)
          .handle((ok, dlqError) -> dlqError == null ? AcknowledgeType.REJECT : AcknowledgeType.RELEASE);
    });
  }

  /** Writes the error reply and a dead letter, then REJECTs; RELEASEs if the dead letter cannot be written. */
  private CompletableFuture<AcknowledgeType> deadLetter(ConsumerRecord<String, byte[]> record, String replyTo,
      Reply reply, String reason, int deliveries) {
    CompletableFuture<Void> replied = replyTo == null
        ? CompletableFuture.completedFuture(null)
        : writer.reply(replyTo, reply).exceptionally(e -> {
            LOG.warnf("pool %s: cannot reply to %s for task %s: %s", pool, replyTo, reply.id(), e.toString());
            return null;
          });
    return replied
        .thenCompose(ignored -> writer.deadLetter(pool, record, reason, reply.error(), deliveries))
        .handle((ok, e) -> {
          if (e != null) {
            LOG.errorf("pool %s: cannot dead-letter task %s (%s); releasing it: %s", pool, reply.id(), reason, e);
            return AcknowledgeType.RELEASE;
          }
          LOG.warnf("pool %s: task %s dead-lettered: %s: %s", pool, reply.id(), reason, reply.error().message());
          return AcknowledgeType.REJECT;
        });
  }
}
