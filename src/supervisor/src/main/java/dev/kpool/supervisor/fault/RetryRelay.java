package dev.kpool.supervisor.fault;

import dev.kpool.protocol.Topics;
import dev.kpool.supervisor.kafka.RecordWriter;
import dev.kpool.supervisor.kafka.TaskRecords;
import dev.kpool.supervisor.lane.Lane;
import dev.kpool.supervisor.lane.LoopRecovery;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
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
 * Moves due retries from a pool's retry topic back to its task topic, on its own thread. Every
 * supervisor of the pool runs one in the classic consumer group {@code kpool.<pool>.retry}, so each
 * retry partition has one relay. A partition whose head is not yet due is paused, so that nothing
 * (no worker, no share-group lock, no thread) waits on a backoff but this one small buffer.
 *
 * <p>A record's offset is committed only after its copy on the task topic is acknowledged. A relay
 * killed in between leaves it uncommitted, so the next owner relays it again: the task then runs
 * twice, and the client keeps the first reply by task id.
 */
public final class RetryRelay implements Lane, Runnable {
  private static final Logger LOG = Logger.getLogger(RetryRelay.class);
  private static final long MAX_POLL_MILLIS = 500;

  private final String pool;
  private final RecordWriter writer;
  private final LongSupplier clock;
  private final Consumer<String, byte[]> consumer;
  private final LoopRecovery recovery;
  private final DueRecords due = new DueRecords();
  private final Thread thread;
  private volatile boolean running = true;

  public RetryRelay(
      String pool, Map<String, Object> clientProperties, RecordWriter writer, LongSupplier clock) {
    this(
        pool,
        new KafkaConsumer<>(
            properties(pool, clientProperties),
            new StringDeserializer(),
            new ByteArrayDeserializer()),
        writer,
        clock);
  }

  /** On a given consumer: Kafka's {@code MockConsumer} in tests. */
  RetryRelay(
      String pool, Consumer<String, byte[]> consumer, RecordWriter writer, LongSupplier clock) {
    this.pool = pool;
    this.writer = writer;
    this.clock = clock;
    this.consumer = consumer;
    this.recovery = new LoopRecovery("pool " + pool + ": retry relay");
    this.thread = new Thread(this, "kpool-retry-" + pool);
  }

  private static Map<String, Object> properties(String pool, Map<String, Object> clientProperties) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put("group.id", Topics.retryGroup(pool));
    props.put("enable.auto.commit", false);
    props.put("auto.offset.reset", "earliest");
    props.put("max.poll.records", 500);
    props.putIfAbsent("client.id", "kpool-" + pool + "-retry-relay");
    return props;
  }

  @Override
  public void start() {
    thread.start();
  }

  @Override
  public void stop() {
    running = false;
    consumer.wakeup();
  }

  @Override
  public void await(Duration timeout) throws InterruptedException {
    thread.join(Math.max(1, timeout.toMillis()));
  }

  /**
   * Relays until stopped. An error costs the pass and a pause (see {@link LoopRecovery}), never the
   * relay: a pool whose relay died would park every retry for good.
   */
  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(Topics.retries(pool)), new Rebalance());
      while (running) {
        long wait = Math.max(1, Math.min(MAX_POLL_MILLIS, due.millisUntilNext(clock.getAsLong())));
        try {
          consumer.poll(Duration.ofMillis(wait)).forEach(due::add);
          relayDue();
          flowControl();
          recovery.succeeded();
        } catch (WakeupException e) {
          // stop() asked us to end: the loop condition says so
        } catch (RuntimeException e) {
          recovery.failed(e, () -> running);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.errorf(
          "pool %s: retry relay interrupted; uncommitted retries are relayed by the next owner",
          pool);
    } catch (RuntimeException e) {
      LOG.errorf(
          e,
          "pool %s: retry relay failed; uncommitted retries are relayed by the next owner",
          pool);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void relayDue() {
    Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> ready =
        due.takeDue(clock.getAsLong());
    if (ready.isEmpty()) {
      return;
    }
    Map<TopicPartition, List<CompletableFuture<Void>>> sends = new HashMap<>();
    ready.forEach(
        (tp, records) -> sends.put(tp, records.stream().map(r -> writer.relay(pool, r)).toList()));
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    ready.forEach(
        (tp, records) -> {
          List<CompletableFuture<Void>> written = sends.get(tp);
          for (int i = 0; i < records.size(); i++) {
            try {
              written.get(i).join();
              offsets.put(tp, new OffsetAndMetadata(records.get(i).offset() + 1));
            } catch (CompletionException e) {
              // Later records of the partition may have been written too; refetching from here
              // repeats
              // them, which a task survives (replies are de-duplicated) and a lost retry would not.
              LOG.warnf(
                  "pool %s: cannot relay retry of %s; trying again: %s",
                  pool, TaskRecords.taskId(records.get(i)), e.getCause());
              consumer.seek(tp, records.get(i).offset());
              due.drop(List.of(tp));
              break;
            }
          }
        });
    if (!offsets.isEmpty()) {
      try {
        consumer.commitSync(offsets, Duration.ofSeconds(10));
      } catch (WakeupException e) {
        consumer.commitSync(offsets, Duration.ofSeconds(10)); // stop() raced the commit; finish it
      } catch (RuntimeException e) {
        LOG.warnf(
            "pool %s: retry offsets not committed; those retries may run twice: %s",
            pool, e.toString());
      }
    }
  }

  /** Fetches only partitions with nothing waiting: a waiting head blocks its partition anyway. */
  private void flowControl() {
    Set<TopicPartition> holding = due.holding();
    Set<TopicPartition> resume = new HashSet<>(consumer.paused());
    resume.removeAll(holding);
    if (!resume.isEmpty()) {
      consumer.resume(resume);
    }
    Set<TopicPartition> pause = new HashSet<>(holding);
    pause.retainAll(consumer.assignment());
    pause.removeAll(consumer.paused());
    if (!pause.isEmpty()) {
      consumer.pause(pause);
    }
  }

  /** Runs on the relay thread, inside poll. Everything relayed is already committed. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      due.drop(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      due.drop(partitions);
    }
  }
}
