package dev.kpool.conformance;

import java.util.stream.Collectors;

/** Test output of conformance runs; failsafe keeps it in the test's output file. */
final class Conformance {
  private Conformance() {}

  static void log(CheckResult result) {
    System.out.println(result.line() + " (" + result.elapsed().toMillis() + " ms)");
  }

  static void log(Report report) {
    System.out.println(report.summary());
  }

  /** The failed checks with the worker's stderr, as an assertion message. */
  static String failures(Report report) {
    return report.failures().stream()
        .map(r -> r.line() + "\n  worker stderr:\n" + r.workerLog().indent(4))
        .collect(Collectors.joining("\n"));
  }
}
