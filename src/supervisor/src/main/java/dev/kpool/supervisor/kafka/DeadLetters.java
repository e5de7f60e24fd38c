package dev.kpool.supervisor.kafka;

import dev.kpool.protocol.ContentType;
import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads, replays and discards a pool's dead letters (partition 0 of {@code kpool.<pool>.dlq}, the
 * one partition supervisors create it with; discards are marker records there, see {@link
 * DiscardMarks}). Each call uses its own short-lived assigned consumer, in
 * no group, so reading moves no offset and no supervisor's consumption. Thread-safe.
 */
public final class DeadLetters {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  /**
   * One dead letter as the API shows it.
   *
   * @param value the task's argument as text, {@code null} for a byte task
   * @param replayOf for a task that was itself replayed, the dead-letter offset it came from
   */
  public record Entry(long offset, long timestamp, String taskId, String task, String reason, int attempts,
      String error, String replyTo, String replayOf, String value) {}

  /** A slice of the topic, with the bounds a reader pages by. */
  public record Page(String topic, long beginOffset, long endOffset, List<Entry> deadLetters) {}

  private final String pool;
  private final Map<String, Object> clientProperties;
  private final ReplyWriter writer;

  public DeadLetters(String pool, Map<String, Object> clientProperties, ReplyWriter writer) {
    this.pool = pool;
    this.clientProperties = clientProperties;
    this.writer = writer;
  }

  /** A dead letter that was discarded: it is no longer listed and cannot be replayed. */
  public static final class DiscardedException extends RuntimeException {
    DiscardedException(String message) {
      super(message);
    }
  }

