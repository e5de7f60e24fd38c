package dev.kpool.bench;

import dev.kpool.client.AsyncResult;
import dev.kpool.client.MapOptions;
import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.examples.local.KpoolHome;
import dev.kpool.examples.local.LocalCluster;
import dev.kpool.examples.local.SupervisorProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * kpool as a user runs it: a supervisor child JVM with Java worker processes ({@link BenchWorker})
 * and a {@link Pool} client in this JVM. One supervisor runs at a time, kept across the repeats of
 * the workloads that need the same pool shape; {@code pool-start} starts one of its own each run.
 */
final class KpoolSystem implements BenchSystem {
  static final Task<Integer, Integer> NOOP = Task.of("noop", Integer.class, Integer.class);
  private static final Duration WAIT = Duration.ofMinutes(10);
  private static final int WARMUP_ROUND_TASKS = 2_000;
  private static final int MAX_WARMUP_ROUNDS = 100;
  private static final Duration BUNDLE_WINDOW = Duration.ofMillis(2);

  private final String bootstrapServers;
  private final Path logDir;
  private final Map<String, String> extraProperties;
  private final Duration warmup;
  private final int bundle;
  private int pools;
  private Shape shape;
  private SupervisorProcess supervisor;
  private Pool client;

  /** The pool a workload needs: process count and Pool's maxtasksperchild (0: unlimited). */
  private record Shape(int processes, int maxTasksPerChild) {}

  /**
   * @param extraProperties supervisor properties added to every pool, with {@code <pool>} standing
   *     for the pool's name (e.g. {@code kpool.pools.<pool>.consumers=4})
   * @param warmup least time a new pool warms up before it is measured
   * @param bundle most tasks the client bundles into one record, 1 for none
   */
  KpoolSystem(
      String bootstrapServers,
      Path logDir,
      Map<String, String> extraProperties,
      Duration warmup,
      int bundle) {
    this.bundle = bundle;
    this.bootstrapServers = bootstrapServers;
    this.logDir = logDir;
    this.extraProperties = extraProperties;
    this.warmup = warmup;
  }

  @Override
  public String name() {
    return "kpool";
  }

  @Override
  public boolean supports(Workload workload) {
    return true;
  }

  @Override
  public Result run(Spec spec) throws Exception {
    if (spec.workload() == Workload.POOL_START) {
      return poolStart(spec);
    }
    Pool pool =
        poolFor(
            new Shape(
                spec.processes(), spec.workload() == Workload.PROCESS_PER_TASK_FRESH ? 1 : 0));
    return switch (spec.workload()) {
      case NOOP_MAP -> map(pool, spec);
      case ROUND_TRIP -> roundTrip(pool, spec);
      case SLEEP_10MS -> applyAsync(pool, Task.of("sleep", Integer.class, Integer.class), spec);
      case CPU_20MS -> applyAsync(pool, Task.of("cpu", Integer.class, Integer.class), spec);
      default -> applyAsync(pool, NOOP, spec);
    };
  }

  /**
   * Starts (or keeps) the supervisor and warmed pool that {@code spec} runs on, for a client other
   * than this JVM's, and returns the pool's name.
   */
  String poolFor(Spec spec) throws IOException {
    poolFor(new Shape(spec.processes(), 0));
    return "bench-" + pools;
  }

