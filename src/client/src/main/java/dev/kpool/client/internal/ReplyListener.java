package dev.kpool.client.internal;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.kpool.client.KpoolException;
import dev.kpool.protocol.LoopBackoff;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this client's reply topic on one thread and hands each reply to the handler registered for
 * its task id. The first reply for a task removes its handler; a second finds none and is dropped,
 * which is what makes callbacks run at most once per task. Replies of follow-up tasks go to the
 * tree their reply names, which de-duplicates them itself. Replies nobody in this run waits for go
 * to the {@link Journal} of a durable client, which holds them for re-attaching.
 *
 * <p>Handlers run on the listener thread and must only complete futures, never block or run user
 * code.
 *
 * <p>The listener outlives transient Kafka errors: a broker that is away for minutes costs retried
 * polls with a growing pause (up to 5 s), not the listener. A fatal error (one Kafka does not call
 * retriable, such as a denied authorization) stops it for good: every handle still waiting then
 * fails with a {@link KpoolException} that names the cause, and so does every later submission.
 */
final class ReplyListener implements AutoCloseable {
  /** Resolved once: a reply topic carries every reply of the client. */
  private static final ObjectReader REPLY_READER = ProtocolJson.mapper().readerFor(Reply.class);

  private static final Logger LOG = LoggerFactory.getLogger(ReplyListener.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final Consumer<String, byte[]> consumer;
  private final String topic;
  private final Journal journal;
  private final Map<String, PendingReply> handlers = new ConcurrentHashMap<>();
  private final Map<String, TreeCall> trees = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final AtomicLong read = new AtomicLong();
  private final AtomicLong ignored = new AtomicLong();
  private final Thread thread;
  private final java.util.function.Consumer<KpoolException> onFatal;
  private final LoopBackoff backoff;
  private volatile boolean running = true;
  private volatile KpoolException failure;
  private TopicPartition partition;
  private long committed = -1;

  /**
   * @param journal the durable client's journal, or {@code null} for a client with a random id
   * @param onFatal called once, on the listener thread, if the listener stops for good before it
   *     is closed; it fails what waits for replies (handles, trees, re-attached tasks)
   */
  ReplyListener(
      Consumer<String, byte[]> consumer,
      String topic,
      String clientId,
      Journal journal,
      java.util.function.Consumer<KpoolException> onFatal) {
    this.onFatal = onFatal;
    this.backoff = new LoopBackoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    this.consumer = consumer;
    this.topic = topic;
    this.journal = journal;
    this.thread = new Thread(this::run, "kpool-replies-" + clientId);
    this.thread.setDaemon(true);
  }

  /**
   * Starts reading and returns once the listener is positioned (and a durable client's journal is
   * read up to the end), so that no reply can slip past it.
   *
   * @throws KpoolException if that does not happen within {@code timeout}
   */
  void start(Duration timeout) {
    thread.start();
    try {
      ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      close();
      throw new KpoolException("reply listener on " + topic + " not ready within " + timeout);
    } catch (ExecutionException e) {
      throw new KpoolException(
          "reply listener on " + topic + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new KpoolException("interrupted while starting the reply listener", e);
    }
  }

  void expect(String taskId, PendingReply handler) {
    handlers.put(taskId, handler);
    KpoolException why = failure;
    if (why != null && handlers.remove(taskId) != null) {
      handler.abandon(why); // the listener died after the caller checked ensureAlive()
    }
  }

  void forget(String taskId) {
    handlers.remove(taskId);
  }

  /**
   * Hands every reply of the tree rooted at {@code rootId}, other than the root's own, to {@code
   * tree} until the tree is done. Register before the root is sent.
   */
  void expectTree(String rootId, TreeCall tree) {
    trees.put(rootId, tree);
    tree.whenDone(() -> trees.remove(rootId));
  }

  /** Removes and returns every tree still waiting, to fail them. */
  List<TreeCall> drainTrees() {
    List<TreeCall> left = new java.util.ArrayList<>();
    for (String id : Set.copyOf(trees.keySet())) {
      TreeCall tree = trees.remove(id);
      if (tree != null) {
        left.add(tree);
      }
    }
    return left;
  }

  /** Removes and returns every handler still waiting, to fail them. */
  Map<String, PendingReply> drainHandlers() {
    Map<String, PendingReply> left = new HashMap<>();
    for (String id : Set.copyOf(handlers.keySet())) {
      PendingReply handler = handlers.remove(id);
      if (handler != null) {
        left.put(id, handler);
      }
    }
    return left;
  }

  long repliesRead() {
    return read.get();
  }

  long repliesIgnored() {
    return ignored.get();
  }

  private void run() {
    try {
      position();
      ready.complete(null);
      listen();
    } catch (WakeupException e) {
      // close() asked us to stop
    } catch (RuntimeException | Error e) {
      // Before it is ready, start() reports the error to the caller, and no handle waits yet.
      if (!ready.completeExceptionally(e) && running) {
        fail(e);
      }
    } finally {
      finalCommit();
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  /**
   * Polls until closed. A retriable error (a broker away, a position that could not be determined
   * in time) costs a pause and the pass, never the listener: the next poll goes on from the same
   * position. An out-of-range position starts over from the earliest reply kept, as duplicates are
   * dropped by task id and a gap would lose results. Anything else is fatal and thrown.
   */
  private void listen() {
    while (running) {
      try {
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        for (ConsumerRecord<String, byte[]> record : records) {
          handle(record);
        }
        commitFloor(false);
        backoff.succeeded();
      } catch (WakeupException e) {
        // close() asked us to stop: the loop condition says so
      } catch (InvalidOffsetException e) {
        LOG.warn(
            "reply listener on {} lost its position ({}); reading from the earliest reply kept",
            topic,
            e.toString());
        consumer.seekToBeginning(e.partitions());
      } catch (RetriableException e) {
        Duration pause = backoff.failed();
        LOG.warn(
            "reply listener on {} failed {} time(s) in a row, retrying in {} ms: {}",
            topic,
            backoff.failures(),
            pause.toMillis(),
            e.toString());
        try {
          LoopBackoff.sleep(pause, () -> running);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new KpoolException("reply listener on " + topic + " interrupted", interrupted);
        }
      }
    }
  }

  /** Ends the listener for good: every handle still waiting fails, and so will new submissions. */
  private void fail(Throwable cause) {
    KpoolException why =
        new KpoolException(
            "reply listener on " + topic + " stopped, no result can reach this handle: " + cause,
            cause);
    LOG.error(
        "reply listener on {} stopped for good; failing every pending task: {}",
        topic,
        cause.toString(),
        cause);
    failure = why;
    onFatal.accept(why);
  }

  /**
   * @throws KpoolException the listener's fatal error, once it has stopped for good
   */
  void ensureAlive() {
    KpoolException why = failure;
    if (why != null) {
      throw new KpoolException(why.getMessage(), why.getCause());
    }
  }

  private void finalCommit() {
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        commitFloor(true);
        return;
      } catch (WakeupException e) {
        // close() woke a consumer that was not polling; the next call goes through
      } catch (RuntimeException e) {
        LOG.warn("final reply offset commit of {} failed: {}", topic, e.toString());
        return;
      }
    }
  }

  /** Assigns the one partition and seeks: the journal floor, or the end for a random id. */
  private void position() {
    List<PartitionInfo> partitions = partitionsOf(topic);
    if (partitions.size() != 1) {
      throw new KpoolException(
          "reply topic " + topic + " must have exactly one partition, has " + partitions.size());
    }
    partition = new TopicPartition(topic, partitions.get(0).partition());
    consumer.assign(List.of(partition));
    if (journal == null) {
      consumer.seekToEnd(List.of(partition));
      consumer.position(partition); // resolves the lazy seek now, before any task is submitted
      return;
    }
    OffsetAndMetadata floor = consumer.committed(Set.of(partition)).get(partition);
    if (floor == null) {
      consumer.seekToBeginning(List.of(partition));
    } else {
      consumer.seek(partition, floor.offset());
      committed = floor.offset();
    }
    long end = consumer.endOffsets(List.of(partition)).get(partition);
    while (consumer.position(partition) < end) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
        handle(record);
      }
    }
    journal.endCatchUp();
    LOG.info(
        "client journal {} read up to offset {}: {} tasks detached",
        topic,
        end,
        journal.detached().size());
  }

