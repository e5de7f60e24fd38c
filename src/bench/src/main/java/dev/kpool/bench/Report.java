package dev.kpool.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The Markdown report: per workload, each system's median throughput and latency, the ratios
 * kpool/mp-pool and kpool/kafka-raw (of throughput: above 1 means kpool is faster), and the target;
 * then, if it ran, kpool's Python client beside multiprocessing.Pool.
 */
final class Report {
  private Report() {}

  static void write(Path file, List<Result> medians, String context) throws IOException {
    StringBuilder md = new StringBuilder("# kpool benchmark\n\n").append(context).append("\n\n");
    // Ratios first: they hold from host to host, the absolute figures do not.
    md.append(
        "| workload | kpool/mp-pool | kpool/kafka-raw | kpool tasks/s | mp-pool tasks/s | kafka-raw tasks/s"
            + " | kpool p50/p99 ms | mp-pool p50/p99 ms | kafka-raw p50/p99 ms | target | met |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
    for (String workload : workloads(medians)) {
      Optional<Result> kpool = find(medians, "kpool", workload);
      Optional<Result> mp = find(medians, "mp-pool", workload);
      Optional<Result> raw = find(medians, "kafka-raw", workload);
      Optional<Target> target = Target.of(workload);
      md.append("| ")
          .append(workload)
          .append(" | ")
          .append(ratio(kpool, mp))
          .append(" | ")
          .append(ratio(kpool, raw))
          .append(" | ")
          .append(rate(kpool))
          .append(" | ")
          .append(rate(mp))
          .append(" | ")
          .append(rate(raw))
          .append(" | ")
          .append(latency(kpool))
          .append(" | ")
          .append(latency(mp))
          .append(" | ")
          .append(latency(raw))
          .append(" | ")
          .append(target.map(Target::goal).orElse(""))
          .append(" | ")
          .append(
              target.isEmpty() || kpool.isEmpty()
                  ? ""
                  : target.get().met().test(kpool.get()) ? "yes" : "**no**")
          .append(" |\n");
    }
    if (medians.stream().anyMatch(r -> r.system().equals("kpool-py"))) {
      python(md, medians);
    }
    md.append("\n![throughput per workload, log scale](report.png)\n");
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, md);
  }

  /** kpool's Python client beside multiprocessing.Pool running the same Python code. */
  private static void python(StringBuilder md, List<Result> medians) {
    md.append("\n## Python client\n\n");
    md.append(
        "| workload | kpool-py/mp-pool | kpool-py tasks/s | mp-pool tasks/s | kpool-py p50/p99 ms | target | met |\n");
    md.append("|---|---:|---:|---:|---:|---|---|\n");
    for (String workload : workloads(medians)) {
      Optional<Result> py = find(medians, "kpool-py", workload);
      if (py.isEmpty()) {
        continue;
      }
      Optional<Result> mp = find(medians, "mp-pool", workload);
      Optional<Target> target = Target.python(workload);
      md.append("| ")
          .append(workload)
          .append(" | ")
          .append(ratio(py, mp))
          .append(" | ")
          .append(rate(py))
          .append(" | ")
          .append(rate(mp))
          .append(" | ")
          .append(latency(py))
          .append(" | ")
          .append(target.map(Target::goal).orElse(""))
          .append(" | ")
          .append(target.isEmpty() ? "" : target.get().met().test(py.get()) ? "yes" : "**no**")
          .append(" |\n");
    }
  }

  static Set<String> workloads(List<Result> results) {
    Set<String> workloads = new LinkedHashSet<>();
    results.forEach(r -> workloads.add(r.workload()));
    return workloads;
  }

  static Optional<Result> find(List<Result> results, String system, String workload) {
    return results.stream()
        .filter(r -> r.system().equals(system) && r.workload().equals(workload))
        .findFirst();
  }

  private static String rate(Optional<Result> r) {
    // Slow rows (pool-start, fresh processes) read better with their time beside the rate.
    return r.map(
            x ->
                x.tasksPerSecond() >= 10
                    ? String.format(Locale.ROOT, "%,.0f", x.tasksPerSecond())
                    : String.format(Locale.ROOT, "%.2f (%.2f s)", x.tasksPerSecond(), x.seconds()))
        .orElse("n/a");
  }

  private static String ratio(Optional<Result> a, Optional<Result> b) {
    return a.isPresent() && b.isPresent()
        ? String.format(Locale.ROOT, "%.2f", a.get().tasksPerSecond() / b.get().tasksPerSecond())
        : "n/a";
  }

  private static String latency(Optional<Result> r) {
    return r.filter(x -> !Double.isNaN(x.p50Ms()))
        .map(x -> String.format(Locale.ROOT, "%.2f / %.2f", x.p50Ms(), x.p99Ms()))
        .orElse("-");
  }
}
