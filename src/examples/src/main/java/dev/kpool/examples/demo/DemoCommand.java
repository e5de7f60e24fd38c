package dev.kpool.examples.demo;

import dev.kpool.client.AsyncResult;
import dev.kpool.client.KpoolException;
import dev.kpool.client.MapOptions;
import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.examples.local.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kpool demo}: Kafka, a supervisor with worker processes, and a client that runs {@code
 * square} over many numbers with callbacks and with a chunked map, then prints a summary. It times
 * the first result after start, warms the JITs of client, supervisor and workers in a warm-up it
 * reports as such, times each half on the warmed pool, and runs the same work on Python's {@code
 * multiprocessing.Pool} when {@code python3} is there ({@link PoolBaseline}), so the figures come
 * with their ratio. Its subcommand {@code crawl} runs the crawler example instead ({@link
 * CrawlDemoCommand}).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    subcommands = CrawlDemoCommand.class,
    description =
        "Run square(x) over many numbers on a local kpool: embedded Kafka, a supervisor, worker processes.")
public final class DemoCommand implements Callable<Integer> {
  private static final Task<Integer, Integer> SQUARE =
      Task.of("square", Integer.class, Integer.class);

  @Option(
      names = "--tasks",
      defaultValue = "20000",
      description = "Numbers to square with apply_async and callbacks (default ${DEFAULT-VALUE}).")
  int tasks;

  @Option(
      names = "--map-items",
      defaultValue = "1000000",
      description = "Numbers to square with one chunked map (default ${DEFAULT-VALUE}).")
  int mapItems;

  @Option(
      names = "--warmup-seconds",
      defaultValue = "5",
      description =
          "Least time spent warming up before the timed run; 0 for none (default ${DEFAULT-VALUE}).")
  double warmupSeconds;

  @Option(
      names = "--no-baseline",
      description = "Do not run the same work on Python's multiprocessing.Pool.")
  boolean noBaseline;

  @Option(
      names = "--workers",
      defaultValue = "2",
      description = "Worker processes (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--chunksize",
      defaultValue = "100",
      description = "Items per task record in the map (default ${DEFAULT-VALUE}).")
  int chunksize;

  @Option(
      names = "--bootstrap-servers",
      description = "Use this Kafka instead of starting an embedded broker.")
  String bootstrapServers;

  @Option(
      names = "--kafka-property",
      paramLabel = "KEY=VALUE",
      description =
          "A Kafka client property for every client the demo and its supervisor make, e.g. security.protocol=SASL_SSL; repeatable.")
  Map<String, String> kafkaProperties = new LinkedHashMap<>();

  @Option(
      names = "--no-supervisor",
      description =
          "Start no supervisor: one already serves pool 'default' on --bootstrap-servers.")
  boolean noSupervisor;

