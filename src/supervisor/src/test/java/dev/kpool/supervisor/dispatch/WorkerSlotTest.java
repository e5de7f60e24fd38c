package dev.kpool.supervisor.dispatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.kpool.protocol.RemoteError;
import dev.kpool.supervisor.config.PoolConfig;
import dev.kpool.supervisor.config.TestPoolConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A pool of one slot on a fake clock, whose workers are scripted in memory: deadlines, heartbeat
 * silence, recycling and crash pacing without a process or a real wait.
 */
class WorkerSlotTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  private final FakeClock clock = new FakeClock();
  private final ScriptedWorkers workers = new ScriptedWorkers(clock);
  private ProcessPool pool;

  private ProcessPool start(Map<String, Object> overrides) {
    pool = new ProcessPool("slot", config(overrides), submit -> {}, clock, workers);
    pool.start();
    return pool;
  }

  @AfterEach
  void stop() {
    if (pool != null) {
      pool.shutdown(BOUND);
    }
  }

  @Test
  void aTaskPastItsDeadlineHasItsWorkerKilledAndTimesOut() {
    start(Map.of());
    long deadline = clock.epochMillis() + 10_000;

    Outcome outcome =
        outcomeOf(
            pool.submit(new TaskWork("t", "beat", "application/json", List.of(), 1, deadline)));

    assertEquals(Outcome.Kind.TIMED_OUT, outcome.kind(), outcome.toString());
    assertEquals(RemoteError.TIMED_OUT, outcome.error().type());
    assertTrue(workers.launched().get(0).killed(), "the worker that ran it is killed");
    assertTrue(clock.epochMillis() >= deadline, "heartbeats kept it alive until the deadline");
    await().atMost(BOUND).until(() -> workers.launched().size() == 2);
  }

  @Test
  void aBusyWorkerSilentForThreeHeartbeatsIsKilledAsHung() {
    start(Map.of());
    long before = clock.nanoTime();

    Outcome outcome = outcomeOf(pool.submit(work("t", "hang")));

    assertEquals(Outcome.Kind.CRASHED, outcome.kind(), outcome.toString());
    assertTrue(
        outcome.error().message().contains("no heartbeat for PT3S"), outcome.error().message());
    assertEquals(
        Duration.ofSeconds(3).toNanos(),
        clock.nanoTime() - before,
        "three 1 s heartbeat intervals");
    assertTrue(workers.launched().get(0).killed());
  }

  @Test
  void aWorkerIsReplacedAfterMaxTasksPerChild() {
    start(Map.of("maxTasksPerChild", OptionalInt.of(2)));

    List<Outcome> outcomes =
        List.of(
            outcomeOf(pool.submit(work("a", "ok"))),
            outcomeOf(pool.submit(work("b", "ok"))),
            outcomeOf(pool.submit(work("c", "ok"))));

    assertEquals(
        List.of(Outcome.Kind.OK, Outcome.Kind.OK, Outcome.Kind.OK),
        outcomes.stream().map(Outcome::kind).toList());
    assertEquals(
        List.of(1L, 1L, 2L),
        outcomes.stream().map(Outcome::pid).toList(),
        "the third task runs on the replacement");
    await().atMost(BOUND).until(() -> !workers.launched().get(0).isAlive());
    assertEquals(1, pool.stats().workerRecycles());
  }

  @Test
  void aWorkerThatDiesUnderATaskIsReportedAsACrashAndTheSlotStartsAnother() {
    start(Map.of());

    Outcome crashed = outcomeOf(pool.submit(work("a", "crash")));
    Outcome next = outcomeOf(pool.submit(work("b", "ok")));

    assertEquals(Outcome.Kind.CRASHED, crashed.kind(), crashed.toString());
    assertEquals(RemoteError.WORKER_CRASHED, crashed.error().type());
    assertTrue(crashed.error().message().contains("exit code 3"), crashed.error().message());
    assertEquals(Outcome.Kind.OK, next.kind());
    assertEquals(2L, next.pid(), "a new worker runs the next task");
  }

  @Test
  void pastTheRestartIntensityASlotWhoseWorkersFinishNoTaskWaitsItsOwnBackoff() {
    start(Map.of("restartIntensity", 1));

    assertEquals(Outcome.Kind.CRASHED, outcomeOf(pool.submit(work("a", "crash"))).kind());
    assertEquals(Outcome.Kind.CRASHED, outcomeOf(pool.submit(work("b", "crash"))).kind());
    CompletableFuture<Outcome> waiting = pool.submit(work("c", "ok"));

    await().atMost(BOUND).until(() -> pool.workersByState().get(WorkerState.BACKING_OFF) == 1);
    assertEquals("BACKING_OFF", pool.state());
    assertEquals(2, workers.launched().size(), "no third worker while the slot waits");
    clock.advance(Duration.ofMillis(499));
    assertEquals(2, workers.launched().size(), "two barren workers in a row: 500 ms");

    clock.advance(Duration.ofMillis(1));
    Outcome outcome = outcomeOf(waiting);
    assertEquals(Outcome.Kind.OK, outcome.kind());
    assertEquals(3L, outcome.pid());
  }

  @Test
  void pastTheRestartIntensityASlotWhoseLastWorkerFinishedATaskRestartsAtOnce() {
    start(Map.of("restartIntensity", 1));
    assertEquals(Outcome.Kind.CRASHED, outcomeOf(pool.submit(work("a", "crash"))).kind());
    assertEquals(Outcome.Kind.OK, outcomeOf(pool.submit(work("b", "ok"))).kind());

    assertEquals(Outcome.Kind.CRASHED, outcomeOf(pool.submit(work("c", "crash"))).kind());
    assertEquals("BACKING_OFF", pool.state(), "the second crash trips the intensity");

    Outcome next = outcomeOf(pool.submit(work("d", "ok")));
    assertEquals(Outcome.Kind.OK, next.kind(), "no fake time passed: the slot did not wait");
    assertEquals(3L, next.pid());
  }

  private static Outcome outcomeOf(CompletableFuture<Outcome> outcome) {
    await().atMost(BOUND).until(outcome::isDone);
    return outcome.join();
  }

  private static TaskWork work(String id, String task) {
    List<JsonNode> items = List.of(IntNode.valueOf(1));
    return new TaskWork(id, task, "application/json", items, 1, 0);
  }

  /** {@link TestPoolConfig} for one worker, with the keys in {@code overrides} replaced. */
  private static PoolConfig config(Map<String, Object> overrides) {
    PoolConfig base = new TestPoolConfig(List.of("unused"), 1, 1, 3);
    return (PoolConfig)
        Proxy.newProxyInstance(
            PoolConfig.class.getClassLoader(),
            new Class<?>[] {PoolConfig.class},
            (proxy, method, args) -> {
              if (overrides.containsKey(method.getName())) {
                return overrides.get(method.getName());
              }
              try {
                return method.invoke(base, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