  private Result applyAsync(Pool pool, Task<Integer, Integer> task, Spec spec)
      throws InterruptedException {
    int n = spec.tasks();
    Latencies latencies = new Latencies(n);
    CountDownLatch done = new CountDownLatch(n);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicInteger wrong = new AtomicInteger();
    int arg = spec.millis();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      int index = i;
      latencies.submitted(index);
      pool.applyAsync(
          task,
          arg == 0 ? index : arg,
          result -> {
            latencies.completed(index);
            if (result != (arg == 0 ? index : arg) + 1) {
              wrong.incrementAndGet();
            }
            done.countDown();
          },
          error -> {
            failure.compareAndSet(null, error);
            done.countDown();
          });
    }
    await(done, spec);
    double seconds = (System.nanoTime() - t0) / 1e9;
    check(failure.get(), wrong.get(), spec);
    return latencies.result(name(), spec, seconds);
  }

  private Result map(Pool pool, Spec spec) {
    List<Integer> items = IntStream.range(0, spec.tasks()).boxed().toList();
    long t0 = System.nanoTime();
    AsyncResult<List<Integer>> handle =
        pool.mapAsync(NOOP, items, MapOptions.DEFAULT.withChunksize(spec.chunksize()), null, null);
    List<Integer> results = handle.get(WAIT);
    double seconds = (System.nanoTime() - t0) / 1e9;
    int wrong = 0;
    for (int i = 0; i < results.size(); i++) {
      wrong += results.get(i) == i + 1 ? 0 : 1;
    }
    check(null, wrong, spec);
    return new Result(name(), spec.label(), spec.tasks(), seconds, Double.NaN, Double.NaN);
  }

  private Result roundTrip(Pool pool, Spec spec) {
    Latencies latencies = new Latencies(spec.tasks());
    long t0 = System.nanoTime();
    for (int i = 0; i < spec.tasks(); i++) {
      latencies.submitted(i);
      int result = pool.apply(NOOP, i, Duration.ofSeconds(30));
      latencies.completed(i);
      check(null, result == i + 1 ? 0 : 1, spec);
    }
    return latencies.result(name(), spec, (System.nanoTime() - t0) / 1e9);
  }

  /** Supervisor process start (broker already up) to the first result; client built first. */
  private Result poolStart(Spec spec) throws IOException {
    stopSupervisor();
    String name = "bench-" + (++pools);
    try (Pool pool = newClient(name)) {
      long t0 = System.nanoTime();
      SupervisorProcess started = startSupervisor(name, new Shape(spec.processes(), 0));
      try {
        int result = pool.apply(NOOP, 41, Duration.ofSeconds(60));
        double seconds = (System.nanoTime() - t0) / 1e9;
        check(null, result == 42 ? 0 : 1, spec);
        return new Result(name(), spec.label(), 1, seconds, seconds * 1e3, seconds * 1e3);
      } finally {
        started.stop(Duration.ofSeconds(30));
      }
    }
  }

  private Pool poolFor(Shape wanted) throws IOException {
    if (wanted.equals(shape)) {
      return client;
    }
    stopSupervisor();
    String name = "bench-" + (++pools);
    supervisor = startSupervisor(name, wanted);
    client = newClient(name);
    shape = wanted;
    if (wanted.maxTasksPerChild() > 0) {
      noops(
          wanted
              .processes()); // a pool that starts a process per task only needs its first processes
      // up
    } else {
      warmUp(name);
    }
    return client;
  }

  /**
   * Runs rounds of no-op tasks for at least {@link #warmup}, then until a round is no faster than
   * the best before it. The JITs of broker, client, supervisor and workers compile for seconds
   * after a start (JFR showed C2 taking more than half the machine during a 3 s run on a pool warmed
   * with 2,000 tasks), and a figure taken meanwhile measures the compilers, not kpool.
   */
  private void warmUp(String name) {
    long start = System.nanoTime();
    double best = Double.MAX_VALUE;
    int rounds = 0;
    while (rounds < MAX_WARMUP_ROUNDS) {
      long t0 = System.nanoTime();
      noops(WARMUP_ROUND_TASKS);
      double seconds = (System.nanoTime() - t0) / 1e9;
      rounds++;
      boolean stillImproving = seconds < best * 0.95;
      best = Math.min(best, seconds);
      if (!stillImproving && System.nanoTime() - start >= warmup.toNanos()) {
        break;
      }
    }
    System.err.printf(
        Locale.ROOT,
        "bench: %s warmed up in %d rounds of %d no-op tasks (%.1f s, best round %.3f s)%n",
        name,
        rounds,
        WARMUP_ROUND_TASKS,
        (System.nanoTime() - start) / 1e9,
        best);
  }

  private void noops(int count) {
    for (AsyncResult<Integer> h :
        IntStream.range(0, count).mapToObj(i -> client.applyAsync(NOOP, i)).toList()) {
      h.get(WAIT);
    }
  }

  private Pool newClient(String name) {
    Pool.Builder builder =
        Pool.builder()
            .bootstrapServers(bootstrapServers)
            .pool(name)
            .closeTimeout(Duration.ofSeconds(10));
    if (bundle > 1) {
      builder.bundle(bundle, BUNDLE_WINDOW);
    }
    return builder.build();
  }

  private SupervisorProcess startSupervisor(String name, Shape shape) throws IOException {
    Map<String, String> props =
        LocalCluster.supervisorProperties(bootstrapServers, name, shape.processes());
    props.put(LocalCluster.poolKey(name, "command"), workerCommand());
    if (shape.maxTasksPerChild() > 0) {
      props.put(
          LocalCluster.poolKey(name, "max-tasks-per-child"),
          Integer.toString(shape.maxTasksPerChild()));
      // A worker replaced after every task must not be mistaken for one that keeps failing.
      props.put(LocalCluster.poolKey(name, "restart-intensity"), "1000000");
    }
    extraProperties.forEach((k, v) -> props.put(k.replace("<pool>", name), v));
    return SupervisorProcess.start(
        KpoolHome.locate(),
        props,
        logDir.resolve(name + "-supervisor.log"),
        Duration.ofSeconds(120));
  }

  /** The bench worker on its own short class path: bench classes plus the worker SDK. */
  static String workerCommand() {
    Path bench = KpoolHome.locate().root().resolve("src/bench/target");
    String classpath =
        bench.resolve("classes")
            + File.pathSeparator
            + bench.resolve("worker-lib")
            + File.separator
            + "*";
    return String.join(
        ",",
        KpoolHome.java(),
        "-Xmx128m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Xshare:auto",
        "-cp",
        classpath,
        BenchWorker.class.getName());
  }

  private static void await(CountDownLatch done, Spec spec) throws InterruptedException {
    if (!done.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(
          spec.label() + ": " + done.getCount() + " results missing after " + WAIT);
    }
  }

  static void check(Throwable failure, int wrong, Spec spec) {
    if (failure != null) {
      throw new IllegalStateException(spec.label() + " failed: " + failure, failure);
    }
    if (wrong > 0) {
      throw new IllegalStateException(spec.label() + ": " + wrong + " wrong results");
    }
  }

  private void stopSupervisor() {
    if (client != null) {
      client.close();
      client = null;
    }
    if (supervisor != null) {
      supervisor.stop(Duration.ofSeconds(30));
      supervisor = null;
    }
    shape = null;
  }

  @Override
  public void close() {
    stopSupervisor();
  }
}
