package dev.kpool.supervisor.keyed;

import dev.kpool.protocol.Topics;
import dev.kpool.supervisor.config.PoolConfig;
import dev.kpool.supervisor.dispatch.ProcessPool;
import dev.kpool.supervisor.fault.TaskSettler;
import dev.kpool.supervisor.lane.Lane;
import dev.kpool.supervisor.lane.LoopRecovery;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Feeds a keyed pool: one that limits tasks per record key (in flight, and starts per second)
 * across all its supervisors. A share group lets any consumer take any record, so no single place
 * could count a key; here a classic consumer group gives each partition one owner, and since a key
 * always maps to one partition, its owner is the one place that counts it.
 *
 * <p>Tasks of different keys finish out of order, so each partition is committed only up to its
 * lowest unfinished offset. On losing a partition the lane waits for its running tasks before
 * letting go, so the next owner never runs a key beside them. One thread; completions from slot
 * threads are handed to it through a queue.
 */
public final class KeyedLane implements Lane, Runnable {
  private static final Logger LOG = Logger.getLogger(KeyedLane.class);
  private static final long POLL_MILLIS = 100;

  private record Pending(
      ConsumerRecord<String, byte[]> record, TopicPartition partition, int deliveries) {
    String key() {
      return record.key() != null
          ? record.key()
          : record.topic() + "-" + record.partition() + "@" + record.offset();
    }
  }

  private record Done(Pending pending, TaskSettler.Verdict verdict) {}

  private final String pool;
  private final PoolConfig config;
  private final TaskSettler settler;
  private final ProcessPool processes;
  private final Consumer<String, byte[]> consumer;
  private final LoopRecovery recovery;
  private final KeyGate<Pending> gate;
  private final Map<TopicPartition, OffsetTracker> trackers = new HashMap<>();
  private final Map<TopicPartition, Integer> running = new HashMap<>();
  private final LinkedBlockingQueue<Done> done = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean accepting = true;
  private volatile boolean waitingForRoom;

  public KeyedLane(
      String pool,
      PoolConfig config,
      Map<String, Object> clientProperties,
      TaskSettler settler,
      ProcessPool processes) {
    this(
        pool,
        config,
        new KafkaConsumer<>(
            properties(pool, config, clientProperties),
            new StringDeserializer(),
            new ByteArrayDeserializer()),
        settler,
        processes);
  }

  /** On a given consumer: Kafka's {@code MockConsumer} in tests. */
  KeyedLane(
      String pool,
      PoolConfig config,
      Consumer<String, byte[]> consumer,
      TaskSettler settler,
      ProcessPool processes) {
    this.pool = pool;
    this.config = config;
    this.settler = settler;
    this.processes = processes;
    this.gate =
        new KeyGate<>(
            config.keyConcurrency().orElse(Integer.MAX_VALUE),
            config.keyRate().orElse(Double.POSITIVE_INFINITY));
    this.consumer = consumer;
    this.recovery = new LoopRecovery("pool " + pool + ": keyed lane");
    this.thread = new Thread(this, "kpool-keyed-" + pool);
  }

