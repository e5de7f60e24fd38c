package dev.kpool.supervisor.history;

import dev.kpool.protocol.ProtocolJson;
import dev.kpool.supervisor.PoolRunner;
import dev.kpool.supervisor.Supervisor;
import dev.kpool.supervisor.dispatch.Outcome;
import dev.kpool.supervisor.dispatch.PoolStats;
import dev.kpool.supervisor.kafka.KafkaConnection;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * The dashboard's history, kept in Kafka so that it outlives the supervisor: every {@link
 * HistoryBook#STEP} this supervisor writes each pool's totals to {@code kpool.events} (and once
 * more after draining, when it stops), and a reader thread reads the whole topic back into a
 * {@link HistoryBook}, its own snapshots and every other supervisor's, from the start. History is
 * for people: if Kafka refuses it, the supervisor serves on without it and logs why (a WARN when
 * writes start failing and once a minute while they go on, see {@link SnapshotWriteFailures}).
 */
@ApplicationScoped
public class SupervisorHistory {
  private static final Logger LOG = Logger.getLogger(SupervisorHistory.class);

  private final Supervisor supervisor;
  private final KafkaConnection kafka;
  private final HistoryBook book = new HistoryBook();
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final long started = System.currentTimeMillis();
  private final ScheduledExecutorService writer =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "kpool-events-writer");
            thread.setDaemon(true);
            return thread;
          });
  private final SnapshotWriteFailures failures = new SnapshotWriteFailures();
  // Set on the startup thread; used by the writer, the reader and the shutdown thread.
  private volatile KafkaProducer<String, byte[]> producer;
  private volatile KafkaConsumer<String, byte[]> consumer;

  SupervisorHistory(Supervisor supervisor, KafkaConnection kafka) {
    this.supervisor = supervisor;
    this.kafka = kafka;
  }

  // After Supervisor.onStart (default priority), which builds the pools.
  void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 700) StartupEvent event) {
    Map<String, Object> props = kafka.clientProperties();
    try {
      EventsTopic.ensure(props);
    } catch (IllegalStateException e) {
      LOG.errorf("no dashboard history, it will start from zero: %s", e.getMessage());
      return;
    }
    Map<String, Object> producerProps = new HashMap<>(props);
    producerProps.put("client.id", "kpool-events-writer");
    producerProps.put("max.block.ms", 5_000);
    producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
    Map<String, Object> consumerProps = new HashMap<>(props);
    consumerProps.remove("group.id");
    consumerProps.put("enable.auto.commit", false);
    consumerProps.put("client.id", "kpool-events-reader");
    consumer =
        new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
    Thread reader = new Thread(this::read, "kpool-events-reader");
    reader.setDaemon(true);
    reader.start();
    writer.scheduleAtFixedRate(this::write, 0, HistoryBook.STEP.toMillis(), TimeUnit.MILLISECONDS);
  }

  // After Supervisor.onStop (default priority), so the last snapshot holds the drained tasks.
  void stop(@Observes @Priority(Interceptor.Priority.APPLICATION + 700) ShutdownEvent event) {
    if (producer == null) {
      return;
    }
    writer.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    write();
    producer.close(Duration.ofSeconds(5));
    consumer.wakeup();
  }

  /** The pool's history as read back so far. */
  public PoolHistory history(String pool) {
    return book.history(pool, System.currentTimeMillis());
  }

  private void write() {
    KafkaProducer<String, byte[]> producer = this.producer;
    long now = System.currentTimeMillis();
    for (PoolRunner pool : supervisor.pools()) {
      PoolStats stats = pool.processes().stats();
      Map<String, Long> tasks = new HashMap<>();
      for (Outcome.Kind kind : Outcome.Kind.values()) {
        // A task not run goes back to Kafka and ends elsewhere: counting it would count it twice.
        if (kind != Outcome.Kind.NOT_RUN) {
          tasks.put(kind.name(), stats.tasks(kind));
        }
      }
      PoolSnapshot snapshot =
          new PoolSnapshot(pool.name(), run, started, now, tasks, stats.taskMillis());
      try {
        producer.send(
            new ProducerRecord<>(
                EventsTopic.NAME,
                0,
                snapshot.key(),
                ProtocolJson.mapper().writeValueAsBytes(snapshot)),
            (metadata, e) -> {
              if (e == null) {
                failures.succeeded();
              } else {
                notWritten(pool.name(), e);
              }
            });
      } catch (IOException | RuntimeException e) {
        notWritten(pool.name(), e);
      }
    }
  }

  private void notWritten(String pool, Exception e) {
    if (failures.failed(System.currentTimeMillis())) {
      LOG.warnf(
          "pool %s: snapshot not written to %s, the dashboard's history has a gap until Kafka takes "
              + "one again (further failures at DEBUG, a WARN a minute): %s",
          pool, EventsTopic.NAME, e.toString());
    } else {
      LOG.debugf("pool %s: snapshot not written to %s: %s", pool, EventsTopic.NAME, e.toString());
    }
  }

  private void read() {
    TopicPartition partition = new TopicPartition(EventsTopic.NAME, 0);
    KafkaConsumer<String, byte[]> events = consumer;
    try (events) {
      events.assign(List.of(partition));
      events.seekToBeginning(List.of(partition));
      while (true) {
        for (ConsumerRecord<String, byte[]> record : events.poll(Duration.ofSeconds(1))) {
          if (record.value() == null) {
            continue;
          }
          try {
            PoolSnapshot snapshot =
                ProtocolJson.mapper().readValue(record.value(), PoolSnapshot.class);
            if (!book.add(snapshot, System.currentTimeMillis())) {
              LOG.debugf(
                  "skipping a record of %s without pool or run at offset %d",
                  EventsTopic.NAME, record.offset());
            }
          } catch (IOException | RuntimeException e) {
            // One bad record must not end the reading: the topic keeps it, so every restart would
            // stop there.
            LOG.debugf(
                "skipping an unreadable record of %s at offset %d: %s",
                EventsTopic.NAME, record.offset(), e);
          }
        }
      }
    } catch (WakeupException e) {
      // Stopping.
    } catch (RuntimeException e) {
      LOG.errorf(
          "stopped reading %s, the dashboard's history stops here: %s",
          EventsTopic.NAME, e.toString());
    }
  }
}
