package dev.kpool.bench;

import dev.kpool.examples.local.KpoolHome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * kpool's Python client ({@code src/python}): {@code mp_pool_bench.py --kpool <pool>} on the pool,
 * supervisor and Java workers that {@link KpoolSystem} runs, so that beside {@code kpool} the figure
 * isolates the client and beside {@code mp-pool} the same Python code compares. The script runs on
 * the venv {@code src/python/make_venv.py} makes (confluent-kafka), made here if it is missing.
 */
final class KpoolPySystem implements BenchSystem {
  private static final List<Workload> SUPPORTED =
      List.of(Workload.NOOP_APPLY_ASYNC, Workload.NOOP_MAP, Workload.ROUND_TRIP);

  private final KpoolSystem kpool;
  private final boolean ownsKpool;
  private final String bootstrapServers;
  private final MpPoolSystem script;

  /**
   * @param kpool the supervisor side, shared with the {@code kpool} system when both run
   * @param ownsKpool whether {@link #close()} closes {@code kpool}
   * @param python the interpreter that makes the venv
   */
  KpoolPySystem(KpoolSystem kpool, boolean ownsKpool, String bootstrapServers, String python)
      throws IOException, InterruptedException {
    this.kpool = kpool;
    this.ownsKpool = ownsKpool;
    this.bootstrapServers = bootstrapServers;
    Path root = KpoolHome.locate().root();
    Path target = root.resolve("src/python/target");
    Process venv =
        new ProcessBuilder(
                python, root.resolve("src/python/make_venv.py").toString(), target.toString())
            .inheritIO()
            .start();
    if (venv.waitFor() != 0) {
      throw new IllegalStateException(
          "src/python/make_venv.py failed (exit " + venv.exitValue() + ")");
    }
    this.script =
        new MpPoolSystem(
            target.resolve("venv/bin/python").toString(),
            root.resolve("src/bench/mp_pool_bench.py"),
            Map.of("PYTHONPATH", root.resolve("src/python").toString()));
  }

  @Override
  public String name() {
    return "kpool-py";
  }

  @Override
  public boolean supports(Workload workload) {
    return SUPPORTED.contains(workload);
  }

  @Override
  public Result run(Spec spec) throws Exception {
    String pool = kpool.poolFor(spec);
    return script.run(spec, List.of("--kpool", pool, "--bootstrap-servers", bootstrapServers));
  }

  @Override
  public void close() {
    if (ownsKpool) {
      kpool.close();
    }
  }
}
