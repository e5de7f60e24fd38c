package dev.kpool.supervisor.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.RetryPolicy;
import dev.kpool.supervisor.dispatch.TaskWork;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class TaskRecordsTest {
  private static final int LIMIT = 1024;

  private static ConsumerRecord<String, byte[]> record(String value, String... headers) {
    var record =
        new ConsumerRecord<>(
            "kpool.p.tasks",
            0,
            42L,
            "key",
            value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < headers.length; i += 2) {
      record.headers().add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return record;
  }

  private static MalformedTaskException refused(ConsumerRecord<String, byte[]> record) {
    return assertThrows(MalformedTaskException.class, () -> TaskRecords.parse(record, 1, LIMIT));
  }

  @Test
  void readsASingleItemAndCountsRedeliveriesIntoTheAttempt() throws Exception {
    TaskWork work =
        TaskRecords.parse(record("7", HeaderNames.TASK, "square", HeaderNames.ID, "t1"), 3, LIMIT);
    assertEquals("t1", work.id());
    assertEquals(7, work.items().get(0).asInt());
    assertEquals(3, work.attempt(), "third delivery of a first attempt");
  }

  @Test
  void readsAChunkOfTheDeclaredSize() throws Exception {
    TaskWork work =
        TaskRecords.parse(
            record("[1,2,3]", HeaderNames.TASK, "square", HeaderNames.CHUNK, "3"), 1, LIMIT);
    assertEquals(3, work.items().size());
    assertEquals("key", work.id(), "no id header: the record key");
  }

  @Test
  void refusesValueThatIsNotJson() {
    assertTrue(
        refused(record("{not json", HeaderNames.TASK, "square"))
            .getMessage()
            .contains("not valid JSON"));
  }

  @Test
  void refusesRecordWithoutTaskName() {
    assertTrue(refused(record("7")).getMessage().contains(HeaderNames.TASK));
  }

  @Test
  void refusesHeadersThatAreNotNumbers() {
    assertTrue(
        refused(record("7", HeaderNames.TASK, "square", HeaderNames.ATTEMPT, "two"))
            .getMessage()
            .contains(HeaderNames.ATTEMPT));
    assertTrue(
        refused(record("7", HeaderNames.TASK, "square", HeaderNames.DEADLINE, "-5"))
            .getMessage()
            .contains(HeaderNames.DEADLINE));
  }

  @Test
  void refusesAChunkWhoseSizeDoesNotMatch() {
    refused(record("[1,2]", HeaderNames.TASK, "square", HeaderNames.CHUNK, "3"));
  }

  @Test
  void refusesAnUnknownContentType() {
    refused(record("7", HeaderNames.TASK, "square", HeaderNames.CONTENT_TYPE, "text/x-pickle"));
  }

  @Test
  void refusesAValueOverTheLimitAsTooLarge() {
    var e = refused(record("\"" + "x".repeat(LIMIT) + "\"", HeaderNames.TASK, "square"));
    assertEquals(RemoteError.TOO_LARGE, e.errorType());
    assertEquals("too large", e.deadLetterReason().wireName());
  }

  @Test
  void refusesAnEmptyValue() {
    refused(record("", HeaderNames.TASK, "square"));
  }

  private static final RetryPolicy POOL =
      new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofMinutes(1));

  @Test
  void aRecordWithoutRetryHeadersTakesThePoolsPolicy() throws Exception {
    assertEquals(
        POOL, TaskRecords.retryPolicy(record("1", HeaderNames.TASK, "square").headers(), POOL));
  }

  @Test
  void retryHeadersOverrideEachPartOfThePoolsPolicy() throws Exception {
    var headers =
        record(
                "1",
                HeaderNames.TASK,
                "square",
                HeaderNames.RETRY_MAX_ATTEMPTS,
                "5",
                HeaderNames.RETRY_BACKOFF,
                "200")
            .headers();
    assertEquals(
        new RetryPolicy(5, Duration.ofMillis(200), Duration.ofMinutes(1)),
        TaskRecords.retryPolicy(headers, POOL));
  }

  @Test
  void refusesRetryHeadersThatAreNotAPolicy() {
    var zero = record("1", HeaderNames.RETRY_MAX_ATTEMPTS, "0").headers();
    assertThrows(MalformedTaskException.class, () -> TaskRecords.retryPolicy(zero, POOL));
    var text = record("1", HeaderNames.RETRY_BACKOFF, "soon").headers();
    assertThrows(MalformedTaskException.class, () -> TaskRecords.retryPolicy(text, POOL));
    var inverted =
        record("1", HeaderNames.RETRY_BACKOFF, "5000", HeaderNames.RETRY_BACKOFF_MAX, "10")
            .headers();
    assertThrows(MalformedTaskException.class, () -> TaskRecords.retryPolicy(inverted, POOL));
  }

  @Test
  void refusesAnAttemptTooLargeForAnIntInsteadOfWrappingIt() {
    var e = refused(record("7", HeaderNames.TASK, "square", HeaderNames.ATTEMPT, "99999999999"));
    assertTrue(e.getMessage().contains("too large"), e.getMessage());
  }
}
