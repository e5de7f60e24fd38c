package dev.kpool.supervisor.kafka;

import dev.kpool.protocol.Topics;
import dev.kpool.supervisor.config.PoolConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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
 * pool runs several lanes to keep its workers busy while one lane waits for its slowest task or for
 * its next poll. A lane takes a new batch only while the pool's queue holds less than {@link
 * #QUEUE_HORIZON} of work: the records it holds keep their locks ticking while they wait, and a pool
 * of slow tasks must not hold more than it can start before those locks expire.
 */
public final class ShareLane implements Lane, Runnable {
  private static final Logger LOG = Logger.getLogger(ShareLane.class);

  private static final long COMMIT_EVERY_MILLIS = 100;

  /** How much queued work, at the pool's average task time, stops a lane from taking more. */
  static final Duration QUEUE_HORIZON = Duration.ofSeconds(1);

  private static final long ROOM_CHECK_MILLIS = 5;

  private record InFlight(ConsumerRecord<String, byte[]> record, AcknowledgeType ack) {}

  private final String pool;
  private final Map<String, Object> consumerProperties;
  // Built on the lane's own thread, so that a pool's lanes connect side by side, not one after
  // another on the thread that starts the supervisor.
  private volatile KafkaShareConsumer<String, byte[]> consumer;
  private final TaskSettler settler;
  private final Predicate<Duration> queuedWorkBelow;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param queuedWorkBelow whether the pool's queued jobs would take less than the given time to
   *     start (see {@code ProcessPool.queuedWorkBelow}); called on the lane's thread
   */
  public ShareLane(String pool, int index, PoolConfig config, Map<String, Object> clientProperties,
      TaskSettler settler, Predicate<Duration> queuedWorkBelow) {
    this.pool = pool;
    this.settler = settler;
    this.queuedWorkBelow = queuedWorkBelow;
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put("group.id", Topics.shareGroup(pool));
    props.put("share.acknowledgement.mode", "explicit");
    // A soft bound on records held at once (their locks tick while they wait for a worker). The
    // stricter share.acquire.mode=record_limit is left alone: its polling has had fixes as late
    // as 4.2 (KAFKA-19929), and the lock duration already covers a held batch.
    props.put("max.poll.records", config.maxPollRecords());
    props.putIfAbsent("client.id", "kpool-" + pool + "-lane-" + index);
    this.consumerProperties = Map.copyOf(props);
    this.thread = new Thread(this, "kpool-lane-" + pool + "-" + index);
  }

  public void start() {
    thread.start();
  }

  /** Stops polling; the batch in hand is settled first. */
  public void stop() {
    running = false;
    KafkaShareConsumer<String, byte[]> built = consumer;
    if (built != null) {
      built.wakeup();
    }
  }

  /** Waits for the lane's thread to end. */
  public void await(Duration timeout) throws InterruptedException {
    thread.join(Math.max(1, timeout.toMillis()));
  }

  @Override
  public void run() {
    try {
      consumer = new KafkaShareConsumer<>(consumerProperties, new StringDeserializer(), new ByteArrayDeserializer());
    } catch (RuntimeException e) {
      LOG.errorf(e, "pool %s: share consumer lane %s could not be created; it takes no tasks", pool, thread.getName());
      return;
    }
    try {
      consumer.subscribe(List.of(Topics.tasks(pool)));
      while (running) {
        awaitRoom();
        ConsumerRecords<String, byte[]> records;
        try {
          records = consumer.poll(Duration.ofMillis(500));
        } catch (WakeupException e) {
          continue;
        }
        if (records.isEmpty()) {
          continue;
        }
        settle(records);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warnf("pool %s: share consumer lane interrupted; its unsettled records return to the queue", pool);
    } catch (RuntimeException e) {
      LOG.errorf(e, "pool %s: share consumer lane failed; its records return to the queue", pool);
    } finally {
      commitBeforeClose();
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /**
   * Runs a batch and acknowledges each record as its outcome is written, in completion order,
   * sending the acknowledgements every {@value #COMMIT_EVERY_MILLIS} ms rather than once for the
   * whole batch: a supervisor killed mid-batch then leaves only its unfinished records to run again,
   * not the whole batch.
   */
  private void settle(ConsumerRecords<String, byte[]> records) throws InterruptedException {
    BlockingQueue<InFlight> settled = new LinkedBlockingQueue<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      int deliveries = record.deliveryCount().map(Short::intValue).orElse(1);
      settler.run(record, deliveries).whenComplete((verdict, e) -> settled.add(
          new InFlight(record, verdict == null ? AcknowledgeType.RELEASE : acknowledgement(verdict))));
    }
    long lastCommit = System.nanoTime();
    for (int left = records.count(); left > 0; ) {
      InFlight done = settled.poll(COMMIT_EVERY_MILLIS, TimeUnit.MILLISECONDS);
      for (; done != null; done = settled.poll()) {
        consumer.acknowledge(done.record(), done.ack());
        left--;
      }
      if (left > 0 && System.nanoTime() - lastCommit >= TimeUnit.MILLISECONDS.toNanos(COMMIT_EVERY_MILLIS)) {
        consumer.commitAsync();
        lastCommit = System.nanoTime();
      }
    }
    // The last acknowledgements ride on the next poll's fetch request (or go in awaitRoom()), which
    // saves the broker a request per batch.
  }

  /**
   * Waits while the pool's queue already holds {@link #QUEUE_HORIZON} of work, sending the
   * acknowledgements of the last batch first so that they do not wait with it.
   */
  private void awaitRoom() throws InterruptedException {
    if (queuedWorkBelow.test(QUEUE_HORIZON)) {
      return;
    }
    consumer.commitAsync();
    while (running && !queuedWorkBelow.test(QUEUE_HORIZON)) {
      TimeUnit.MILLISECONDS.sleep(ROOM_CHECK_MILLIS);
    }
  }

  private static AcknowledgeType acknowledgement(TaskSettler.Verdict verdict) {
    return switch (verdict) {
      case ACCEPT -> AcknowledgeType.ACCEPT;
      case REJECT -> AcknowledgeType.REJECT;
      case RELEASE -> AcknowledgeType.RELEASE;
    };
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

}
