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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kpool demo}: Kafka, a supervisor with worker processes, and a client that runs {@code
 * square} over many numbers with callbacks and with a chunked map, then prints a summary. Its
 * subcommand {@code crawl} runs the crawler example instead ({@link CrawlDemoCommand}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, subcommands = CrawlDemoCommand.class,
    description = "Run square(x) over many numbers on a local kpool: embedded Kafka, a supervisor, worker processes.")
public final class DemoCommand implements Callable<Integer> {
  private static final Task<Integer, Integer> SQUARE = Task.of("square", Integer.class, Integer.class);

  @Option(names = "--tasks", defaultValue = "10000", description = "Numbers to square (default ${DEFAULT-VALUE}).")
  int tasks;

  @Option(names = "--workers", defaultValue = "2", description = "Worker processes (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--chunksize", defaultValue = "100", description = "Items per task record in the map (default ${DEFAULT-VALUE}).")
  int chunksize;

  @Option(names = "--bootstrap-servers", description = "Use this Kafka instead of starting an embedded broker.")
  String bootstrapServers;

  @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
      description = "A Kafka client property for every client the demo and its supervisor make, e.g. security.protocol=SASL_SSL; repeatable.")
  Map<String, String> kafkaProperties = new LinkedHashMap<>();

  @Option(names = "--no-supervisor", description = "Start no supervisor: one already serves pool 'default' on --bootstrap-servers.")
  boolean noSupervisor;

  @Override
  public Integer call() throws Exception {
    Path log = Path.of("target", "kpool-demo-supervisor.log").toAbsolutePath();
    System.out.printf("starting %s Kafka and a supervisor with %d worker processes (log: %s)%n",
        bootstrapServers == null ? "an embedded" : "external", workers, log);
    if (noSupervisor) {
      if (bootstrapServers == null) {
        throw new CommandLine.ParameterException(new CommandLine(this), "--no-supervisor needs --bootstrap-servers");
      }
      try (Pool pool = client(bootstrapServers)) {
        return run(pool) == 0 ? 0 : 1;
      }
    }
    long started = System.nanoTime();
    int failures;
    try (LocalCluster cluster = LocalCluster.start(bootstrapServers, kafkaProperties, workers, log);
        Pool pool = client(cluster.bootstrapServers())) {
      System.out.printf("kafka %s, supervisor pid %d, ready in %.1f s%n", cluster.bootstrapServers(),
          cluster.supervisor().handle().pid(), seconds(started));
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

  /** Runs both halves of the demo and prints the summary; returns the number of failures. */
  private int run(Pool pool) {
    Set<Long> pids = new TreeSet<>();
    int half = tasks / 2;
    long t0 = System.nanoTime();
    int failures = applyWithCallbacks(pool, half, pids) + chunkedMap(pool, tasks - half, pids);
    double elapsed = seconds(t0);
    System.out.printf("%nsummary: tasks=%d seconds=%.2f tasks_per_s=%.0f worker_pids=%s failures=%d%n",
        tasks, elapsed, tasks / elapsed, pids, failures);
    return failures;
  }

  private int applyWithCallbacks(Pool pool, int count, Set<Long> pids) {
    AtomicInteger done = new AtomicInteger();
    AtomicInteger wrong = new AtomicInteger();
    List<AsyncResult<Integer>> handles = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int x = i;
      handles.add(pool.applyAsync(SQUARE, x,
          result -> {
            if (result != x * x) {
              wrong.incrementAndGet();
            }
            done.incrementAndGet();
          },
          error -> {
            wrong.incrementAndGet();
            done.incrementAndGet();
          }));
    }
    Progress progress = new Progress("apply_async with callbacks", count, done::get);
    progress.untilDone(Duration.ofMinutes(5));
    handles.forEach(h -> pids.add(h.workerPid()));
    return wrong.get() + (count - done.get());
  }

  private int chunkedMap(Pool pool, int count, Set<Long> pids) {
    List<Integer> items = IntStream.range(0, count).boxed().toList();
    AtomicLong done = new AtomicLong();
    MapOptions options = MapOptions.DEFAULT.withChunksize(chunksize).withProgress((d, total) -> done.set(d));
    AsyncResult<List<Integer>> handle = pool.mapAsync(SQUARE, items, options, null, null);
    Progress progress = new Progress("map, chunksize " + chunksize, count,
        () -> handle.ready() ? count : (int) done.get());
    progress.untilDone(Duration.ofMinutes(5));
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
