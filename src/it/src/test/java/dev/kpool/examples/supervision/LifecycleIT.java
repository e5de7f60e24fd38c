package dev.kpool.examples.supervision;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.AsyncResult;
import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.testkit.KafkaTestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * How a supervisor ends: killed (no orphans), drained (nothing lost), and how its pool breathes.
 *
 * <p>This class runs on a broker of its own: on the shared broker, late in a long run, new share
 * groups twice received nothing for minutes, and these tests start several new groups each.
 */
@Execution(ExecutionMode.CONCURRENT) // each test has a pool of its own and mostly waits
class LifecycleIT {
  private static KafkaTestBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = KafkaTestBroker.start("embedded");
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  private static final Task<Long, Long> SLEEP = Task.of("sleep", Long.class, Long.class);
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void workersDieWithinFiveSecondsOfTheSupervisorsSigkill() throws Exception {
    Map<String, String> props = PoolFixture.faultPool(broker.bootstrapServers(), "orphans", 3);
    try (PoolFixture fixture = PoolFixture.start(broker.bootstrapServers(), "orphans", props);
        // its task never replies: closing must not wait out the default 30 s
        Pool pool = fixture.clientBuilder().closeTimeout(Duration.ofMillis(100)).build()) {
      await().atMost(WAIT).until(() -> fixture.workerPids().size() == 3);
      pool.applyAsync(SLEEP, 600_000L); // one worker is busy in a task that would never end
      Set<Long> workers = fixture.workerPids();

      fixture.supervisor.kill();

      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  workers.stream()
                      .noneMatch(
                          pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    }
  }

  @Test
  void sigtermFinishesRunningTasksReleasesTheRestAndExitsZero() throws Exception {
    Map<String, String> props = PoolFixture.faultPool(broker.bootstrapServers(), "drain", 2);
    props.put("kpool.pools.drain.drain-timeout", "30s");
    try (PoolFixture first = PoolFixture.start(broker.bootstrapServers(), "drain", props);
        Pool pool = first.client()) {
      List<AsyncResult<Long>> running =
          List.of(pool.applyAsync(SLEEP, 2_000L), pool.applyAsync(SLEEP, 2_000L));
      await().atMost(WAIT).until(() -> first.poolView().get("workers").get("BUSY").asInt() == 2);
      List<AsyncResult<Long>> waiting = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        waiting.add(pool.applyAsync(SLEEP, 10L));
      }

      assertEquals(0, first.supervisor.stop(WAIT), "drained and exited 0");
      for (AsyncResult<Long> r : running) {
        assertTrue(
            r.ready(), "the running tasks finished and replied before the supervisor exited");
        assertEquals(2_000L, r.get(Duration.ofSeconds(1)));
      }

      try (PoolFixture second = PoolFixture.start(broker.bootstrapServers(), "drain", props)) {
        for (AsyncResult<Long> r : waiting) {
          assertEquals(10L, r.get(WAIT), "released tasks run on the next supervisor");
        }
      }
    }
  }

  @Test
  void aSecondSigtermKillsRunningTasksAndReleasesThemToTheNextSupervisor() throws Exception {
    Map<String, String> props = PoolFixture.faultPool(broker.bootstrapServers(), "terminate", 2);
    try (PoolFixture first = PoolFixture.start(broker.bootstrapServers(), "terminate", props);
        Pool pool = first.client()) {
      List<AsyncResult<Long>> running =
          List.of(pool.applyAsync(SLEEP, 3_000L), pool.applyAsync(SLEEP, 3_000L));
      await().atMost(WAIT).until(() -> first.poolView().get("workers").get("BUSY").asInt() == 2);

      ProcessHandle supervisor = first.supervisor.handle();
      supervisor.destroy(); // drain...
      await()
          .atMost(WAIT)
          .until(
              () ->
                  first.supervisor.log().toFile().length() > 0
                      && java.nio.file.Files.readString(first.supervisor.log())
                          .contains("draining pools"));
      supervisor.destroy(); // ...no: terminate
      assertTrue(supervisor.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS) != null);
      running.forEach(r -> assertTrue(!r.ready(), "terminated tasks were not replied"));

      try (PoolFixture second = PoolFixture.start(broker.bootstrapServers(), "terminate", props)) {
        for (AsyncResult<Long> r : running) {
          assertEquals(3_000L, r.get(WAIT), "released tasks run again on the next supervisor");
        }
      }
    }
  }

  @Test
  void aPoolWhoseWorkersCannotStartBacksOffInsteadOfSpinning() throws Exception {
    Map<String, String> props = PoolFixture.faultPool(broker.bootstrapServers(), "broken", 1);
    props.put("kpool.pools.broken.command", "false");
    props.put("kpool.pools.broken.restart-intensity", "3");
    props.put("kpool.pools.broken.restart-period", "60s");
    props.put("kpool.pools.broken.restart-backoff", "60s");
    try (PoolFixture fixture = PoolFixture.start(broker.bootstrapServers(), "broken", props)) {
      await()
          .atMost(WAIT)
          .until(() -> "BACKING_OFF".equals(fixture.poolView().get("state").asText()));
      long attempts = failedStarts(fixture);
      assertTrue(attempts <= 4, "at most intensity + 1 starts before the pause, saw " + attempts);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  failedStarts(fixture) == attempts
                      && "BACKING_OFF".equals(fixture.poolView().get("state").asText()));
    }
  }

  private static long failedStarts(PoolFixture fixture) throws java.io.IOException {
    return java.nio.file.Files.readAllLines(fixture.supervisor.log()).stream()
        .filter(line -> line.contains("failed to start"))
        .count();
  }

  @Test
  void growsUnderLoadAndShrinksBackWhenIdle() throws Exception {
    Map<String, String> props = PoolFixture.faultPool(broker.bootstrapServers(), "autoscale", 1);
    props.put("kpool.pools.autoscale.min-processes", "1");
    props.put("kpool.pools.autoscale.max-processes", "3");
    props.put("kpool.pools.autoscale.scale-cooldown", "500ms");
    props.put("kpool.pools.autoscale.idle-timeout", "2s");
    try (PoolFixture fixture = PoolFixture.start(broker.bootstrapServers(), "autoscale", props);
        Pool pool = fixture.client()) {
      await().atMost(WAIT).until(() -> fixture.activeWorkers() == 1);
      List<AsyncResult<Long>> load = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        load.add(pool.applyAsync(SLEEP, 300L));
      }
      await().atMost(WAIT).until(() -> fixture.activeWorkers() >= 2);
      for (AsyncResult<Long> r : load) {
        assertEquals(300L, r.get(WAIT));
      }
      await().atMost(WAIT).until(() -> fixture.activeWorkers() == 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> fixture.workerPids().size() == 1);
    }
  }
}
