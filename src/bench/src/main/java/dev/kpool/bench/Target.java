package dev.kpool.bench;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** A throughput or latency goal the bench report checks kpool's result of one workload against. */
record Target(String workload, String goal, Predicate<Result> met) {

  /** The goals, by workload label. */
  static final List<Target> ALL =
      List.of(
          new Target("noop-apply-async", ">= 20,000 tasks/s", r -> r.tasksPerSecond() >= 20_000),
          new Target("noop-map-c100", ">= 300,000 items/s", r -> r.tasksPerSecond() >= 300_000),
          new Target(
              "noop-map-c1000", ">= 1,000,000 items/s", r -> r.tasksPerSecond() >= 1_000_000),
          new Target(
              "round-trip", "p50 <= 2 ms, p99 <= 10 ms", r -> r.p50Ms() <= 2 && r.p99Ms() <= 10),
          new Target("sleep-10ms", ">= 720 tasks/s (90 % of 800)", r -> r.tasksPerSecond() >= 720),
          new Target("cpu-20ms", ">= 90 tasks/s (90 % of 100)", r -> r.tasksPerSecond() >= 90),
          new Target("pool-start", "<= 1.5 s", r -> r.seconds() <= 1.5));

  /** The goals of kpool's Python client (system kpool-py), by workload label. */
  static final List<Target> PYTHON =
      List.of(
          new Target("noop-apply-async", ">= 5,000 tasks/s", r -> r.tasksPerSecond() >= 5_000),
          new Target("noop-map-c100", ">= 200,000 items/s", r -> r.tasksPerSecond() >= 200_000));

  static Optional<Target> python(String workload) {
    return PYTHON.stream().filter(t -> t.workload.equals(workload)).findFirst();
  }

  static Optional<Target> of(String workload) {
    return ALL.stream().filter(t -> t.workload.equals(workload)).findFirst();
  }
}