  /**
   * Up to {@code limit} dead letters in offset order, discarded ones left out: from offset {@code
   * from} on, or else the newest ones. A page from an offset reads the rest of the topic for its
   * discard markers.
   *
   * @throws org.apache.kafka.common.KafkaException if Kafka cannot be read
   */
  public Page list(int limit, OptionalLong from) {
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      TopicPartition tp = partition();
      consumer.assign(List.of(tp));
      long begin = consumer.beginningOffsets(List.of(tp), READ_TIMEOUT).get(tp);
      long end = consumer.endOffsets(List.of(tp), READ_TIMEOUT).get(tp);
      DiscardMarks marks = new DiscardMarks();
      List<ConsumerRecord<String, byte[]>> live;
      if (from.isPresent()) {
        live = marks.live(read(consumer, tp, Math.max(begin, from.getAsLong()), end));
        live = live.subList(0, Math.min(limit, live.size()));
      } else {
        live = newest(consumer, tp, begin, end, limit, marks);
      }
      return new Page(tp.topic(), begin, end, live.stream().map(DeadLetters::entry).toList());
    }
  }

  /**
   * The newest {@code limit} live dead letters: reads back from the end in steps of what is still
   * missing, each step before the markers read already, until enough or the beginning.
   */
  static List<ConsumerRecord<String, byte[]>> newest(Consumer<String, byte[]> consumer,
      TopicPartition tp, long begin, long end, int limit, DiscardMarks marks) {
    List<ConsumerRecord<String, byte[]>> live = new ArrayList<>();
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    long stop = end;
    while (live.size() < limit && stop > begin && System.nanoTime() < deadline) {
      long start = Math.max(begin, stop - (limit - live.size()));
      List<ConsumerRecord<String, byte[]>> step = new ArrayList<>(marks.live(read(consumer, tp, start, stop)));
      step.addAll(live);
      live = step;
      stop = start;
    }
    return live.subList(Math.max(0, live.size() - limit), live.size());
  }

  /**
   * Writes the task of the dead letter at {@code offset} back to the pool's task topic as a first
   * attempt with a {@code kpool-replay-of} header; the entry is returned once that write is
   * acknowledged. The original submitter already had its one reply, so the replay's outcome goes to
   * the reply topic (and, should it fail again, to a new dead letter) without a second callback.
   *
   * @return the replayed dead letter, empty if no dead letter is at {@code offset}
   * @throws DiscardedException if that dead letter was discarded
   * @throws IllegalStateException if the task cannot be written
   */
  public Optional<Entry> replay(long offset) {
    Optional<ConsumerRecord<String, byte[]>> found = find(offset);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ConsumerRecord<String, byte[]> record = found.get();
    if (discarded(record)) {
      throw new DiscardedException("dead letter " + offset + " of pool " + pool + " (task "
          + TaskRecords.taskId(record) + ") was discarded; it cannot be replayed");
    }
    await(writer.replay(pool, record), "replay", offset);
    return Optional.of(entry(record));
  }

  /**
   * Discards the dead letter at {@code offset}: from the acknowledgement of its marker on, no
   * supervisor lists or replays it, across restarts (see {@link DiscardMarks}). Discarding a
   * discarded dead letter again writes nothing.
   *
   * @return the discarded dead letter, empty if no dead letter is at {@code offset}
   * @throws IllegalStateException if the marker cannot be written
   */
  public Optional<Entry> discard(long offset) {
    Optional<ConsumerRecord<String, byte[]>> found = find(offset);
    if (found.isPresent() && !discarded(found.get())) {
      await(writer.discard(pool, found.get()), "discard", offset);
    }
    return found.map(DeadLetters::entry);
  }

  /** The dead letter at {@code offset} (not a marker), with the records after it read for markers. */
  private Optional<ConsumerRecord<String, byte[]>> find(long offset) {
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      TopicPartition tp = partition();
      consumer.assign(List.of(tp));
      List<ConsumerRecord<String, byte[]>> found = read(consumer, tp, offset, offset + 1);
      return found.isEmpty() || DiscardMarks.isMarker(found.get(0)) ? Optional.empty() : Optional.of(found.get(0));
    }
  }

  /** Whether a marker after {@code deadLetter} discards it: reads the rest of the topic. */
  private boolean discarded(ConsumerRecord<String, byte[]> deadLetter) {
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      TopicPartition tp = partition();
      consumer.assign(List.of(tp));
      long end = consumer.endOffsets(List.of(tp), READ_TIMEOUT).get(tp);
      DiscardMarks marks = new DiscardMarks();
      marks.live(read(consumer, tp, deadLetter.offset() + 1, end));
      return marks.discarded(deadLetter.offset());
    }
  }

  private void await(CompletableFuture<Void> write, String what, long offset) {
    try {
      write.get(READ_TIMEOUT.toSeconds() * 3, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot " + what + " dead letter " + offset + " of pool " + pool + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + what + " of dead letter " + offset, e);
    }
  }

  private TopicPartition partition() {
    return new TopicPartition(Topics.deadLetters(pool), 0);
  }

  private KafkaConsumer<String, byte[]> consumer() {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.remove("group.id");
    props.put("enable.auto.commit", false);
    props.putIfAbsent("client.id", "kpool-" + pool + "-dlq-reader-" + Thread.currentThread().getId());
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** The records in [{@code start}, {@code stop}) that still exist, waiting at most the read timeout. */
  private static List<ConsumerRecord<String, byte[]>> read(Consumer<String, byte[]> consumer, TopicPartition tp,
      long start, long stop) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    long end = consumer.endOffsets(List.of(tp), READ_TIMEOUT).get(tp);
    if (start < 0 || start >= Math.min(stop, end)) {
      return records;
    }
    consumer.seek(tp, start);
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (consumer.position(tp) < Math.min(stop, end) && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        if (record.offset() >= start && record.offset() < stop) {
          records.add(record);
        }
      }
    }
    return records;
  }

  static Entry entry(ConsumerRecord<String, byte[]> record) {
    var headers = record.headers();
    String attempts = TaskRecords.header(headers, HeaderNames.DLQ_ATTEMPTS);
    String contentType = TaskRecords.header(headers, HeaderNames.CONTENT_TYPE);
    boolean bytes = ContentType.BYTES.mime().equals(contentType);
    return new Entry(record.offset(), record.timestamp(), TaskRecords.taskId(record),
        TaskRecords.header(headers, HeaderNames.TASK), TaskRecords.header(headers, HeaderNames.DLQ_REASON),
        parseOrZero(attempts), TaskRecords.header(headers, HeaderNames.DLQ_ERROR),
        TaskRecords.header(headers, HeaderNames.REPLY_TO), TaskRecords.header(headers, HeaderNames.REPLAY_OF),
        bytes || record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8));
  }

  private static int parseOrZero(String number) {
    try {
      return number == null ? 0 : Integer.parseInt(number.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
