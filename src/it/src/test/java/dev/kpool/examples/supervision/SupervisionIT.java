package dev.kpool.examples.supervision;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.client.TaskFailedException;
import dev.kpool.client.TaskTimeoutException;
import dev.kpool.testkit.KafkaBrokerExtension;
import dev.kpool.testkit.KafkaTestBroker;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Crashes, hangs, garbage and deadlines, on real worker processes of a real supervisor. */
@ExtendWith(KafkaBrokerExtension.class)
class SupervisionIT {
  private static final Task<Integer, Integer> SQUARE =
      Task.of("square", Integer.class, Integer.class);
  private static final Task<Integer, Integer> CRASH =
      Task.of("crash", Integer.class, Integer.class);
  private static final Task<Integer, Integer> HANG = Task.of("hang", Integer.class, Integer.class);
  private static final Task<String, String> GARBAGE =
      Task.of("garbage", String.class, String.class);
  private static final Task<Long, Long> SLEEP = Task.of("sleep", Long.class, Long.class);
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static PoolFixture fixture;

  @BeforeAll
  static void start(KafkaTestBroker broker) throws Exception {
    Map<String, String> props = PoolFixture.faultPool(broker.bootstrapServers(), "supervision", 2);
    props.put("kpool.pools.supervision.max-attempts", "2");
    fixture = PoolFixture.start(broker.bootstrapServers(), "supervision", props);
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void retriesATaskWhoseWorkerIsKilledThenDeadLettersItWithTheSignal() {
    try (Pool pool = fixture.client()) {
      var e = assertThrows(TaskFailedException.class, () -> pool.apply(CRASH, 9, WAIT));
      assertEquals("kpool.WorkerCrashed", e.remoteType());
      assertTrue(e.remoteMessage().contains("signal 9"), e.remoteMessage());

      var dead =
          fixture.deadLetters().stream()
              .filter(r -> e.taskId().equals(PoolFixture.header(r, "kpool-id")))
              .toList();
      assertEquals(1, dead.size(), "one dead letter for the task");
      assertEquals("crashed", PoolFixture.header(dead.get(0), "kpool-dlq-reason"));
      assertEquals(
          "2", PoolFixture.header(dead.get(0), "kpool-dlq-attempts"), "ran max-attempts times");
      assertTrue(PoolFixture.header(dead.get(0), "kpool-dlq-error").contains("signal 9"));

      assertEquals(9, pool.apply(SQUARE, 3, WAIT), "the pool serves on with replaced workers");
      await().atMost(WAIT).until(() -> fixture.workerPids().size() == 2);
    }
  }

  @Test
  void killsATaskPastItsDeadlineAndReplacesOnlyItsWorker() {
    await().atMost(WAIT).until(() -> fixture.workerPids().size() == 2);
    Set<Long> before = new HashSet<>(fixture.workerPids());
    try (Pool pool = fixture.client(Duration.ofSeconds(2))) {
      var e = assertThrows(TaskTimeoutException.class, () -> pool.apply(SLEEP, 600_000L, WAIT));
      assertTrue(e.getMessage().contains("deadline"), e.getMessage());
    }
    await().atMost(WAIT).until(() -> fixture.workerPids().size() == 2);
    Set<Long> after = fixture.workerPids();
    Set<Long> kept = new HashSet<>(before);
    kept.retainAll(after);
    assertEquals(
        1, kept.size(), "the other worker was not touched: before " + before + ", after " + after);
  }

  @Test
  void killsAWorkerThatStopsSendingHeartbeats() {
    try (Pool pool = fixture.client()) {
      var e = assertThrows(TaskFailedException.class, () -> pool.apply(HANG, 0, WAIT));
      assertEquals("kpool.WorkerCrashed", e.remoteType());
      assertTrue(e.remoteMessage().contains("no heartbeat"), e.remoteMessage());
      assertEquals(9, pool.apply(SQUARE, 3, WAIT));
    }
  }

  @Test
  void garbageOnAWorkersStdoutCostsOnlyThatWorker() {
    try (Pool pool = fixture.client()) {
      var other = pool.applyAsync(SLEEP, 1_500L);
      var e =
          assertThrows(TaskFailedException.class, () -> pool.apply(GARBAGE, "not a frame\n", WAIT));
      assertTrue(e.remoteMessage().contains("protocol violation"), e.remoteMessage());
      assertEquals(1_500L, other.get(WAIT), "a task on the other worker finishes untouched");
    }
  }
}