  private static Map<String, Object> properties(
      String pool, PoolConfig config, Map<String, Object> clientProperties) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put("group.id", Topics.shareGroup(pool) + ".keyed");
    props.put("enable.auto.commit", false);
    props.put("auto.offset.reset", "earliest");
    props.put("max.poll.records", config.maxPollRecords());
    // The consumer rebalance protocol (KIP-848): the coordinator moves a partition to a new owner
    // only after the old owner's revocation callback has returned, one partition set at a time,
    // instead of a group-wide stop-the-world join in which an owner could be cut out unawares.
    props.putIfAbsent("group.protocol", "consumer");
    // Giving up a partition waits for its running tasks (see onPartitionsRevoked).
    props.put(
        "max.poll.interval.ms",
        (int) Math.min(Integer.MAX_VALUE, config.taskTimeout().toMillis() * 2 + 60_000));
    props.putIfAbsent("client.id", "kpool-" + pool + "-keyed");
    return props;
  }

  public void start() {
    thread.start();
  }

  /** Stops taking tasks; running ones settle and are committed first. */
  public void stop() {
    accepting = false;
    consumer.wakeup();
  }

  public void await(Duration timeout) throws InterruptedException {
    thread.join(Math.max(1, timeout.toMillis()));
  }

  /**
   * Runs passes until stopped. An error costs the pass and a pause (see {@link LoopRecovery}),
   * never the lane: the records it holds stay uncommitted and their tasks keep running.
   */
  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(Topics.tasks(pool)), new Rebalance());
      while (accepting) {
        try {
          pass();
          recovery.succeeded();
        } catch (WakeupException e) {
          // a completion or stop() cut a commit short; the next pass commits
        } catch (RuntimeException e) {
          recovery.failed(e, () -> accepting);
        }
      }
      settleRunning(config.drainTimeout(), running.keySet());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.errorf("pool %s: keyed lane interrupted; uncommitted tasks return to the group", pool);
    } catch (RuntimeException e) {
      LOG.errorf(e, "pool %s: keyed lane failed; uncommitted tasks return to the group", pool);
    } finally {
      try {
        commitBeforeHandOver();
      } catch (RuntimeException e) {
        LOG.warnf("pool %s: final commit failed: %s", pool, e.toString());
      }
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void pass() {
    try {
      long wait =
          Math.min(
              POLL_MILLIS,
              Math.max(
                  1, TimeUnit.NANOSECONDS.toMillis(gate.nanosUntilNextStart(System.nanoTime()))));
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(wait))) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        trackers.computeIfAbsent(tp, p -> new OffsetTracker()).taken(record.offset());
        Pending pending = new Pending(record, tp, 1);
        gate.offer(pending.key(), pending);
      }
    } catch (WakeupException e) {
      // a completion or stop() cut the poll short
    }
    applyDone();
    startReady();
    flowControl();
    commit(false);
  }

  private void startReady() {
    long now = System.nanoTime();
    // Hand over only what a worker takes at once: a limit holds at the start, not at a queue.
    for (Map.Entry<String, Pending> ready : gate.takeReady(now, processes.freeWorkers())) {
      Pending pending = ready.getValue();
      running.merge(pending.partition(), 1, Integer::sum);
      settler
          .run(pending.record(), pending.deliveries())
          .whenComplete(
              (verdict, e) -> {
                done.add(
                    new Done(pending, verdict == null ? TaskSettler.Verdict.RELEASE : verdict));
                if (waitingForRoom) {
                  consumer.wakeup();
                }
              });
    }
    waitingForRoom = gate.waiting() > 0;
    processes.reportBacklog(gate.startable(now));
  }

  private void applyDone() {
    Done d;
    while ((d = done.poll()) != null) {
      apply(d);
    }
  }

  private void apply(Done d) {
    Pending pending = d.pending();
    running.merge(pending.partition(), -1, Integer::sum);
    gate.release(pending.key());
    OffsetTracker tracker = trackers.get(pending.partition());
    if (tracker == null) {
      return; // the partition moved on; its new owner has it from the last commit
    }
    if (d.verdict() != TaskSettler.Verdict.RELEASE) {
      tracker.finished(pending.record().offset());
    } else if (accepting) {
      gate.offerFirst(
          pending.key(),
          new Pending(pending.record(), pending.partition(), pending.deliveries() + 1));
    } // else: left open, so it is redelivered to whoever owns the partition next
  }

  private void flowControl() {
    int held = gate.waiting() + running.values().stream().mapToInt(Integer::intValue).sum();
    if (held >= config.maxPollRecords() * 4) {
      consumer.pause(consumer.assignment());
    } else if (!consumer.paused().isEmpty()) {
      consumer.resume(consumer.paused());
    }
  }

  private void commit(boolean sync) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    trackers.forEach(
        (tp, tracker) -> {
          long offset = tracker.committable();
          if (offset >= 0) {
            offsets.put(tp, new OffsetAndMetadata(offset));
          }
        });
    if (offsets.isEmpty()) {
      return;
    }
    if (sync) {
      consumer.commitSync(offsets, Duration.ofSeconds(10));
      markCommitted(offsets);
    } else {
      markCommitted(offsets); // a failed async commit is retried by the next one
      consumer.commitAsync(
          offsets,
          (o, e) -> {
            if (e != null) {
              LOG.debugf("pool %s: commit failed, retried with the next: %s", pool, e.toString());
            }
          });
    }
  }

  private void markCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach(
        (tp, offset) -> {
          OffsetTracker tracker = trackers.get(tp);
          if (tracker != null) {
            tracker.committed(offset.offset());
          }
        });
  }

  /**
   * The commit a revocation owes before the partitions may move. A slot thread's wakeup (sent when
   * a task finishes) can land in it; it must not cut the hand-over short, so it is retried.
   */
  private void commitBeforeHandOver() {
    for (int attempt = 0; ; attempt++) {
      try {
        commit(true);
        return;
      } catch (WakeupException e) {
        if (attempt >= 2) {
          throw e;
        }
      }
    }
  }

  /** Waits (up to {@code timeout}) until no task of {@code partitions} runs, applying completions. */
  private void settleRunning(Duration timeout, Collection<TopicPartition> partitions) {
    long deadline =
        System.nanoTime() + Math.min(timeout.toNanos(), config.taskTimeout().toNanos() * 2);
    try {
      while (partitions.stream().anyMatch(tp -> running.getOrDefault(tp, 0) > 0)
          && System.nanoTime() < deadline) {
        Done d = done.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (d != null) {
          apply(d);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs on the lane thread, inside poll. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      gate.drop(p -> partitions.contains(p.partition()));
      settleRunning(config.drainTimeout(), partitions);
      commitBeforeHandOver();
      partitions.forEach(trackers::remove);
      LOG.infof("pool %s: gave up partitions %s", pool, partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        LOG.infof("pool %s: owns partitions %s", pool, partitions);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // Fenced out of the group: another owner may already run these keys, so stop starting them.
      gate.drop(p -> partitions.contains(p.partition()));
      partitions.forEach(trackers::remove);
      LOG.warnf(
          "pool %s: lost partitions %s without a hand-over (this lane was fenced); their"
              + " uncommitted tasks run again on the next owner",
          pool, partitions);
    }
  }
}
