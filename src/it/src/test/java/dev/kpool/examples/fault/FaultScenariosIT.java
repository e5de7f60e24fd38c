package dev.kpool.examples.fault;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.examples.local.KpoolHome;
import dev.kpool.examples.supervision.PoolFixture;
import dev.kpool.protocol.Topics;
import dev.kpool.testkit.KafkaBrokerExtension;
import dev.kpool.testkit.KafkaTestBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fault-injection suite's storms that assert outcomes only: real broker, real supervisor JVMs,
 * real worker processes, and the faults kpool must survive (killed workers, a killed client, a
 * poison task) injected mid-load. The crash storm, which also asserts a bound on the gap between
 * completions, is {@link CrashStormIT}'s; killed supervisors and a stopped broker are {@link
 * RecoveryScenariosIT}'s. Each scenario prints one line, {@code scenario=NAME submitted=N
 * replied=N callbacks=N dead_lettered=N executed_twice=N lost=N}, counted from the client's
 * callbacks, the reply and dead-letter topics, and the ledger the workers append to (see {@link
 * ScenarioTally}); each asserts that nothing was lost and every callback ran exactly once.
 *
 * <p>Each scenario has its own pool and so its own share group, but for e and f, which ask the
 * same of a pool and share one pool and supervisor; they run one after another, and each counts
 * only its own tasks. No assertion is on a timing, so the class runs beside the other ITs.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FaultScenariosIT {
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final Task<Integer, Void> CRASH = Task.of("crash", Integer.class, Void.class);
  private static KafkaTestBroker broker;

  /**
   * The pool of e and f, which ask the same of it, and its supervisor, started by the first of them
   * and kept for the other: a supervisor JVM and its workers take seconds to start. f's poison
   * needs max-attempts 3, which e's tasks (none fails) never reach.
   */
  private static FaultPool shared;

  private static PoolFixture sharedSupervisor;

  @AfterAll
  static void stopSharedSupervisor() {
    if (sharedSupervisor != null) {
      sharedSupervisor.close();
    }
    // A rerun of a failed test runs the class again: it must start its own supervisor.
    sharedSupervisor = null;
    shared = null;
  }

  /**
   * a: 20,000 tasks, one record each, while a random worker is SIGKILLed every 200 ms. The client's
   * in-flight bound (2,000) paces submission; the killer stops when every callback has run or
   * after 3,000 kills. The workers are Python ({@code ledger_worker.py}): a JVM worker takes longer
   * to start on a loaded 2-core machine than the 800 ms each of four workers lives on average.
   */
  @Test
  void aRandomWorkerSigkilledEvery200msLosesNoneOf20000Tasks() throws Exception {
    int tasks = 20_000;
    FaultPool pool = new FaultPool(broker.bootstrapServers(), "a", 4);
    Path script = KpoolHome.locate().root().resolve("src/python/examples/ledger_worker.py");
    pool.props.put(pool.key("command"), WorkerStorm.python() + ",-u," + script);
    pool.props.put(pool.key("max-attempts"), "10");
    ScenarioTally tally = new ScenarioTally("worker_sigkill_every_200ms", tasks);
    var killer = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger kills = new AtomicInteger();
    try (PoolFixture supervisor = pool.startSupervisor();
        Pool client = pool.client().maxInFlight(2_000).submitTimeout(WAIT).build()) {
      killer.scheduleAtFixedRate(
          () -> {
            if (tally.called() == tasks || kills.get() >= 3_000) {
              return;
            }
            WorkerStorm.killOneServingWorker(supervisor, kills);
          },
          200,
          200,
          TimeUnit.MILLISECONDS);
      FaultPool.submit(client, tally, 0, tasks, 0);
      tally.awaitCallbacks(WAIT);
      killer.shutdownNow();
      System.out.println("scenario a: " + kills.get() + " workers SIGKILLed");
      pool.finish(tally, client.clientId());
      assertTrue(kills.get() > 0, "workers were killed");
    } finally {
      killer.shutdownNow();
    }
  }

  /** The pool that e and f share, its supervisor started on first use. */
  private static synchronized FaultPool sharedPool() throws java.io.IOException {
    if (shared == null) {
      FaultPool pool = new FaultPool(broker.bootstrapServers(), "ef", 2);
      pool.props.put(pool.key("max-attempts"), "3");
      sharedSupervisor = pool.startSupervisor();
      shared = pool;
    }
    return shared;
  }

  /**
   * e: a durable client (its own JVM) is SIGKILLed mid-load; a new run with the same client id finds
   * every task whose callback had not run among its detached tasks, re-attaches, and receives every
   * result. Callbacks are counted across both runs: each task's runs once in each run at most and
   * at least once in all. One that ran just before the kill, before the journal recorded it
   * settled, may run again in the new run (at least once across a crash, as docs/guarantees.md
   * says); the line counts those as {@code called_again_after_crash}.
   */
  @Test
  void aClientSigkilledMidLoadReattachesWithItsIdAndReceivesEveryResult() throws Exception {
    int tasks = 1_000;
    FaultPool pool = sharedPool();
    String clientId = "fault-e-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    ScenarioTally tally = new ScenarioTally("client_sigkill_and_reattach", tasks);
    Process child =
        new ProcessBuilder(
                KpoolHome.java(),
                "-Xmx256m",
                "-cp",
                ChildJvm.testClassPath(),
                FaultClientMain.class.getName(),
                pool.bootstrap,
                pool.name,
                clientId,
                Integer.toString(tasks),
                "20")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
    var reader =
        java.util.concurrent.CompletableFuture.runAsync(() -> readChild(child, tally, ready));
    try {
      assertTrue(ready.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the client wrote its tasks");
      await().atMost(WAIT).until(() -> tally.called() >= tasks / 5);
    } finally {
      child.destroyForcibly(); // SIGKILL: no close, no final commit
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }
    reader.get(30, TimeUnit.SECONDS); // what the child printed before it died
    tally.clientCrashed();
    int calledBefore = tally.called();

    try (Pool next = pool.client().clientId(clientId).build()) {
      var detached = next.detachedTasks();
      System.out.println(
          "scenario e: "
              + calledBefore
              + " callbacks before the kill, "
              + detached.size()
              + " tasks detached after it");
      for (var task : detached) {
        int i = tally.indexOf(task.id());
        next.attach(FaultPool.LEDGER, task.id())
            .toCompletableFuture()
            .whenComplete((r, e) -> tally.callback(i));
      }
      tally.awaitCallbacks(WAIT);
      pool.finish(tally, clientId);
    }
  }

  private static void readChild(
      Process child, ScenarioTally tally, java.util.concurrent.CountDownLatch ready) {
    try (var out =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        String[] words = line.split(" ");
        switch (words[0]) {
          case "submitted" -> tally.submitted(Integer.parseInt(words[1]), words[2]);
          case "callback" -> tally.callback(Integer.parseInt(words[1]));
          case "READY" -> ready.countDown();
          default -> System.out.println("scenario e client: " + line);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * f: one poison task among 300 kills its worker every time it runs: after max-attempts (3) runs
   * it is replied as crashed and dead-lettered; every other task runs once and replies.
   */
  @Test
  void aPoisonTaskIsDeadLetteredAfterTheLimitAndTheRestAreUnaffected() throws Exception {
    int tasks = 301;
    int poison = 150;
    FaultPool pool = sharedPool();
    PoolFixture supervisor = sharedSupervisor;
    ScenarioTally tally = new ScenarioTally("poison_task", tasks);
    try (Pool client = pool.client().build()) {
      FaultPool.submit(client, tally, 0, poison, 0);
      tally.submitted(
          poison,
          client.applyAsync(CRASH, 9, tally.callbackOf(poison), tally.callbackOf(poison)).taskId());
      FaultPool.submit(client, tally, poison + 1, tasks, 0);
      tally.awaitCallbacks(WAIT);
      // the crash reply is written before the dead letter, so the callback can run first
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> !TopicRecords.readAll(pool.bootstrap, Topics.deadLetters(pool.name)).isEmpty());
      ScenarioCounts counts = pool.finish(tally, client.clientId());
      assertEquals(1, counts.deadLettered(), counts.line());
      assertEquals(
          tasks, counts.replied(), "the poison task is replied as crashed too: " + counts.line());
      assertEquals(0, counts.executedTwice(), "no other task ran twice: " + counts.line());
      var letter = TopicRecords.readAll(pool.bootstrap, Topics.deadLetters(pool.name)).get(0);
      assertEquals("crashed", PoolFixture.header(letter, "kpool-dlq-reason"));
      // The share group counts deliveries, which can exceed runs (a delivery released unrun); the
      // limit is on runs that crashed the worker.
      assertTrue(Integer.parseInt(PoolFixture.header(letter, "kpool-dlq-attempts")) >= 3);
      assertEquals(
          3,
          java.nio.file.Files.readAllLines(supervisor.supervisor.log()).stream()
              .filter(line -> line.contains("ended while running a task"))
              .count(),
          "the poison killed 3 workers, no more");
    }
  }
}
