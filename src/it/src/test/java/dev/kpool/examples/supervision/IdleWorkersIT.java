package dev.kpool.examples.supervision;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.AsyncResult;
import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * No worker idles while a task waits: two waves of tasks on as many workers as the first wave
 * takes end in two task times, not in three, round after round.
 */
@Tag("serial") // asserts timings: runs alone (see the module pom)
@FaultWorkerPool(value = "idle-workers", workers = 5)
class IdleWorkersIT {
  private static final Task<Long, Long> SLEEP = Task.of("sleep", Long.class, Long.class);
  private static final String POOL = "idle-workers";
  private static final int WORKERS = 5;
  private static final int ROUNDS = 20;

  private static PoolFixture fixture;

  @Test
  void tenTasksOfHalfASecondOnFiveWorkersEndWithinOnePointTwoSecondsEveryRound() {
    try (Pool pool = fixture.client()) {
      round(pool); // the first round also starts the JITs of every worker
      List<Double> seconds = new ArrayList<>();
      for (int i = 0; i < ROUNDS; i++) {
        seconds.add(round(pool));
      }
      double longest = seconds.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      System.out.printf(
          "scenario=idle-workers rounds=%d longest_s=%.3f rounds_s=%s%n", ROUNDS, longest, seconds);
      assertTrue(longest <= 1.2, "a round took " + longest + " s: " + seconds);
    }
  }

  /** Ten 500 ms tasks at once; returns the seconds until the last reply. */
  private static double round(Pool pool) {
    long start = System.nanoTime();
    List<AsyncResult<Long>> handles = new ArrayList<>();
    for (int i = 0; i < 2 * WORKERS; i++) {
      handles.add(pool.applyAsync(SLEEP, 500L));
    }
    for (AsyncResult<Long> handle : handles) {
      handle.get(Duration.ofSeconds(30));
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
