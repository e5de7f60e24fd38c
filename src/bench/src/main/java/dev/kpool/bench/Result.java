package dev.kpool.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One measured result, printed as one machine-readable line. Latencies are {@code NaN} where the
 * workload does not measure them (a map completes as a whole); they print as {@code -}.
 */
public record Result(
    String system, String workload, int tasks, double seconds, double p50Ms, double p99Ms) {
  /** What every result line matches. */
  public static final Pattern LINE =
      Pattern.compile(
          "system=(kpool|kpool-py|mp-pool|kafka-raw) workload=([a-z0-9-]+) tasks=(\\d+) seconds=(\\d+\\.\\d+)"
              + " tasks_per_s=(\\d+\\.\\d+) p50_ms=(\\d+\\.\\d+|-) p99_ms=(\\d+\\.\\d+|-)");

  public double tasksPerSecond() {
    return tasks / seconds;
  }

  /** {@code system=... workload=... tasks=... seconds=... tasks_per_s=... p50_ms=... p99_ms=...} */
  public String line() {
    return String.format(
        Locale.ROOT,
        "system=%s workload=%s tasks=%d seconds=%.4f tasks_per_s=%.1f p50_ms=%s p99_ms=%s",
        system,
        workload,
        tasks,
        seconds,
        tasksPerSecond(),
        millis(p50Ms),
        millis(p99Ms));
  }

  /**
   * Reads a line printed by {@link #line()} (or by the Python script, which prints the same).
   *
   * @throws IllegalArgumentException if it is not a result line
   */
  public static Result parse(String line) {
    Matcher m = LINE.matcher(line.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a result line: " + line);
    }
    return new Result(
        m.group(1),
        m.group(2),
        Integer.parseInt(m.group(3)),
        Double.parseDouble(m.group(4)),
        latency(m.group(6)),
        latency(m.group(7)));
  }

  /** Per system and workload, the run with the median time, in first-seen order. */
  public static List<Result> medians(List<Result> runs) {
    Map<String, List<Result>> groups = new LinkedHashMap<>();
    for (Result r : runs) {
      groups.computeIfAbsent(r.system + " " + r.workload, k -> new ArrayList<>()).add(r);
    }
    List<Result> medians = new ArrayList<>();
    for (List<Result> group : groups.values()) {
      List<Result> sorted = new ArrayList<>(group);
      sorted.sort(Comparator.comparingDouble(Result::seconds));
      medians.add(sorted.get((sorted.size() - 1) / 2));
    }
    return medians;
  }

  private static String millis(double ms) {
    return Double.isNaN(ms) ? "-" : String.format(Locale.ROOT, "%.3f", ms);
  }

  private static double latency(String text) {
    return text.equals("-") ? Double.NaN : Double.parseDouble(text);
  }
}
