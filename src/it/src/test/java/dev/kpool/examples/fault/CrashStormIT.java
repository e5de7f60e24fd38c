package dev.kpool.examples.fault;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.examples.local.KpoolHome;
import dev.kpool.examples.supervision.PoolFixture;
import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.Topics;
import dev.kpool.testkit.KafkaBrokerExtension;
import dev.kpool.testkit.KafkaTestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fault-injection suite's crash storm (scenario h), on a real broker, a real supervisor JVM and
 * real worker processes. Besides the outcome every scenario asserts (see {@link
 * FaultScenariosIT}), it bounds the longest gap between two completions, a timing that the load of
 * other ITs would move: so it runs alone.
 */
@Tag("serial") // asserts timings: runs alone (see the module pom)
@ExtendWith(KafkaBrokerExtension.class)
class CrashStormIT {
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final Task<Integer, Void> CRASH = Task.of("crash", Integer.class, Void.class);
  private static KafkaTestBroker broker;

  /**
   * h: a crash storm. 3 poison tasks (each kills its worker whenever it runs) among 2,000 that nap
   * 20 ms, while a random serving worker (of 4, Python) is SIGKILLed every 300 ms for 10 s, under
   * the default restart intensity (10 restarts in 60 s, then a 30 s backoff), which the storm
   * trips within seconds. Tasks keep completing throughout: the longest gap between two callbacks
   * stays under 5 s, and the poison tasks are dead-lettered after their attempts.
   */
  @Test
  void aCrashStormWithPoisonTasksNeverLeavesThePoolWithoutWorkers() throws Exception {
    int tasks = 2_003;
    List<Integer> poison = List.of(500, 1_001, 1_502);
    FaultPool pool = new FaultPool(broker.bootstrapServers(), "h", 4);
    Path home = KpoolHome.locate().root();
    pool.props.put(
        pool.key("command"),
        WorkerStorm.python()
            + ",-u,"
            + home.resolve("src/it/src/test/resources/fault/storm_worker.py"));
    pool.props.put(
        pool.key("environment.PYTHONPATH"),
        home.resolve("src/python") + ":" + home.resolve("src/python/examples"));
    pool.props.put(pool.key("restart-intensity"), "10");
    pool.props.put(pool.key("restart-period"), "60s");
    pool.props.put(pool.key("restart-backoff"), "30s");
    pool.props.put(pool.key("max-attempts"), "5");
    pool.props.put(pool.key("retry-backoff"), "200ms");
    pool.props.put(pool.key("retry-backoff-max"), "1s");
    ScenarioTally tally = new ScenarioTally("crash_storm_with_poison", tasks);
    var killer = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger kills = new AtomicInteger();
    try (PoolFixture supervisor = pool.startSupervisor();
        Pool client = pool.client().maxInFlight(tasks).submitTimeout(WAIT).build()) {
      for (int i = 0; i < tasks; i++) {
        var handle =
            poison.contains(i)
                ? client.applyAsync(CRASH, 3, tally.callbackOf(i), tally.callbackOf(i))
                : client.applyAsync(
                    FaultPool.LEDGER, 20L, tally.callbackOf(i), tally.callbackOf(i));
        tally.submitted(i, handle.taskId());
      }
      await().atMost(WAIT).until(() -> tally.called() > 0);
      long stormEnds = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      killer.scheduleAtFixedRate(
          () -> {
            if (System.nanoTime() - stormEnds < 0) {
              WorkerStorm.killOneServingWorker(supervisor, kills);
            }
          },
          0,
          300,
          TimeUnit.MILLISECONDS);
      tally.awaitCallbacks(WAIT);
      killer.shutdownNow();
      Duration gap = tally.longestGap();
      System.out.println(
          "scenario h: "
              + kills.get()
              + " workers SIGKILLed; longest gap between two completions "
              + gap.toMillis()
              + " ms");
      ScenarioCounts counts = pool.finish(tally, client.clientId());
      assertTrue(
          Files.readAllLines(supervisor.supervisor.log()).stream()
              .anyMatch(line -> line.contains("more than 10 worker restarts")),
          "the storm tripped the restart intensity");
      assertTrue(gap.compareTo(Duration.ofSeconds(5)) < 0, "longest gap " + gap.toMillis() + " ms");
      var deadIds =
          TopicRecords.readAll(pool.bootstrap, Topics.deadLetters(pool.name)).stream()
              .map(r -> PoolFixture.header(r, HeaderNames.ID))
              .toList();
      for (int i : poison) {
        assertTrue(
            deadIds.contains(tally.idOf(i)),
            "poison task " + i + " is dead-lettered: " + counts.line());
      }
    } finally {
      killer.shutdownNow();
    }
  }
}
