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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads and replays a pool's dead letters (partition 0 of {@code kpool.<pool>.dlq}, the one
 * partition supervisors create it with). Each call uses its own short-lived assigned consumer, in
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

  /**
   * Up to {@code limit} dead letters in offset order: from offset {@code from} on, or else the
   * newest ones.
   *
   * @throws org.apache.kafka.common.KafkaException if Kafka cannot be read
   */
  public Page list(int limit, OptionalLong from) {
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      TopicPartition tp = partition();
      consumer.assign(List.of(tp));
      long begin = consumer.beginningOffsets(List.of(tp), READ_TIMEOUT).get(tp);
      long end = consumer.endOffsets(List.of(tp), READ_TIMEOUT).get(tp);
      long start = Math.max(begin, from.isPresent() ? from.getAsLong() : end - limit);
      long stop = Math.min(end, start + limit);
      List<Entry> entries = read(consumer, tp, start, stop).stream().map(DeadLetters::entry).toList();
      return new Page(tp.topic(), begin, end, entries);
    }
  }

  /**
   * Writes the task of the dead letter at {@code offset} back to the pool's task topic as a first
   * attempt with a {@code kpool-replay-of} header; the entry is returned once that write is
   * acknowledged. The original submitter already had its one reply, so the replay's outcome goes to
   * the reply topic (and, should it fail again, to a new dead letter) without a second callback.
   *
   * @return the replayed dead letter, empty if no record is at {@code offset}
   * @throws IllegalStateException if the task cannot be written
   */
  public Optional<Entry> replay(long offset) {
    ConsumerRecord<String, byte[]> record;
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      TopicPartition tp = partition();
      consumer.assign(List.of(tp));
      List<ConsumerRecord<String, byte[]>> found = read(consumer, tp, offset, offset + 1);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      record = found.get(0);
    }
    try {
      writer.replay(pool, record).get(READ_TIMEOUT.toSeconds() * 3, TimeUnit.SECONDS);
      return Optional.of(entry(record));
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot replay dead letter " + offset + " of pool " + pool + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted replaying dead letter " + offset, e);
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
  private static List<ConsumerRecord<String, byte[]>> read(KafkaConsumer<String, byte[]> consumer, TopicPartition tp,
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
