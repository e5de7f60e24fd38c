package dev.kpool.client.internal;

import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this client's reply topic on one thread and hands each reply to the handler registered for
 * its task id. A reply whose id has no handler (a duplicate, or a task of an earlier run) is
 * dropped: that is what makes callbacks run at most once per task.
 *
 * <p>Handlers run on the listener thread and must only complete futures, never block.
 */
final class ReplyListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplyListener.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final Map<String, PendingReply> handlers = new ConcurrentHashMap<>();
  private final CountDownLatch positioned = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;

  ReplyListener(KafkaConsumer<String, byte[]> consumer, String topic, String clientId) {
    this.consumer = consumer;
    this.topic = topic;
    this.thread = new Thread(this::run, "kpool-replies-" + clientId);
    this.thread.setDaemon(true);
  }

  /** Starts reading and returns once the listener is positioned, so no reply can slip past it. */
  void start(Duration timeout) {
    thread.start();
    try {
      if (!positioned.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("reply listener on " + topic + " not ready in " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the reply listener", e);
    }
  }

  void expect(String taskId, PendingReply handler) {
    handlers.put(taskId, handler);
  }

  void forget(String taskId) {
    handlers.remove(taskId);
  }

  /** Removes and returns every handler still waiting, for failing them on close. */
  Map<String, PendingReply> drainHandlers() {
    Map<String, PendingReply> left = Map.copyOf(handlers);
    left.keySet().forEach(handlers::remove);
    return left;
  }

  private void run() {
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      var committed = consumer.committed(Set.copyOf(partitions));
      for (TopicPartition tp : partitions) {
        if (committed.get(tp) == null) {
          consumer.seekToEnd(List.of(tp));
        }
        consumer.position(tp); // resolves the lazy seek now, before any task is submitted
      }
      positioned.countDown();
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<String, byte[]> record : records) {
          dispatch(record);
        }
        if (!records.isEmpty()) {
          consumer.commitAsync();
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop
    } catch (RuntimeException e) {
      LOG.error("reply listener on {} stopped: {}", topic, e.toString(), e);
    } finally {
      try {
        consumer.commitSync(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.debug("final reply offset commit failed", e);
      }
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private void dispatch(ConsumerRecord<String, byte[]> record) {
    Reply reply;
    try {
      reply = ProtocolJson.mapper().readValue(record.value(), Reply.class);
    } catch (IOException | RuntimeException e) {
      LOG.warn("dropping malformed reply at {}-{}@{}: {}", record.topic(), record.partition(),
          record.offset(), e.toString());
      return;
    }
    PendingReply handler = reply.id() == null ? null : handlers.remove(reply.id());
    if (handler == null) {
      LOG.debug("no one waits for reply {} (duplicate or earlier run)", reply.id());
      return;
    }
    try {
      handler.complete(reply);
    } catch (RuntimeException e) {
      LOG.warn("reply handler for task {} failed: {}", reply.id(), e.toString(), e);
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
