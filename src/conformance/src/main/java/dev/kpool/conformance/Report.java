package dev.kpool.conformance;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of a conformance run: one {@link CheckResult} per check, in the order they ran.
 *
 * @param results every check that ran
 * @param elapsed wall time of the whole run
 */
public record Report(List<CheckResult> results, Duration elapsed) {

  public Report {
    results = List.copyOf(results);
  }

  /** Whether every check passed (true for an empty run). */
  public boolean passed() {
    return results.stream().allMatch(CheckResult::passed);
  }

  /** The checks that failed, in run order. */
  public List<CheckResult> failures() {
    return results.stream().filter(r -> !r.passed()).toList();
  }

  /** One line: how many passed and failed, and how long it took. */
  public String summary() {
    return String.format(
        "conformance: %d passed, %d failed in %.1f s",
        results.size() - failures().size(), failures().size(), elapsed.toMillis() / 1000.0);
  }
}
