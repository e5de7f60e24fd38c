package dev.kpool.supervisor.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.supervisor.fault.HeldTasks.Start;
import dev.kpool.supervisor.fault.TaskSettler.Verdict;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HeldTasksTest {
  private final HeldTasks held = new HeldTasks();
  private final AtomicInteger runs = new AtomicInteger();

  private CompletableFuture<Verdict> counted(CompletableFuture<Verdict> verdict) {
    runs.incrementAndGet();
    return verdict;
  }

  @Test
  void aSecondDeliveryOfARunningTaskJoinsItAndGetsItsVerdict() {
    CompletableFuture<Verdict> first = new CompletableFuture<>();
    HeldTasks.Held started = held.run("t1", () -> counted(first));
    HeldTasks.Held joined = held.run("t1", () -> counted(new CompletableFuture<>()));

    assertSame(Start.STARTED, started.start());
    assertSame(Start.JOINED, joined.start());
    assertEquals(1, runs.get(), "the task ran once");
    assertFalse(joined.verdict().isDone());
    first.complete(Verdict.ACCEPT);
    assertEquals(Verdict.ACCEPT, started.verdict().join());
    assertEquals(Verdict.ACCEPT, joined.verdict().join());
  }

  @Test
  void aReleasedRunReleasesEveryDeliveryThatJoinedIt() {
    CompletableFuture<Verdict> first = new CompletableFuture<>();
    HeldTasks.Held started = held.run("t1", () -> first);
    HeldTasks.Held joined = held.run("t1", CompletableFuture::new);
    first.complete(Verdict.RELEASE);
    assertEquals(Verdict.RELEASE, started.verdict().join());
    assertEquals(Verdict.RELEASE, joined.verdict().join());
  }

  @Test
  void aDeliveryAfterTheVerdictStartsANewRun() {
    held.run("t1", () -> counted(CompletableFuture.completedFuture(Verdict.RELEASE)));
    HeldTasks.Held again =
        held.run("t1", () -> counted(CompletableFuture.completedFuture(Verdict.ACCEPT)));
    assertSame(Start.STARTED, again.start());
    assertEquals(2, runs.get());
    assertEquals(0, held.size(), "nothing is held once every run has its verdict");
  }

  @Test
  void differentTasksRunSideBySide() {
    held.run("t1", () -> counted(new CompletableFuture<>()));
    HeldTasks.Held other = held.run("t2", () -> counted(new CompletableFuture<>()));
    assertSame(Start.STARTED, other.start());
    assertEquals(2, held.size());
  }

  @Test
  void theTaskLeavesBeforeItsVerdictCompletes() {
    CompletableFuture<Verdict> first = new CompletableFuture<>();
    HeldTasks.Held started = held.run("t1", () -> first);
    AtomicInteger heldAtVerdict = new AtomicInteger(-1);
    started.verdict().thenRun(() -> heldAtVerdict.set(held.size()));
    first.complete(Verdict.ACCEPT);
    assertEquals(0, heldAtVerdict.get());
  }

  @Test
  void aRunThatThrowsFailsItsVerdictAndIsNotHeld() {
    HeldTasks.Held failed =
        held.run(
            "t1",
            () -> {
              throw new IllegalStateException("pool closed");
            });
    assertTrue(failed.verdict().isCompletedExceptionally());
    assertEquals(0, held.size());
  }

  @Test
  void concurrentDeliveriesOfOneTaskRunItOnce() throws Exception {
    int deliveries = 8;
    CompletableFuture<Verdict> first = new CompletableFuture<>();
    ExecutorService lanes = Executors.newFixedThreadPool(deliveries);
    CountDownLatch go = new CountDownLatch(1);
    try {
      var verdicts = new java.util.ArrayList<CompletableFuture<CompletableFuture<Verdict>>>();
      for (int i = 0; i < deliveries; i++) {
        verdicts.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return held.run("t1", () -> counted(first)).verdict();
                },
                lanes));
      }
      go.countDown();
      CompletableFuture.allOf(verdicts.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      assertEquals(1, runs.get());
      first.complete(Verdict.REJECT);
      for (var verdict : verdicts) {
        assertEquals(Verdict.REJECT, verdict.join().get(10, TimeUnit.SECONDS));
      }
    } finally {
      lanes.shutdownNow();
    }
  }
}
