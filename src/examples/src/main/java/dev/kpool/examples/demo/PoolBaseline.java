package dev.kpool.examples.demo;

import dev.kpool.examples.local.KpoolHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's work on Python's {@code multiprocessing.Pool}, through the benchmark's own script
 * ({@code src/bench/mp_pool_bench.py}), which warms its pool before it times.
 *
 * @param applyPerSecond no-op {@code apply_async} calls with callbacks per second
 * @param mapPerSecond no-op {@code map} items per second at the demo's chunk size
 */
record PoolBaseline(double applyPerSecond, double mapPerSecond) {
  private static final Pattern RATE = Pattern.compile("\\btasks_per_s=(\\d+(?:\\.\\d+)?)");

  /** Runs both halves; empty when python3 is missing or the script fails (the demo goes on). */
  static Optional<PoolBaseline> run(int processes, int tasks, int mapItems, int chunksize) {
    Path script = KpoolHome.locate().root().resolve("src/bench/mp_pool_bench.py");
    if (!Files.isRegularFile(script)) {
      return Optional.empty();
    }
    OptionalDouble apply = rate(script, processes, tasks, "noop-apply-async", 1);
    OptionalDouble map =
        apply.isPresent() ? rate(script, processes, mapItems, "noop-map", chunksize) : apply;
    return map.isPresent()
        ? Optional.of(new PoolBaseline(apply.getAsDouble(), map.getAsDouble()))
        : Optional.empty();
  }

  private static OptionalDouble rate(
      Path script, int processes, int tasks, String workload, int chunksize) {
    List<String> argv =
        List.of(
            "python3",
            script.toString(),
            "--workload",
            workload,
            "--tasks",
            Integer.toString(tasks),
            "--processes",
            Integer.toString(processes),
            "--chunksize",
            Integer.toString(chunksize));
    try {
      Process process =
          new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        return OptionalDouble.empty();
      }
      return parse(out);
    } catch (IOException e) {
      return OptionalDouble.empty(); // no python3 here: the demo has no baseline to show
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalDouble.empty();
    }
  }

  /** The {@code tasks_per_s} of the script's result line, if it printed one. */
  static OptionalDouble parse(String output) {
    Matcher m = RATE.matcher(output);
    return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
  }
}
