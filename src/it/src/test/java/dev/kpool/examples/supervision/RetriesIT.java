package dev.kpool.examples.supervision;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.client.TaskFailedException;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Retries with backoff through the retry topic, and the dead-letter list/replay API, end to end. */
@FaultWorkerPool(value = "retries", retrying = true)
class RetriesIT {
  private static final String POOL = "retries";
  private static final Task<Integer, Integer> FLAKY =
      Task.of("flaky", Integer.class, Integer.class);
  private static final Task<String, String> FAIL = Task.of("fail", String.class, String.class);
  private static final Task<String, String> FAIL_NON_RETRYABLE =
      Task.of("fail-nonretryable", String.class, String.class);
  private static final Task<String, String> FAIL_UNTIL_FILE =
      Task.of("fail-until-file", String.class, String.class);
  private static final Task<Integer, Integer> SQUARE =
      Task.of("square", Integer.class, Integer.class);
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static PoolFixture fixture;

  @Test
  void aRetryableFailureRunsAgainUntilItSucceedsWithinTheLimit() {
    try (Pool pool = fixture.client()) {
      var result = pool.applyAsync(FLAKY, 3);
      assertEquals(3, result.get(WAIT), "succeeded on its third run");
      assertTrue(
          fixture.deadLettersOf(result.taskId()).isEmpty(),
          "no dead letter for a task that succeeded");
      long parked =
          fixture.records(Topics.retries(POOL)).stream()
              .filter(r -> result.taskId().equals(PoolFixture.header(r, "kpool-id")))
              .count();
      assertEquals(2, parked, "both retries went through the retry topic");
    }
  }

  @Test
  void aNonRetryableFailureIsRepliedAtOnceWithoutARetry() {
    try (Pool pool = fixture.client()) {
      var e =
          assertThrows(
              TaskFailedException.class, () -> pool.apply(FAIL_NON_RETRYABLE, "bad input", WAIT));
      assertTrue(e.remoteMessage().contains("(attempt 1)"), e.remoteMessage());
      assertTrue(
          fixture.deadLettersOf(e.taskId()).isEmpty(),
          "a plain failure is a reply, not a dead letter");
    }
  }

  @Test
  void aTaskThatKeepsFailingIsDeadLetteredAfterItsOwnLimitWithItsLastError() {
    try (Pool pool = fixture.client()) {
      Task<String, String> twice = FAIL.withRetry(2, Duration.ofMillis(50), Duration.ofMillis(100));
      var e =
          assertThrows(TaskFailedException.class, () -> pool.apply(twice, "still broken", WAIT));
      assertTrue(
          e.remoteMessage().contains("(attempt 2)"),
          "the reply carries the last run's error: " + e.remoteMessage());
      await().atMost(WAIT).until(() -> fixture.deadLettersOf(e.taskId()).size() == 1);
      var dead = fixture.deadLettersOf(e.taskId()).get(0);
      assertEquals("too many attempts", PoolFixture.header(dead, "kpool-dlq-reason"));
      assertEquals(
          "2",
          PoolFixture.header(dead, "kpool-dlq-attempts"),
          "the task's own limit, not the pool's 3");
      assertTrue(PoolFixture.header(dead, "kpool-dlq-error").contains("still broken (attempt 2)"));
      assertEquals(
          "\"still broken\"",
          new String(dead.value(), java.nio.charset.StandardCharsets.UTF_8),
          "the original argument is kept");
      assertEquals(9, pool.apply(SQUARE, 3, WAIT), "the pool serves on");
    }
  }

  @Test
  void deadLettersAreListedAndAReplayRunsTheTaskAgain() throws Exception {
    Path flag = Files.createTempFile("kpool-replay", ".flag");
    Files.delete(flag);
    String clientId = "retries-replay-" + UUID.randomUUID().toString().substring(0, 8);
    try (Pool pool = fixture.clientBuilder().clientId(clientId).build()) {
      var e =
          assertThrows(
              TaskFailedException.class, () -> pool.apply(FAIL_UNTIL_FILE, flag.toString(), WAIT));
      await().atMost(WAIT).until(() -> fixture.deadLettersOf(e.taskId()).size() == 1);

      var list = fixture.http("GET", "/pools/retries/dead-letters?limit=50");
      assertEquals(200, list.statusCode(), list.body());
      JsonNode entry = null;
      for (JsonNode candidate : ProtocolJson.mapper().readTree(list.body()).get("deadLetters")) {
        if (e.taskId().equals(candidate.get("taskId").asText())) {
          entry = candidate;
        }
      }
      assertTrue(entry != null, "the dead letter is listed: " + list.body());
      assertEquals("fail-until-file", entry.get("task").asText());
      assertEquals("too many attempts", entry.get("reason").asText());
      assertEquals(3, entry.get("attempts").asInt());
      assertTrue(entry.get("error").asText().contains("no file"), entry.toString());

      Files.createFile(flag);
      long offset = entry.get("offset").asLong();
      var replay = fixture.http("POST", "/pools/retries/dead-letters/" + offset + "/replay");
      assertEquals(202, replay.statusCode(), replay.body());

      // The submitter had its one reply; the replay's success lands on its reply topic all the
      // same.
      await()
          .atMost(WAIT)
          .until(
              () ->
                  fixture.records(Topics.replies(clientId)).stream()
                      .anyMatch(
                          r ->
                              e.taskId().equals(r.key())
                                  && "ok".equals(PoolFixture.header(r, "kpool-status"))));
      assertEquals(
          404, fixture.http("POST", "/pools/retries/dead-letters/999999/replay").statusCode());
      assertEquals(404, fixture.http("GET", "/pools/nosuchpool/dead-letters").statusCode());
    } finally {
      Files.deleteIfExists(flag);
    }
  }
}
