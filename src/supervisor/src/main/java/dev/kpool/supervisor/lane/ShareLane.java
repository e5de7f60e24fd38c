package dev.kpool.supervisor.lane;

import dev.kpool.protocol.Topics;
import dev.kpool.supervisor.config.PoolConfig;
import dev.kpool.supervisor.fault.TaskSettler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * One share consumer feeding a pool, on its own thread. It takes a batch of task records, hands
 * them to the pool's workers, and acknowledges each record only once its outcome is durably
 * written: ACCEPT after a reply, REJECT after a dead letter, RELEASE when the task should run again
 * (its worker crashed, or the supervisor is stopping). A supervisor that dies holds nothing for
 * long: the broker hands unacknowledged records to other consumers when their locks expire.
 *
 * <p>Locks are short (the pool's {@code record-lock}, within what a stock broker allows) and the
 * lane renews the lock of every record whose task still runs or waits for a worker every third of
 * the lock the broker granted, with {@link AcknowledgeType#RENEW} (see {@link HeldRecords}). So a
 * task may run for hours while a dead supervisor's records come back within one lock.
 *
 * <p>In explicit mode a share consumer must acknowledge a whole batch before it polls again, so a
 * pool runs several lanes to keep its workers busy while one lane waits for its slowest task or for
 * its next poll. A lane takes a new batch only while the pool's queue holds less than {@link
 * #QUEUE_HORIZON} of work, so that a pool of slow tasks does not hold records it cannot start.
 *
 * <p>A Kafka error does not end the lane: it logs it, closes its consumer (the records it held go
 * back to the group), backs off and builds a new consumer, until it is stopped.
 */
public final class ShareLane implements Lane, Runnable {
  private static final Logger LOG = Logger.getLogger(ShareLane.class);

  private static final long COMMIT_EVERY_MILLIS = 100;

  /** How much queued work, at the pool's average task time, stops a lane from taking more. */
  static final Duration QUEUE_HORIZON = Duration.ofSeconds(1);

  private static final long ROOM_CHECK_MILLIS = 5;

  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

  /**
   * How long a poll waits until the lane has its partitions, so that {@link #joined()} completes
   * within a few milliseconds of the assignment rather than at the end of a long poll.
   */
  private static final Duration JOIN_POLL = Duration.ofMillis(20);

  /** How long one poll for renewed records waits; the broker answers a renewal in milliseconds. */
  private static final Duration RENEWAL_POLL = Duration.ofMillis(100);

  private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private record InFlight(ConsumerRecord<String, byte[]> record, AcknowledgeType ack) {}

  /** Runs a task record to its verdict: {@link TaskSettler#run} outside tests. */
  @FunctionalInterface
  interface Settle {
    CompletableFuture<TaskSettler.Verdict> run(
        ConsumerRecord<String, byte[]> record, int deliveries);
  }

  private final String pool;
  private final String topic;
  // Called on the lane's own thread, so that a pool's lanes connect side by side, not one after
  // another on the thread that starts the supervisor.
  private final Supplier<ShareConsumer<String, byte[]>> consumers;
  private volatile ShareConsumer<String, byte[]> consumer;
  private final Settle settle;
  private final Predicate<Duration> queuedWorkBelow;
  private final Duration recordLock;
  private final Duration firstBackoff;
  private final Thread thread;
  private final CompletableFuture<Void> joined = new CompletableFuture<>();
  private volatile boolean running = true;

  /** When the lane last polled for a batch (System.nanoTime()); lane thread only. */
  private long lastBatchPoll = System.nanoTime();

  /**
   * @param recordLock the lock the pool's share group was set up with; the lane renews every third
   *     of the lock the broker reports granting, or of this until it reports one
   * @param queuedWorkBelow whether the pool's queued jobs would take less than the given time to
   *     start (see {@code ProcessPool.queuedWorkBelow}); called on the lane's thread
   */
  public ShareLane(
      String pool,
      int index,
      PoolConfig config,
      Map<String, Object> clientProperties,
      TaskSettler settler,
      Predicate<Duration> queuedWorkBelow) {
    this(
        pool,
        "kpool-lane-" + pool + "-" + index,
        consumerFactory(pool, index, config, clientProperties),
        settler::run,
        queuedWorkBelow,
        config.recordLock(),
        FIRST_BACKOFF);
  }

  ShareLane(
      String pool,
      String threadName,
      Supplier<ShareConsumer<String, byte[]>> consumers,
      Settle settle,
      Predicate<Duration> queuedWorkBelow,
      Duration recordLock,
      Duration firstBackoff) {
    this.pool = pool;
    this.topic = Topics.tasks(pool);
    this.consumers = consumers;
    this.settle = settle;
    this.queuedWorkBelow = queuedWorkBelow;
    this.recordLock = recordLock;
    this.firstBackoff = firstBackoff;
    this.thread = new Thread(this, threadName);
  }

  private static Supplier<ShareConsumer<String, byte[]>> consumerFactory(
      String pool, int index, PoolConfig config, Map<String, Object> clientProperties) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put("group.id", Topics.shareGroup(pool));
    props.put("share.acknowledgement.mode", "explicit");
    // A soft bound on records held at once. The stricter share.acquire.mode=record_limit is left
    // alone: its polling has had fixes as late as 4.2 (KAFKA-19929).
    props.put("max.poll.records", config.maxPollRecords());
    props.putIfAbsent("client.id", "kpool-" + pool + "-lane-" + index);
    Map<String, Object> frozen = Map.copyOf(props);
    return () ->
        new KafkaShareConsumer<>(frozen, new StringDeserializer(), new ByteArrayDeserializer());
  }

  public void start() {
    thread.start();
  }

  /**
   * Completes once the lane's consumer has been assigned partitions (or has fetched records), so
   * that a task sent from then on is fetched at once; also when the lane ends without that.
   */
  @Override
  public CompletableFuture<Void> joined() {
    return joined;
  }

  /** Stops polling; the batch in hand is settled first. */
  public void stop() {
    running = false;
    ShareConsumer<String, byte[]> built = consumer;
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
    Duration backoff = firstBackoff;
    try {
      while (running) {
        try {
          if (consumer == null) {
            consumer = consumers.get();
            consumer.subscribe(List.of(topic));
          }
          awaitRoom();
          ConsumerRecords<String, byte[]> records =
              consumer.poll(joined.isDone() ? POLL_TIMEOUT : JOIN_POLL);
          if (!joined.isDone() && (!records.isEmpty() || assigned(consumer))) {
            joined.complete(null);
          }
          long polledAt = System.nanoTime();
          boolean mayBeStale = polledAt - lastBatchPoll > renewEveryNanos();
          lastBatchPoll = polledAt;
          backoff = firstBackoff;
          if (!records.isEmpty()) {
            settle(mayBeStale ? relocked(records) : records);
          }
        } catch (WakeupException e) {
          // stop() woke a poll; the loop condition decides
        } catch (RuntimeException e) {
          LOG.errorf(
              e,
              "pool %s: share consumer lane %s failed; the records it held return to the "
                  + "queue; it starts again in %s",
              pool,
              thread.getName(),
              backoff);
          discardConsumer();
          pause(backoff);
          backoff =
              backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                  ? MAX_BACKOFF
                  : backoff.multipliedBy(2);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warnf(
          "pool %s: share consumer lane interrupted; its unsettled records return to the queue",
          pool);
    } finally {
      joined.complete(null);
      if (consumer != null) {
        commitBeforeClose();
        consumer.close(Duration.ofSeconds(5));
      }
    }
  }

  /**
   * Whether {@code consumer} has reconciled a partition assignment: a share consumer has no {@code
   * assignment()}, but it counts each one it completes in {@code rebalance-total}.
   */
  static boolean assigned(ShareConsumer<?, ?> consumer) {
    for (var metric : consumer.metrics().entrySet()) {
      MetricName name = metric.getKey();
      if ("rebalance-total".equals(name.name())
          && "consumer-share-coordinator-metrics".equals(name.group())) {
        return metric.getValue().metricValue() instanceof Double total && total >= 1;
      }
    }
    return false;
  }

  private long renewEveryNanos() {
    ShareConsumer<String, byte[]> current = consumer;
    long lockMillis =
        current == null
            ? recordLock.toMillis()
            : current
                .acquisitionLockTimeoutMs()
                .map(Integer::longValue)
                .orElse(recordLock.toMillis());
    return TimeUnit.MILLISECONDS.toNanos(lockMillis) / 3;
  }

  /**
   * The records of a batch that may have waited in the consumer's buffer since the lane's last
   * batch poll (the consumer fetches ahead while the lane runs a batch, and the broker's lock
   * ticks meanwhile), renewed before any of them starts: a record whose lock lapsed is refused
   * renewal and does not come back, so the lane never runs a record the group has handed on.
   * Records a poll returns that were not renewed here are new, hence freshly locked, and kept.
   */
  private List<ConsumerRecord<String, byte[]>> relocked(ConsumerRecords<String, byte[]> records) {
    // The last batch's verdicts may still wait to ride on a request: not on this one.
    commitVerdicts();
    Map<HeldRecords.Key, ConsumerRecord<String, byte[]>> waiting = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      consumer.acknowledge(record, AcknowledgeType.RENEW);
      waiting.put(HeldRecords.Key.of(record), record);
    }
    int asked = waiting.size();
    List<ConsumerRecord<String, byte[]>> back = new ArrayList<>();
    long deadline = System.nanoTime() + Math.min(renewEveryNanos(), TimeUnit.SECONDS.toNanos(5));
    // One poll that returns records ends it: polling again would need them acknowledged first.
    while (back.isEmpty() && System.nanoTime() < deadline) {
      try {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(RENEWAL_POLL)) {
          waiting.remove(HeldRecords.Key.of(record));
          back.add(record);
        }
      } catch (WakeupException e) {
        // stop() woke it; what comes back is still settled as usual
      }
    }
    if (!waiting.isEmpty()) {
      LOG.infof(
          "pool %s: %d of %d records that waited in the consumer's buffer were not relocked; "
              + "the group hands them on",
          pool, waiting.size(), asked);
    }
    return back;
  }

  /**
   * Runs a batch and acknowledges each record as its outcome is written, in completion order,
   * sending the acknowledgements every {@value #COMMIT_EVERY_MILLIS} ms rather than once for the
   * whole batch: a supervisor killed mid-batch then leaves only its unfinished records to run again,
   * not the whole batch. Every third of a lock it renews the locks of the records not settled yet.
   */
  private void settle(Iterable<ConsumerRecord<String, byte[]>> records)
      throws InterruptedException {
    HeldRecords held = new HeldRecords(consumer);
    BlockingQueue<InFlight> settled = new LinkedBlockingQueue<>();
    records.forEach(record -> start(record, held, settled));
    long lockNanos =
        TimeUnit.MILLISECONDS.toNanos(
            consumer
                .acquisitionLockTimeoutMs()
                .map(Integer::longValue)
                .orElse(recordLock.toMillis()));
    long renewEvery = lockNanos / 3;
    long nextRenewal = System.nanoTime() + renewEvery;
    long lastCommit = System.nanoTime();
    while (!held.done()) {
      drain(settled.poll(COMMIT_EVERY_MILLIS, TimeUnit.MILLISECONDS), settled, held);
      long now = System.nanoTime();
      if (now >= nextRenewal || held.onlyReturnsLeft()) {
        if (now >= nextRenewal) {
          // Verdicts go in a request of their own: sent beside renewals, accepts were lost and
          // their records ran again once the lock lapsed (seen on 4.2.1 in ScaleOutIT).
          commitVerdicts();
          held.renewOpen(now);
          nextRenewal = now + renewEvery;
        }
        awaitRenewed(held, settled, Math.min(renewEvery, TimeUnit.SECONDS.toNanos(5)));
        held.expire(System.nanoTime(), lockNanos);
        lastCommit = System.nanoTime();
      } else if (!held.done()
          && now - lastCommit >= TimeUnit.MILLISECONDS.toNanos(COMMIT_EVERY_MILLIS)) {
        consumer.commitAsync();
        lastCommit = now;
      }
    }
    // The last acknowledgements ride on the next poll's fetch request (or go in awaitRoom()), which
    // saves the broker a request per batch.
  }

  private void start(
      ConsumerRecord<String, byte[]> record, HeldRecords held, BlockingQueue<InFlight> settled) {
    held.add(record);
    int deliveries = record.deliveryCount().map(Short::intValue).orElse(1);
    settle
        .run(record, deliveries)
        .whenComplete(
            (verdict, e) ->
                settled.add(
                    new InFlight(
                        record,
                        verdict == null ? AcknowledgeType.RELEASE : acknowledgement(verdict))));
  }

  private static void drain(InFlight first, BlockingQueue<InFlight> settled, HeldRecords held) {
    for (InFlight done = first; done != null; done = settled.poll()) {
      held.settle(done.record(), done.ack());
    }
  }

  /**
   * Polls, which sends the renewals, until the renewed records come back or {@code boundNanos}
   * passes. Polls only while every returned record is acknowledged, as explicit mode demands; a
   * record not back yet comes back with a later poll. Verdicts reached meanwhile wait for the
   * settle loop, so that no verdict rides with a renewal.
   */
  private void awaitRenewed(HeldRecords held, BlockingQueue<InFlight> settled, long boundNanos) {
    long deadline = System.nanoTime() + boundNanos;
    while (held.awaitingRenewals() && held.mayPoll() && System.nanoTime() < deadline) {
      try {
        held.collect(consumer.poll(RENEWAL_POLL), record -> start(record, held, settled));
      } catch (WakeupException e) {
        // stop() wants the lane to end after this batch, which still needs its renewals
      }
    }
  }

  /** Sends the acknowledgements made so far and waits for the broker to take them. */
  private void commitVerdicts() {
    try {
      consumer.commitSync(Duration.ofSeconds(5));
    } catch (WakeupException e) {
      // stop() woke it; the verdicts go with the next request
    }
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

  /** Sleeps up to {@code backoff}, ending early once the lane is stopped. */
  private void pause(Duration backoff) throws InterruptedException {
    long deadline = System.nanoTime() + backoff.toNanos();
    while (running && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(
          Math.min(50, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
    }
  }

  private void discardConsumer() {
    ShareConsumer<String, byte[]> failed = consumer;
    consumer = null;
    if (failed != null) {
      try {
        failed.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.debugf("pool %s: closing a failed share consumer: %s", pool, e);
      }
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
        LOG.warnf(
            "pool %s: final acknowledgement commit failed (records return when their locks expire): %s",
            pool, e.toString());
        return;
      }
    }
  }
}
