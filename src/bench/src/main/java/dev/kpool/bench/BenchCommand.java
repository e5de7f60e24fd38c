package dev.kpool.bench;

import dev.kpool.devbroker.EmbeddedKafkaBroker;
import dev.kpool.examples.local.KpoolHome;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kpool bench}: starts one embedded broker and runs every chosen workload on kpool, on
 * {@code multiprocessing.Pool} and on the raw Kafka loop, interleaved repeat by repeat so that load
 * from elsewhere on the machine falls on all three alike. Prints one line per median result on
 * stdout (progress goes to stderr) and writes {@code report.md} and {@code report.png}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Benchmark kpool against multiprocessing.Pool and a raw Kafka request/reply loop.")
public final class BenchCommand implements Callable<Integer> {

  @Option(
      names = "--workloads",
      split = ",",
      description =
          "Comma-separated workloads (default: all): "
              + "noop-apply-async, noop-map, sleep-10ms, cpu-20ms, round-trip, pool-start, process-per-task.")
  List<String> workloads =
      List.of(
          "noop-apply-async",
          "noop-map",
          "sleep-10ms",
          "cpu-20ms",
          "round-trip",
          "pool-start",
          "process-per-task");

  @Option(
      names = "--systems",
      split = ",",
      description =
          "Systems to run (default: ${DEFAULT-VALUE}); kpool-py adds kpool's Python client "
              + "(noop-apply-async, noop-map, round-trip).")
  List<String> systems = List.of("kpool", "mp-pool", "kafka-raw");

  @Option(
      names = "--repeat",
      description =
          "Runs of each workload per system; the median is reported (default 3, 1 with --quick).")
  Integer repeat;

  @Option(
      names = "--scale",
      description = "Fraction of the full task counts (default 1, 0.1 with --quick).")
  Double scale;

  @Option(names = "--quick", description = "A tenth of the tasks, one run each.")
  boolean quick;

  @Option(
      names = "--max-map-records",
      defaultValue = "50000",
      description =
          "At most this many task records per map run: items = min(items, chunksize x this) (default ${DEFAULT-VALUE}).")
  int maxMapRecords;

  @Option(
      names = "--chunksizes",
      split = ",",
      description = "Chunk sizes of the noop-map workload (default: 1,10,100,1000).")
  List<Integer> chunksizes = Workload.CHUNKSIZES;

  @Option(
      names = "--out",
      defaultValue = "target/bench",
      description =
          "Where report.md, report.png and logs go; relative to the checkout (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--python",
      defaultValue = "python3",
      description = "Python for the multiprocessing.Pool baseline (default ${DEFAULT-VALUE}).")
  String python;

  @Option(
      names = "--bootstrap-servers",
      description =
          "Run against this Kafka instead of an embedded "
              + "broker in the harness JVM, e.g. one started apart to count its CPU on its own.")
  String bootstrapServers;

  @Option(
      names = "--warmup-seconds",
      defaultValue = "5",
      description =
          "Least time each new kpool pool runs rounds of no-op tasks before it is measured; it then "
              + "goes on until a round is no faster than the best before it (default ${DEFAULT-VALUE}).")
  double warmupSeconds;

  @Option(
      names = "--bundle",
      defaultValue = "1",
      description =
          "Most single-item tasks the kpool client bundles into one record (Pool.Builder.bundle, "
              + "2 ms window); 1 sends each task alone (default ${DEFAULT-VALUE}).")
  int bundle;

  @Option(
      names = "--supervisor-property",
      description = "Extra supervisor property KEY=VALUE; <pool> in KEY stands for the pool name.")
  Map<String, String> supervisorProperties = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    int runs = repeat != null ? repeat : quick ? 1 : 3;
    double fraction = scale != null ? scale : quick ? 0.1 : 1.0;
    List<Spec> specs = new ArrayList<>();
    for (String name : workloads) {
      for (Workload w : Workload.parse(name)) {
        specs.addAll(w.specs(fraction, maxMapRecords, chunksizes));
      }
    }
    if (chunksizes.stream().anyMatch(c -> c < 1)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--chunksizes must be at least 1: " + chunksizes);
    }
    out = KpoolHome.locate().root().resolve(out);
    String context =
        context(runs, fraction)
            + (bundle > 1
                ? " kpool client bundles up to " + bundle + " tasks per record (--bundle)."
                : "");
    System.err.println("bench: " + context);
    Files.createDirectories(out);
    List<Result> results = new ArrayList<>();
    int failures = 0;
    try (EmbeddedKafkaBroker broker =
            bootstrapServers == null ? EmbeddedKafkaBroker.builder().build().start() : null;
        Systems chosen =
            new Systems(open(broker == null ? bootstrapServers : broker.bootstrapServers()))) {
      for (Spec spec : specs) {
        for (int r = 0; r < runs; r++) {
          for (BenchSystem system : chosen.list()) {
            if (!system.supports(spec.workload())) {
              continue;
            }
            try {
              Result result = system.run(spec);
              System.err.println("bench: run " + (r + 1) + "/" + runs + " " + result.line());
              results.add(result);
            } catch (Exception e) {
              failures++;
              System.err.println("bench: " + system.name() + " " + spec.label() + " failed: " + e);
            }
          }
        }
      }
    }
    List<Result> medians = Result.medians(results);
    medians.forEach(m -> System.out.println(m.line()));
    Report.write(out.resolve("report.md"), medians, context);
    BarChart.write(out.resolve("report.png"), medians);
    System.err.println(
        "bench: wrote " + out.resolve("report.md") + " and " + out.resolve("report.png"));
    return failures == 0 ? 0 : 1;
  }

  private List<BenchSystem> open(String bootstrapServers) throws Exception {
    List<BenchSystem> opened = new ArrayList<>();
    KpoolSystem kpool = null;
    for (String name : systems) {
      opened.add(
          switch (name) {
            case "kpool" -> kpool = newKpool(bootstrapServers);
            // Shares the kpool system's supervisor when both run: one supervisor on the machine.
            case "kpool-py" ->
                kpool != null
                    ? new KpoolPySystem(kpool, false, bootstrapServers, python)
                    : new KpoolPySystem(newKpool(bootstrapServers), true, bootstrapServers, python);
            case "mp-pool" ->
                new MpPoolSystem(
                    python, KpoolHome.locate().root().resolve("src/bench/mp_pool_bench.py"));
            case "kafka-raw" ->
                new KafkaRawSystem(bootstrapServers, "bench-raw-" + ProcessHandle.current().pid());
            default ->
                throw new CommandLine.ParameterException(
                    new CommandLine(this), "unknown system " + name);
          });
    }
    return opened;
  }

  private KpoolSystem newKpool(String bootstrapServers) {
    return new KpoolSystem(
        bootstrapServers,
        out.toAbsolutePath(),
        supervisorProperties,
        Duration.ofMillis(Math.round(warmupSeconds * 1000)),
        bundle);
  }

  /** The systems of one run, closed together. */
  private record Systems(List<BenchSystem> list) implements AutoCloseable {
    @Override
    public void close() {
      list.forEach(BenchSystem::close);
    }
  }

  private static String context(int runs, double fraction) {
    return String.format(
        Locale.ROOT,
        "%s; %d cores; load average %.2f at start; java %s; scale %s, median of %d run(s)"
            + "; broker, supervisor, workers, client and Python on this machine; replies acks=all.",
        Instant.now(),
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.version(),
        fraction,
        runs);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }
}
