package dev.kpool.client.internal;

import dev.kpool.client.KpoolException;
import dev.kpool.client.PoolClosedException;
import dev.kpool.client.RetriableKpoolException;
import dev.kpool.client.SubmitTimeoutException;
import dev.kpool.client.Task;
import dev.kpool.client.TaskTooLargeException;
import dev.kpool.protocol.ContentType;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.Topics;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Turns calls into task records: takes an in-flight slot, registers the record's reply handler,
 * sends the record, and journals the call for a durable client. Thread-safe.
 */
final class Submissions {
  private final KafkaPool.Settings settings;
  private final String replyTopic;
  private final InFlight inFlight;
  private final Callbacks callbacks;
  private final ReplyListener replies;
  private final TaskSender sender;
  private final Journal journal;
  private final AtomicLong settled = new AtomicLong();
  private final RoundTrips roundTrips = new RoundTrips();
  private final AtomicBoolean closed = new AtomicBoolean();

  Submissions(
      KafkaPool.Settings settings,
      InFlight inFlight,
      Callbacks callbacks,
      ReplyListener replies,
      TaskSender sender,
      Journal journal) {
    this.settings = settings;
    this.replyTopic = Topics.replies(settings.clientId());
    this.inFlight = inFlight;
    this.callbacks = callbacks;
    this.replies = replies;
    this.sender = sender;
    this.journal = journal;
  }

  /** Refuses submissions from now on; returns whether this call closed them. */
  boolean close() {
    return closed.compareAndSet(false, true);
  }

  /**
   * @throws PoolClosedException if submissions are closed
   * @throws KpoolException if the reply listener has stopped for good
   */
  void ensureOpen() {
    if (closed.get()) {
      throw new PoolClosedException("pool " + settings.pool() + " is closed");
    }
    replies.ensureAlive();
  }

  /** Where the round trips of replied task records go. */
  RoundTrips roundTrips() {
    return roundTrips;
  }

  /** Task records settled so far. */
  long settled() {
    return settled.get();
  }

  /**
   * @throws IllegalArgumentException if a byte task or a keyed task would be chunked
   */
  static void checkChunking(Task<?, ?> task, int chunksize) {
    if (chunksize > 1 && task.contentType() == ContentType.BYTES) {
      throw new IllegalArgumentException("byte task " + task.name() + " cannot be chunked");
    }
    if (chunksize > 1 && task.keyed()) {
      // A chunk is one record: it would count as one task against its key's limits.
      throw new IllegalArgumentException(
          "keyed task "
              + task.name()
              + " is mapped one item per record: chunksize must be 1, not "
              + chunksize);
    }
  }

  /** For a durable client: journals the call and settles it in the journal when it completes. */
  void journal(FutureResult<?> result, JournalEntry entry) {
    if (journal == null) {
      return;
    }
    journal.submitted(entry.id());
    result.whenDone(
        error -> {
          // A handle failed only because this handle closed leaves the call for the next run.
          if (!(error instanceof PoolClosedException)) {
            journal.settled(entry.id());
          }
        });
    sender.journal(entry, () -> journal.markerLost(entry.id()));
  }

  /**
   * Sends one item as task record {@code id} whose reply goes to {@code replyTo}, with no handle
   * and no in-flight slot; {@code onFailure} runs if it cannot be written.
   *
   * @param key the record key, or {@code null} to key the record by {@code id}
   * @throws PoolClosedException if submissions are closed
   * @throws TaskTooLargeException if the value is over the handle's limit
   */
  void unattended(
      String id,
      String key,
      Task<?, ?> task,
      byte[] value,
      String replyTo,
      Consumer<Exception> onFailure) {
    ensureOpen();
    checkSize(task, value);
    sender.task(id, key, task, value, 0, replyTo, onFailure);
  }

  /**
   * Sends one item as task record {@code id}.
   *
   * @param key the record key, or {@code null} to key the record by {@code id}
   * @throws PoolClosedException if submissions are closed
   * @throws SubmitTimeoutException if no slot freed up in time
   * @throws TaskTooLargeException if the value is over the handle's limit
   */
  void single(String id, String key, Task<?, ?> task, byte[] value, ChunkSink sink) {
    ensureOpen();
    checkSize(task, value);
    acquire();
    send(id, key, task, value, 0, sink, 0);
  }

  /**
   * Encodes and sends chunk {@code k} of call {@code callId}, as task record {@code <callId>:<k>};
   * with a chunk size of 1 the item is sent alone, as by {@link #single}, keyed by the task's key
   * for it (a keyed task is only ever mapped at chunk size 1, see {@link #checkChunking}).
   *
   * @throws PoolClosedException if submissions are closed
   * @throws SubmitTimeoutException if no slot freed up in time
   * @throws IllegalArgumentException if an item cannot be encoded
   * @throws TaskTooLargeException if the chunk is over the handle's limit
   */
  <A> void chunk(
      String callId, int k, Task<A, ?> task, List<A> slice, int chunksize, ChunkSink sink) {
    ensureOpen();
    byte[] value = chunksize == 1 ? task.encode(slice.get(0)) : encodeChunk(task, slice);
    String key = chunksize == 1 ? task.keyOf(slice.get(0)) : null;
    checkSize(task, value);
    acquire();
    send(callId + ":" + k, key, task, value, chunksize == 1 ? 0 : slice.size(), sink, k);
  }

  private static <A> byte[] encodeChunk(Task<A, ?> task, List<A> slice) {
    // The list in one pass: a tree per item first cost a serializer context and a token buffer
    // for each of them, the largest share of a 1,000-item chunk's client time.
    try {
      return ProtocolJson.mapper().writeValueAsBytes(slice);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot encode a chunk of task " + task.name() + ": " + e, e);
    }
  }

  /**
   * @throws TaskTooLargeException if the value is over the handle's limit
   */
  private void checkSize(Task<?, ?> task, byte[] value) {
    if (value.length > settings.maxTaskBytes()) {
      throw new TaskTooLargeException(task.name(), value.length, settings.maxTaskBytes());
    }
  }

  /** Registers the reply handler of a task record whose slot is taken, then sends the record. */
  private void send(
      String id, String key, Task<?, ?> task, byte[] value, int chunk, ChunkSink sink, int index) {
    Settlement settlement = new Settlement(inFlight, callbacks, settled, sink, index, roundTrips);
    replies.expect(id, settlement);
    sender.task(
        id,
        key,
        task,
        value,
        chunk,
        replyTopic,
        e -> {
          replies.forget(id);
          settlement.abandon(
              new RetriableKpoolException("could not send task " + id + ": " + e, e));
        });
  }

  private void acquire() {
    try {
      if (!inFlight.acquire(settings.submitTimeout())) {
        throw new SubmitTimeoutException(
            settings.maxInFlight()
                + " tasks already in flight on pool "
                + settings.pool()
                + "; no room within "
                + settings.submitTimeout());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KpoolException("interrupted while waiting to submit", e);
    }
  }
}
