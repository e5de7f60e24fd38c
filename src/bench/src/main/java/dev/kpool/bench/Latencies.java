package dev.kpool.bench;

import java.util.Arrays;

/** Per-task latencies of one run, from submit to result, for its p50 and p99. Not thread-safe per slot. */
final class Latencies {
  private final long[] submitted;
  private final long[] completed;

  Latencies(int tasks) {
    submitted = new long[tasks];
    completed = new long[tasks];
  }

  void submitted(int task) {
    submitted[task] = System.nanoTime();
  }

  void completed(int task) {
    completed[task] = System.nanoTime();
  }

  /** The result of a run that took {@code seconds}, with this run's percentiles. */
  Result result(String system, Spec spec, double seconds) {
    double[] ms = new double[submitted.length];
    for (int i = 0; i < ms.length; i++) {
      ms[i] = (completed[i] - submitted[i]) / 1e6;
    }
    Arrays.sort(ms);
    return new Result(
        system, spec.label(), spec.tasks(), seconds, percentile(ms, 50), percentile(ms, 99));
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
