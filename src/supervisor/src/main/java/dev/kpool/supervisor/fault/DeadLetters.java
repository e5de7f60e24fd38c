package dev.kpool.supervisor.fault;

import dev.kpool.protocol.ContentType;
import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.Topics;
import dev.kpool.supervisor.kafka.RecordWriter;
import dev.kpool.supervisor.kafka.TaskRecords;
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
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads, replays and discards a pool's dead letters (partition 0 of {@code kpool.<pool>.dlq}, the
 * one partition supervisors create it with; discards are marker records there, see {@link
 * DiscardMarks}). Each call uses its own short-lived assigned consumer, in no group, so reading
 * moves no offset and no supervisor's consumption. A call holds at most the dead letters it returns
 * and the offsets that markers discard, never the whole topic; its reads give up after {@value
 * #READ_SECONDS} seconds, and it fails then rather than answer from a partial read. Thread-safe.
 */
public final class DeadLetters {
  private static final int READ_SECONDS = 10;
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(READ_SECONDS);

  /**
   * One dead letter as the API shows it.
   *
   * @param value the task's argument as text, {@code null} for a byte task
   * @param replayOf for a task that was itself replayed, the dead-letter offset it came from
   */
  public record Entry(
      long offset,
      long timestamp,
      String taskId,
      String task,
      String reason,
      int attempts,
      String error,
      String replyTo,
      String replayOf,
      String value) {}

  /** A slice of the topic, with the bounds a reader pages by. */
  public record Page(String topic, long beginOffset, long endOffset, List<Entry> deadLetters) {}

  private final String pool;
  private final Map<String, Object> clientProperties;
  private final RecordWriter writer;

  public DeadLetters(String pool, Map<String, Object> clientProperties, RecordWriter writer) {
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
   * @throws TimeoutException if Kafka does not answer, or the records are not all read, within the
   *     read timeout
   * @throws org.apache.kafka.common.KafkaException if Kafka cannot be read
   */
  public Page list(int limit, OptionalLong from) {
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      TopicPartition tp = partition();
      consumer.assign(List.of(tp));
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      long begin = consumer.beginningOffsets(List.of(tp), remaining(deadline)).get(tp);
      long end = consumer.endOffsets(List.of(tp), remaining(deadline)).get(tp);
      List<ConsumerRecord<String, byte[]>> live =
          from.isPresent()
              ? from(
                  consumer, tp, Math.max(begin, from.getAsLong()), end, limit, remaining(deadline))
              : newest(consumer, tp, begin, end, limit, remaining(deadline));
      return new Page(tp.topic(), begin, end, live.stream().map(DeadLetters::entry).toList());
    }
  }

  /**
   * The newest {@code limit} live dead letters: reads back from the end in steps of what is still
   * missing, each step before the markers read already, until enough or the beginning.
   *
   * @throws TimeoutException if that takes longer than {@code timeout}
   */
  static List<ConsumerRecord<String, byte[]>> newest(
      Consumer<String, byte[]> consumer,
      TopicPartition tp,
      long begin,
      long end,
      int limit,
      Duration timeout) {
    DiscardMarks marks = new DiscardMarks();
    List<ConsumerRecord<String, byte[]>> live = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    long stop = end;
    while (live.size() < limit && stop > begin) {
      long start = Math.max(begin, stop - (limit - live.size()));
      List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
      scan(consumer, tp, start, stop, deadline, read::add);
      List<ConsumerRecord<String, byte[]>> step = new ArrayList<>(marks.live(read));
      step.addAll(live);
      live = step;
      stop = start;
    }
    return live.subList(Math.max(0, live.size() - limit), live.size());
  }

  /**
   * The first {@code limit} live dead letters from {@code start} on: one pass to {@code end} takes
   * in the markers, a second collects dead letters until it has enough.
   *
   * @throws TimeoutException if that takes longer than {@code timeout}
   */
  static List<ConsumerRecord<String, byte[]>> from(
      Consumer<String, byte[]> consumer,
      TopicPartition tp,
      long start,
      long end,
      int limit,
      Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    DiscardMarks marks = new DiscardMarks();
    scan(
        consumer,
        tp,
        start,
        end,
        deadline,
        record -> {
          marks.note(record);
          return true;
        });
    List<ConsumerRecord<String, byte[]>> live = new ArrayList<>();
    scan(
        consumer,
        tp,
        start,
        end,
        deadline,
        record -> {
          if (!DiscardMarks.isMarker(record) && !marks.discarded(record.offset())) {
            live.add(record);
          }
          return live.size() < limit;
        });
    return live;
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
      throw new DiscardedException(
          "dead letter "
              + offset
              + " of pool "
              + pool
              + " (task "
              + TaskRecords.taskId(record)
              + ") was discarded; it cannot be replayed");
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
      List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
      scan(
          consumer, tp, offset, offset + 1, System.nanoTime() + READ_TIMEOUT.toNanos(), found::add);
      return found.isEmpty() || DiscardMarks.isMarker(found.get(0))
          ? Optional.empty()
          : Optional.of(found.get(0));
    }
  }

  /** Whether a marker after {@code deadLetter} discards it: reads the rest of the topic. */
  private boolean discarded(ConsumerRecord<String, byte[]> deadLetter) {
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      TopicPartition tp = partition();
      consumer.assign(List.of(tp));
      long end = consumer.endOffsets(List.of(tp), READ_TIMEOUT).get(tp);
      return discarded(consumer, tp, deadLetter.offset(), end, READ_TIMEOUT);
    }
  }

  /**
   * Whether a marker in ({@code offset}, {@code end}) discards the dead letter at {@code offset}.
   *
   * @throws TimeoutException if that takes longer than {@code timeout}
   */
  static boolean discarded(
      Consumer<String, byte[]> consumer,
      TopicPartition tp,
      long offset,
      long end,
      Duration timeout) {
    DiscardMarks marks = new DiscardMarks();
    scan(
        consumer,
        tp,
        offset + 1,
        end,
        System.nanoTime() + timeout.toNanos(),
        record -> {
          marks.note(record);
          return !marks.discarded(offset);
        });
    return marks.discarded(offset);
  }

  private void await(CompletableFuture<Void> write, String what, long offset) {
    try {
      write.get(READ_TIMEOUT.toSeconds() * 3, TimeUnit.SECONDS);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "cannot " + what + " dead letter " + offset + " of pool " + pool + ": " + e, e);
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
    props.putIfAbsent(
        "client.id", "kpool-" + pool + "-dlq-reader-" + Thread.currentThread().getId());
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Hands {@code sink} the records in [{@code start}, {@code stop}) that still exist, in offset
   * order, until it returns false or they are all read.
   *
   * @throws TimeoutException if they are not all read by {@code deadline} ({@link
   *     System#nanoTime()}): a partial read would pass for the whole
   */
  private static void scan(
      Consumer<String, byte[]> consumer,
      TopicPartition tp,
      long start,
      long stop,
      long deadline,
      Predicate<ConsumerRecord<String, byte[]>> sink) {
    long until = Math.min(stop, consumer.endOffsets(List.of(tp), remaining(deadline)).get(tp));
    if (start < 0 || start >= until) {
      return;
    }
    consumer.seek(tp, start);
    while (consumer.position(tp, remaining(deadline)) < until) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        if (record.offset() >= start && record.offset() < until && !sink.test(record)) {
          return;
        }
      }
      long position = consumer.position(tp);
      if (position < until && System.nanoTime() - deadline >= 0) {
        throw new TimeoutException(
            "read "
                + tp
                + " only to offset "
                + position
                + " of ["
                + start
                + ", "
                + until
                + ") in time");
      }
    }
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  static Entry entry(ConsumerRecord<String, byte[]> record) {
    var headers = record.headers();
    String attempts = TaskRecords.header(headers, HeaderNames.DLQ_ATTEMPTS);
    String contentType = TaskRecords.header(headers, HeaderNames.CONTENT_TYPE);
    boolean bytes = ContentType.BYTES.mime().equals(contentType);
    return new Entry(
        record.offset(),
        record.timestamp(),
        TaskRecords.taskId(record),
        TaskRecords.header(headers, HeaderNames.TASK),
        TaskRecords.header(headers, HeaderNames.DLQ_REASON),
        parseOrZero(attempts),
        TaskRecords.header(headers, HeaderNames.DLQ_ERROR),
        TaskRecords.header(headers, HeaderNames.REPLY_TO),
        TaskRecords.header(headers, HeaderNames.REPLAY_OF),
        bytes || record.value() == null
            ? null
            : new String(record.value(), StandardCharsets.UTF_8));
  }

  private static int parseOrZero(String number) {
    try {
      return number == null ? 0 : Integer.parseInt(number.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
