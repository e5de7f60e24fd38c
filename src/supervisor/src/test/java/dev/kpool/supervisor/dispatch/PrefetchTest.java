package dev.kpool.supervisor.dispatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.kpool.supervisor.config.TestPoolConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A slot sends a short task ahead while another runs; these are the ways such a task may never
 * start. Real worker processes (the Python SDK's test fixture), no Kafka.
 */
class PrefetchTest {
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final Path FIXTURE = Path.of("../python/tests/fixture_worker.py").toAbsolutePath();

  private final ProcessPool pool =
      new ProcessPool(
          "prefetch",
          new TestPoolConfig(List.of("python3", "-u", FIXTURE.toString()), 1, 1, 3),
          submit -> {});

  @AfterEach
  void stop() {
    pool.shutdown(Duration.ofSeconds(10));
  }

  @Test
  void aTaskSentAheadOfOneThatKillsTheWorkerRunsOnTheReplacement() throws Exception {
    // Queued before the worker is up, so the slot sends square(3) while exit(1) runs.
    CompletableFuture<Outcome> fatal = pool.submit(work("a", "exit", 1));
    CompletableFuture<Outcome> next = pool.submit(work("b", "square", 3));
    pool.start();

    Outcome first = fatal.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    Outcome second = next.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    assertEquals(
        Outcome.Kind.FAILED,
        first.kind(),
        "SystemExit is reported in the result, then the worker exits");
    assertEquals(
        Outcome.Kind.OK,
        second.kind(),
        "the task behind it never started, so it is not a crash: " + second);
    assertEquals(List.of(IntNode.valueOf(9)), second.results());
    assertNotEquals(first.pid(), second.pid());
  }

  @Test
  void aTaskCancelledAfterItWasSentAheadEndsCancelledAndTheOthersRun() throws Exception {
    CompletableFuture<Outcome> running = pool.submit(work("a", "sleep", 1_000));
    CompletableFuture<Outcome> cancelled = pool.submit(work("b", "square", 3));
    CompletableFuture<Outcome> after = pool.submit(work("c", "square", 4));
    pool.start();
    await().atMost(BOUND).until(() -> pool.workersByState().get(WorkerState.BUSY) == 1);

    pool.cancel("b");

    assertEquals(
        Outcome.Kind.OK,
        running.get(BOUND.toSeconds(), TimeUnit.SECONDS).kind(),
        "the running task is not hurt by the cancel of the one behind it");
    assertEquals(Outcome.Kind.CANCELLED, cancelled.get(BOUND.toSeconds(), TimeUnit.SECONDS).kind());
    Outcome last = after.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    assertEquals(Outcome.Kind.OK, last.kind(), last.toString());
    assertEquals(List.of(IntNode.valueOf(16)), last.results());
  }

  private static TaskWork work(String id, String task, int arg) {
    List<JsonNode> items = List.of(IntNode.valueOf(arg));
    return new TaskWork(id, task, "application/json", items, 1, 0);
  }
}