  @Override
  public Integer call() throws Exception {
    Path log = Path.of("target", "kpool-demo-supervisor.log").toAbsolutePath();
    System.out.printf(
        "starting %s Kafka and a supervisor with %d worker processes (log: %s)%n",
        bootstrapServers == null ? "an embedded" : "external", workers, log);
    if (noSupervisor) {
      if (bootstrapServers == null) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--no-supervisor needs --bootstrap-servers");
      }
      try (Pool pool = client(bootstrapServers)) {
        return run(pool) == 0 ? 0 : 1;
      }
    }
    long started = System.nanoTime();
    int failures;
    try (LocalCluster cluster =
            LocalCluster.start(bootstrapServers, kafkaProperties, workers, log);
        Pool pool = client(cluster.bootstrapServers())) {
      System.out.printf(
          "kafka %s, supervisor pid %d, ready in %.1f s%n",
          cluster.bootstrapServers(), cluster.supervisor().handle().pid(), seconds(started));
      failures = run(pool);
    }
    long left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count();
    System.out.printf("stopped; child processes left: %d%n", left);
    return failures == 0 && left == 0 ? 0 : 1;
  }

  private Pool client(String bootstrap) {
    Pool.Builder builder = Pool.builder().bootstrapServers(bootstrap).pool("default");
    kafkaProperties.forEach(builder::kafkaProperty);
    return builder.build();
  }

  /** Runs the demo and prints the summary; returns the number of failures. */
  private int run(Pool pool) {
    long first = System.nanoTime();
    int failures = pool.apply(SQUARE, 7, Duration.ofSeconds(60)) == 49 ? 0 : 1;
    System.out.printf("first result %.0f ms after ready%n", (System.nanoTime() - first) / 1e6);
    failures += warmUp(pool);
    Set<Long> pids = new TreeSet<>();
    long t0 = System.nanoTime();
    failures += applyWithCallbacks(pool, tasks, pids);
    double applySeconds = seconds(t0);
    long t1 = System.nanoTime();
    failures += chunkedMap(pool, mapItems, pids);
    double mapSeconds = seconds(t1);
    double applyRate = tasks / applySeconds;
    double mapRate = mapItems / mapSeconds;
    System.out.printf(
        "%nsummary: apply_async %d tasks in %.2f s = %.0f tasks/s; map (chunksize %d) %d items in %.2f s"
            + " = %.0f items/s; worker_pids=%s failures=%d%n",
        tasks, applySeconds, applyRate, chunksize, mapItems, mapSeconds, mapRate, pids, failures);
    if (!noBaseline) {
      PoolBaseline.run(workers, tasks, mapItems, chunksize)
          .ifPresent(
              baseline ->
                  System.out.printf(
                      "multiprocessing.Pool(%d) on this machine: apply_async %.0f tasks/s, map %.0f items/s;"
                          + " kpool/Pool: apply_async %.2f, map %.2f%n",
                      workers,
                      baseline.applyPerSecond(),
                      baseline.mapPerSecond(),
                      applyRate / baseline.applyPerSecond(),
                      mapRate / baseline.mapPerSecond()));
    }
    return failures;
  }

  /**
   * Runs rounds of callbacks for at least {@link #warmupSeconds}, then until a round is no faster
   * than the one before (at most 30 s): the JIT compilers of client, supervisor and workers take
   * most of the two cores for the first seconds, and a timed run that includes them shows their
   * speed, not kpool's.
   */
  private int warmUp(Pool pool) {
    if (warmupSeconds <= 0) {
      return 0;
    }
    long start = System.nanoTime();
    long least = Math.round(warmupSeconds * 1e9);
    long most = TimeUnit.SECONDS.toNanos(30);
    int round = Math.max(1_000, Math.min(tasks, 5_000));
    int failures = 0;
    int total = 0;
    double previous = 0;
    System.out.print("warming up (not timed)");
    while (true) {
      long t = System.nanoTime();
      failures += applyWithCallbacks(pool, round, null);
      total += round;
      double rate = round / seconds(t);
      long spent = System.nanoTime() - start;
      System.out.print(".");
      if (spent >= most || (spent >= least && rate <= previous * 1.05)) {
        break;
      }
      previous = rate;
    }
    System.out.printf(" %d tasks in %.1f s%n", total, seconds(start));
    return failures;
  }

  /**
   * Submits {@code count} squares with callbacks and waits for the callbacks, drawing progress
   * unless {@code pids} is null (the warm-up); returns the number of wrong or missing results.
   */
  private int applyWithCallbacks(Pool pool, int count, Set<Long> pids) {
    long start = System.nanoTime();
    CountDownLatch done = new CountDownLatch(count);
    AtomicInteger wrong = new AtomicInteger();
    List<AsyncResult<Integer>> handles = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int x = i;
      handles.add(
          pool.applyAsync(
              SQUARE,
              x,
              result -> {
                if (result != x * x) {
                  wrong.incrementAndGet();
                }
                done.countDown();
              },
              error -> {
                wrong.incrementAndGet();
                done.countDown();
              }));
    }
    if (pids == null) {
      try {
        done.await(5, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      new Progress("apply_async with callbacks", count, () -> count - (int) done.getCount())
          .untilDone(start, Duration.ofMinutes(5));
      handles.forEach(h -> pids.add(h.workerPid()));
    }
    return wrong.get() + (int) done.getCount();
  }

  private int chunkedMap(Pool pool, int count, Set<Long> pids) {
    long start = System.nanoTime();
    List<Integer> items = IntStream.range(0, count).boxed().toList();
    AtomicLong done = new AtomicLong();
    MapOptions options =
        MapOptions.DEFAULT.withChunksize(chunksize).withProgress((d, total) -> done.set(d));
    AsyncResult<List<Integer>> handle = pool.mapAsync(SQUARE, items, options, null, null);
    Progress progress =
        new Progress(
            "map, chunksize " + chunksize, count, () -> handle.ready() ? count : (int) done.get());
    progress.untilDone(start, Duration.ofMinutes(5));
    List<Integer> squares;
    try {
      squares = handle.get(Duration.ofSeconds(1));
    } catch (KpoolException e) {
      System.out.printf("map failed: %s%n", e.getMessage());
      return count;
    }
    pids.add(handle.workerPid());
    int wrong = 0;
    for (int i = 0; i < count; i++) {
      if (squares.get(i) != i * i) {
        wrong++;
      }
    }
    return wrong;
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new DemoCommand()).execute(args));
  }
}
