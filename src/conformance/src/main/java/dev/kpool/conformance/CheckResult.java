package dev.kpool.conformance;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of one named check.
 *
 * @param name the check's name, e.g. {@code heartbeats}
 * @param passed whether the worker kept the rule
 * @param detail why it failed; empty when it passed
 * @param workerLog the last lines the worker wrote to stderr during a failed check; empty when it
 *     passed
 * @param elapsed wall time the check took, worker start included
 */
public record CheckResult(
    String name, boolean passed, String detail, String workerLog, Duration elapsed) {

  public CheckResult {
    Objects.requireNonNull(name, "name");
    detail = detail == null ? "" : detail;
    workerLog = workerLog == null ? "" : workerLog;
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /** {@code PASS name} or {@code FAIL name: detail}, the line the command line prints. */
  public String line() {
    return passed ? "PASS " + name : "FAIL " + name + ": " + detail;
  }
}
