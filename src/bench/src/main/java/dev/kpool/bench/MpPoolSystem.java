package dev.kpool.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Python's {@code multiprocessing.Pool}: runs {@code src/bench/mp_pool_bench.py} once per spec with
 * the same sizes as kpool and reads back the result line it prints. {@link KpoolPySystem} runs the
 * same script on kpool's Python client through {@link #run(Spec, List)}.
 */
final class MpPoolSystem implements BenchSystem {
  private final String python;
  private final Path script;
  private final Map<String, String> environment;

  MpPoolSystem(String python, Path script) {
    this(python, script, Map.of());
  }

  /** @param environment added to the script's environment */
  MpPoolSystem(String python, Path script, Map<String, String> environment) {
    this.python = python;
    this.script = script;
    this.environment = environment;
  }

  @Override
  public String name() {
    return "mp-pool";
  }

  @Override
  public boolean supports(Workload workload) {
    return true;
  }

  @Override
  public Result run(Spec spec) throws IOException, InterruptedException {
    return run(spec, List.of());
  }

  /** Runs the script on {@code spec} with {@code extraArgs} appended to its arguments. */
  Result run(Spec spec, List<String> extraArgs) throws IOException, InterruptedException {
    List<String> argv =
        new ArrayList<>(
            List.of(
                python,
                script.toString(),
                "--workload",
                spec.workload().id(),
                "--label",
                spec.label(),
                "--tasks",
                Integer.toString(spec.tasks()),
                "--chunksize",
                Integer.toString(spec.chunksize()),
                "--processes",
                Integer.toString(spec.processes()),
                "--millis",
                Integer.toString(spec.millis())));
    argv.addAll(extraArgs);
    ProcessBuilder builder =
        new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().putAll(environment);
    Process process = builder.start();
    Result result = null;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (Result.LINE.matcher(line.trim()).matches()) {
          result = Result.parse(line);
        }
      }
    }
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
    }
    if (process.exitValue() != 0 || result == null) {
      throw new IllegalStateException(
          "mp_pool_bench.py failed on " + spec.label() + " (exit " + process.exitValue() + ")");
    }
    return result;
  }

  @Override
  public void close() {}
}
