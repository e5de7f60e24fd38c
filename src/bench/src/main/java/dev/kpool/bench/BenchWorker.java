package dev.kpool.bench;

import dev.kpool.worker.Worker;

/**
 * The worker process of the benchmark: {@code noop} returns x+1, {@code sleep} sleeps x ms, {@code
 * cpu} spins x ms of CPU. Each returns its argument's successor so a caller can check the result.
 */
public final class BenchWorker {
  private BenchWorker() {}

  /** The registered tasks. */
  public static Worker worker() {
    return Worker.builder()
        .task("noop", Integer.class, x -> x + 1)
        .task(
            "sleep",
            Integer.class,
            millis -> {
              Thread.sleep(millis);
              return millis + 1;
            })
        .task(
            "cpu",
            Integer.class,
            millis -> {
              spin(millis);
              return millis + 1;
            })
        .build();
  }

  /** Busy-loops for {@code millis} ms of wall time: the CPU-bound task of the benchmark. */
  static long spin(int millis) {
    long end = System.nanoTime() + millis * 1_000_000L;
    long acc = 0;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 1_000; i++) {
        acc = acc * 31 + i;
      }
    }
    return acc;
  }

  public static void main(String[] args) {
    worker().runAndExit();
  }
}