  /** The topic's partitions, waiting a little for a topic just created to reach the metadata. */
  private List<PartitionInfo> partitionsOf(String topic) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if ((partitions != null && !partitions.isEmpty()) || System.nanoTime() > deadline) {
        return partitions == null ? List.of() : partitions;
      }
      try {
        Thread.sleep(50); // metadata backoff; the topic was created a moment ago
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return List.of();
      }
    }
  }

  private void handle(ConsumerRecord<String, byte[]> record) {
    Header kind = record.headers().lastHeader(Journal.HEADER);
    if (kind != null) {
      if (journal != null) {
        String k = new String(kind.value(), StandardCharsets.UTF_8);
        journal.onJournalRecord(record.offset(), k, record.key(), record.value());
      }
      return;
    }
    Reply reply;
    try {
      reply = REPLY_READER.readValue(record.value());
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "dropping malformed reply at {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.toString());
      return;
    }
    read.incrementAndGet();
    if (reply.id() == null) {
      ignored.incrementAndGet();
      return;
    }
    PendingReply handler = handlers.remove(reply.id());
    TreeCall tree = handler == null && reply.tree() != null ? trees.get(reply.tree().root()) : null;
    if (tree != null) {
      tree.onReply(reply);
    } else if (handler != null) {
      if (journal != null) {
        journal.replyForLiveCall(record.offset(), reply.id());
      }
      try {
        handler.complete(reply);
      } catch (RuntimeException e) {
        LOG.warn("reply handler for task {} failed: {}", reply.id(), e.toString(), e);
      }
    } else if (journal == null || !journal.offer(reply)) {
      ignored.incrementAndGet();
      LOG.debug("no one waits for reply {} (a duplicate, or cancelled)", reply.id());
    }
  }

  private void commitFloor(boolean sync) {
    if (journal == null || partition == null || !journal.caughtUp()) {
      return;
    }
    journal.afterBatch();
    long floor = journal.floor(consumer.position(partition));
    if (floor == committed) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets =
        Map.of(partition, new OffsetAndMetadata(floor));
    if (sync) {
      consumer.commitSync(offsets, Duration.ofSeconds(5));
    } else {
      consumer.commitAsync(
          offsets,
          (o, e) -> {
            if (e != null) {
              LOG.debug("reply offset commit failed: {}", e.toString());
            }
          });
    }
    committed = floor;
  }

  /** Stops reading, commits the journal floor, and closes the consumer. */
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
