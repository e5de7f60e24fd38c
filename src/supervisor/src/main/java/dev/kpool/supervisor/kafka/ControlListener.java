package dev.kpool.supervisor.kafka;

import dev.kpool.protocol.ControlMessage;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.Topics;
import dev.kpool.supervisor.lane.LoopRecovery;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads the control topic on one thread and hands each message to the pool it names. No consumer
 * group: every supervisor reads every message, from the moment it starts (a cancellation sent
 * before a supervisor existed concerns tasks it cannot hold).
 */
public final class ControlListener implements Runnable, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ControlListener.class);

  private final org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
  private final LoopRecovery recovery = new LoopRecovery("control listener");
  private final Map<String, Consumer<ControlMessage>> pools;
  private final Thread thread = new Thread(this, "kpool-control");
  private volatile boolean running = true;

  /** @param pools handler per pool name, called on the listener thread; must not block */
  public ControlListener(
      Map<String, Object> clientProperties, Map<String, Consumer<ControlMessage>> pools) {
    this(
        new KafkaConsumer<>(
            properties(clientProperties), new StringDeserializer(), new ByteArrayDeserializer()),
        pools);
  }

  private static Map<String, Object> properties(Map<String, Object> clientProperties) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.remove("group.id");
    props.put("enable.auto.commit", false);
    props.putIfAbsent("client.id", "kpool-supervisor-control");
    return props;
  }

  /** On a given consumer: Kafka's {@code MockConsumer} in tests. */
  ControlListener(
      org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer,
      Map<String, Consumer<ControlMessage>> pools) {
    this.consumer = consumer;
    this.pools = Map.copyOf(pools);
    thread.setDaemon(true);
  }

  public void start() {
    List<TopicPartition> partitions =
        consumer.partitionsFor(Topics.control()).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(
        consumer::position); // fix the start now: messages sent after start() are seen
    thread.start();
  }

  /**
   * Polls until closed. An error costs the pass and a pause (see {@link LoopRecovery}), never the
   * listener: a supervisor that stopped reading the control topic would miss every later cancel.
   */
  @Override
  public void run() {
    try {
      while (running) {
        try {
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            dispatch(record);
          }
          recovery.succeeded();
        } catch (WakeupException e) {
          // close() asked us to stop: the loop condition says so
        } catch (InvalidOffsetException e) {
          consumer.seekToEnd(
              e.partitions()); // a cancel is for tasks still running: read on from now
        } catch (RuntimeException e) {
          recovery.failed(e, () -> running);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.errorf("control listener interrupted: cancellations will not reach this supervisor");
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void dispatch(ConsumerRecord<String, byte[]> record) {
    ControlMessage message;
    try {
      message = ProtocolJson.mapper().readValue(record.value(), ControlMessage.class);
    } catch (IOException | RuntimeException e) {
      LOG.warnf(
          "ignoring malformed control record at offset %d: %s", record.offset(), e.toString());
      return;
    }
    Consumer<ControlMessage> pool = message.pool() == null ? null : pools.get(message.pool());
    if (pool != null && message.kind() != null) {
      LOG.infof(
          "pool %s: %s of %d task(s) from client %s",
          message.pool(), message.kind(), message.taskIds().size(), message.clientId());
      pool.accept(message);
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
