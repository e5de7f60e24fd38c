package dev.kpool.examples.fault;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.Pool;
import dev.kpool.devbroker.EmbeddedKafkaBroker;
import dev.kpool.examples.supervision.PoolFixture;
import dev.kpool.testkit.KafkaTestBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The recovery scenarios of the fault-injection suite: a supervisor SIGKILLed and replaced, one of
 * two SIGKILLed, and the broker stopped past the clients' position timeout, each mid-load, on real
 * brokers, supervisor JVMs and worker processes. Each prints its {@code scenario=} line and asserts
 * that nothing was lost and every callback ran exactly once ({@link ScenarioTally}).
 *
 * <p>They assert no timing, only outcomes, so unlike {@link CrashStormIT} (a bound on the gap
 * between completions) they run beside other ITs. They share a broker of their own, but for
 * the outage, which stops one it starts for itself; each runs in its own pool and share group, so
 * they run at once: most of their time is spent waiting on killed and restarted processes.
 */
@Execution(ExecutionMode.CONCURRENT)
class RecoveryScenariosIT {
  private static final Duration WAIT = Duration.ofMinutes(3);
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

  /** b: the only supervisor is SIGKILLed mid-load; a new one starts and finishes the work. */
  @Test
  void aSupervisorSigkilledMidLoadIsReplacedAndNoTaskIsLost() throws Exception {
    int tasks = 1_000;
    FaultPool pool = new FaultPool(broker.bootstrapServers(), "b", 2);
    ScenarioTally tally = new ScenarioTally("supervisor_sigkill_and_restart", tasks);
    try (Pool client = pool.client().build()) {
      try (PoolFixture first = pool.startSupervisor()) {
        FaultPool.submit(client, tally, 0, tasks, 20);
        await().atMost(WAIT).until(() -> tally.called() >= tasks / 5);
        first.supervisor.kill();
        assertTrue(first.supervisor.handle().onExit().get(30, TimeUnit.SECONDS) != null);
      }
      try (PoolFixture second = pool.startSupervisor()) {
        tally.awaitCallbacks(WAIT);
        pool.finish(tally, client.clientId());
      }
    }
  }

  /** c: two supervisors serve one pool; one is SIGKILLed mid-load and the other finishes. */
  @Test
  void oneOfTwoSupervisorsSigkilledMidLoadLosesNoTask() throws Exception {
    int tasks = 1_000;
    FaultPool pool = new FaultPool(broker.bootstrapServers(), "c", 2);
    ScenarioTally tally = new ScenarioTally("one_of_two_supervisors_sigkill", tasks);
    try (PoolFixture first = pool.startSupervisor();
        PoolFixture second = pool.startSupervisor();
        Pool client = pool.client().build()) {
      FaultPool.submit(client, tally, 0, tasks, 20);
      await().atMost(WAIT).until(() -> tally.called() >= tasks / 5);
      first.supervisor.kill();
      tally.awaitCallbacks(WAIT);
      pool.finish(tally, client.clientId());
      assertTrue(second.supervisor.handle().isAlive(), "the survivor kept serving");
    }
  }

  /**
   * d: the broker (this test's own) is stopped for 12 s mid-load and restarted on the same port and
   * data, while three clients (one durable) each have 500 tasks in flight. The clients' Kafka calls
   * give up after 4 s ({@code default.api.timeout.ms}, 60 s by default), so the outage outlasts
   * their position timeout, on which a reply listener used to stop for good. Client and supervisor
   * reconnect on their own; every client gets every result once. Tasks that ran twice are counted
   * and printed ({@code ran_twice}), not failed on: execution is at least once.
   */
  @Test
  void theBrokerDownPastTheClientsPositionTimeoutLosesNoTaskAndCostsNoClientAResult()
      throws Exception {
    int clients = 3;
    int tasksEach = 500;
    Duration outage = Duration.ofSeconds(12);
    try (EmbeddedKafkaBroker own = EmbeddedKafkaBroker.builder().build().start()) {
      FaultPool pool = new FaultPool(own.bootstrapServers(), "d", 2);
      ScenarioTally tally = new ScenarioTally("broker_down_12s", clients * tasksEach);
      String durableId = "fault-d-" + java.util.UUID.randomUUID().toString().substring(0, 8);
      var restarter = Executors.newSingleThreadScheduledExecutor();
      try (PoolFixture supervisor = pool.startSupervisor();
          Pool first = shortTimeouts(pool.client(), Duration.ofSeconds(4)).build();
          Pool second = shortTimeouts(pool.client(), Duration.ofSeconds(4)).build();
          Pool durable =
              shortTimeouts(pool.client().clientId(durableId), Duration.ofSeconds(4)).build()) {
        List<Pool> all = List.of(first, second, durable);
        for (int c = 0; c < clients; c++) {
          FaultPool.submit(all.get(c), tally, c * tasksEach, (c + 1) * tasksEach, 20);
        }
        await().atMost(WAIT).until(() -> tally.called() >= clients * tasksEach / 5);
        own.stop();
        // the outage lasts 12 s of wall time: a scheduled restart, not a sleep in the test
        restarter
            .schedule(own::start, outage.toSeconds(), TimeUnit.SECONDS)
            .get(120, TimeUnit.SECONDS);
        tally.awaitCallbacks(WAIT);
        ScenarioCounts counts = pool.finish(tally, all.stream().map(Pool::clientId).toList());
        System.out.println(
            "scenario="
                + counts.scenario()
                + " outage_s="
                + outage.toSeconds()
                + " clients="
                + clients
                + " lost="
                + counts.lost()
                + " ran_twice="
                + counts.executedTwice());
      } finally {
        restarter.shutdownNow();
      }
    }
  }

  /** Kafka calls that give up after {@code timeout}, each request after half of it. */
  private static Pool.Builder shortTimeouts(Pool.Builder client, Duration timeout) {
    return client
        .submitTimeout(WAIT)
        .kafkaProperty("default.api.timeout.ms", (int) timeout.toMillis())
        .kafkaProperty("request.timeout.ms", (int) timeout.toMillis() / 2);
  }
}
