package dev.kpool.supervisor.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import dev.kpool.protocol.ContentType;
import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.RetryPolicy;
import dev.kpool.supervisor.dispatch.TaskWork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Reads task records into {@link TaskWork}, refusing what does not follow the protocol. */
public final class TaskRecords {
  private TaskRecords() {}

  /** The header's value as text, or {@code null}. */
  public static String header(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** The task id: the id header, else the key, else the record's coordinates. */
  public static String taskId(ConsumerRecord<String, byte[]> record) {
    String id = header(record.headers(), HeaderNames.ID);
    if (id != null && !id.isBlank()) {
      return id;
    }
    return record.key() != null
        ? record.key()
        : record.topic() + "-" + record.partition() + "@" + record.offset();
  }

  /**
   * Parses a task record.
   *
   * @param deliveries how often the share group has delivered the record, from 1
   * @param maxBytes the largest value the pool accepts
   * @throws MalformedTaskException naming what is wrong
   */
  public static TaskWork parse(ConsumerRecord<String, byte[]> record, int deliveries, int maxBytes)
      throws MalformedTaskException {
    Headers headers = record.headers();
    if (record.value() != null && record.value().length > maxBytes) {
      throw MalformedTaskException.tooLarge(
          "value of "
              + record.value().length
              + " bytes is over the pool's limit of "
              + maxBytes
              + " (max-task-bytes)");
    }
    String task = header(headers, HeaderNames.TASK);
    if (task == null || task.isBlank()) {
      throw new MalformedTaskException("missing header " + HeaderNames.TASK);
    }
    ContentType contentType;
    try {
      contentType = ContentType.fromMime(header(headers, HeaderNames.CONTENT_TYPE));
    } catch (IllegalArgumentException e) {
      throw new MalformedTaskException(e.getMessage());
    }
    int attempt = intHeader(headers, HeaderNames.ATTEMPT, 1) + Math.max(0, deliveries - 1);
    long deadline = longHeader(headers, HeaderNames.DEADLINE, 0);
    int chunk = intHeader(headers, HeaderNames.CHUNK, 0);
    byte[] value = record.value() == null ? new byte[0] : record.value();
    List<JsonNode> items;
    if (contentType == ContentType.BYTES) {
      if (chunk > 0) {
        throw new MalformedTaskException("byte tasks cannot be chunked");
      }
      items = List.of(BinaryNode.valueOf(value));
    } else {
      JsonNode node;
      try {
        node = ProtocolJson.mapper().readTree(value);
      } catch (IOException e) {
        throw new MalformedTaskException("value is not valid JSON: " + firstLine(e.getMessage()));
      }
      if (node == null || node.isMissingNode()) {
        throw new MalformedTaskException("value is empty; a task with no argument sends JSON null");
      }
      if (chunk > 0) {
        if (!node.isArray() || node.size() != chunk) {
          throw new MalformedTaskException(
              "chunk header says "
                  + chunk
                  + " items but the value is not a JSON array of that many");
        }
        items = new ArrayList<>(chunk);
        node.forEach(items::add);
      } else {
        items = List.of(node);
      }
    }
    return new TaskWork(taskId(record), task, contentType.mime(), items, attempt, deadline);
  }

  /**
   * The record's retry policy: each {@code kpool-retry-*} header it carries overrides that part of
   * the pool's.
   *
   * @throws MalformedTaskException if a header is not a number or the result cannot hold
   */
  public static RetryPolicy retryPolicy(Headers headers, RetryPolicy pool)
      throws MalformedTaskException {
    int maxAttempts = intHeader(headers, HeaderNames.RETRY_MAX_ATTEMPTS, pool.maxAttempts());
    long backoff = longHeader(headers, HeaderNames.RETRY_BACKOFF, pool.backoff().toMillis());
    long backoffMax =
        longHeader(
            headers,
            HeaderNames.RETRY_BACKOFF_MAX,
            Math.max(backoff, pool.backoffMax().toMillis()));
    try {
      return new RetryPolicy(
          maxAttempts, Duration.ofMillis(backoff), Duration.ofMillis(backoffMax));
    } catch (IllegalArgumentException e) {
      throw new MalformedTaskException("retry headers do not make a policy: " + e.getMessage());
    }
  }

  /**
   * The header's value as a non-negative int, or {@code fallback} if it is missing.
   *
   * @throws MalformedTaskException if it is not a non-negative number that fits an int
   */
  public static int intHeader(Headers headers, String name, int fallback)
      throws MalformedTaskException {
    long value = longHeader(headers, name, fallback);
    if (value > Integer.MAX_VALUE) {
      // A cast would wrap it to a negative attempt or limit, which nothing downstream expects.
      throw new MalformedTaskException("header " + name + " is too large: " + value);
    }
    return (int) value;
  }

  private static long longHeader(Headers headers, String name, long fallback)
      throws MalformedTaskException {
    String value = header(headers, name);
    if (value == null) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed < 0) {
        throw new NumberFormatException("negative");
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new MalformedTaskException(
          "header " + name + " is not a non-negative number: " + value);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
