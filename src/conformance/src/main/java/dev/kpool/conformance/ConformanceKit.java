package dev.kpool.conformance;

import dev.kpool.conformance.internal.Check;
import dev.kpool.conformance.internal.CheckFailed;
import dev.kpool.conformance.internal.Checks;
import dev.kpool.conformance.internal.CommandLine;
import dev.kpool.conformance.internal.Tasks;
import dev.kpool.conformance.internal.Workers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Checks a worker executable against the worker protocol (docs/protocol.md), one named check per
 * rule. Each check starts a fresh worker process from the given argv, speaks to it over its stdin
 * and stdout as a supervisor would, and kills it when done, so that one broken rule cannot hide or
 * cause another.
 *
 * <p>The worker must register the conformance tasks {@link #TASKS} and the initializer {@link
 * #INITIALIZER}, with the behaviour docs/protocol.md ("Conformance") gives them.
 *
 * <p>Command line: {@code ConformanceKit [options] -- <worker argv...>} prints {@code PASS name} or
 * {@code FAIL name: why} per check and a summary line, and exits 0 if every check passed, 1 if one
 * failed and 2 on a usage error; {@code --help} lists the options.
 */
public final class ConformanceKit {
  /** The task names the worker under test must register. */
  public static final List<String> TASKS = Tasks.ALL;

  /** The initializer name the worker under test must register. */
  public static final String INITIALIZER = Tasks.INITIALIZER;

  private ConformanceKit() {}

  /** The names of every check, in the order they run. */
  public static List<String> checkNames() {
    return Checks.all().stream().map(Check::name).toList();
  }

  /**
   * Runs the checks against the worker started by {@code argv}, one after the other, each bounded
   * in time. Blocks until all have run; {@link Options#listener()} hears of each as it ends.
   *
   * @param argv the worker's command line, e.g. {@code [python3, worker.py]}
   * @return every check's outcome; a worker that cannot be started fails every check
   * @throws IllegalArgumentException if {@code argv} is empty or {@link Options#only()} names an
   *     unknown check
   * @throws UncheckedIOException if no temporary directory for the worker logs can be made
   */
  public static Report check(List<String> argv, Options options) {
    Objects.requireNonNull(options, "options");
    if (argv == null || argv.isEmpty()) {
      throw new IllegalArgumentException("the worker's argv is empty");
    }
    List<Check> selected = select(options);
    Path logs = temporaryDirectory();
    long start = System.nanoTime();
    List<CheckResult> results = new ArrayList<>();
    try {
      for (Check check : selected) {
        CheckResult result = run(check, argv, options, logs);
        results.add(result);
        options.listener().accept(result);
      }
    } finally {
      deleteRecursively(logs);
    }
    return new Report(results, Duration.ofNanos(System.nanoTime() - start));
  }

  /** The command line; see the class javadoc. */
  public static void main(String[] args) {
    System.exit(CommandLine.run(args, System.out, System.err));
  }

  private static List<Check> select(Options options) {
    List<Check> all = Checks.all();
    List<String> unknown =
        options.only().stream().filter(name -> !checkNames().contains(name)).sorted().toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "no checks named " + unknown + "; the checks are " + checkNames());
    }
    return all.stream()
        .filter(check -> options.only().isEmpty() || options.only().contains(check.name()))
        .toList();
  }

  private static CheckResult run(Check check, List<String> argv, Options options, Path logs) {
    long start = System.nanoTime();
    Workers workers = new Workers(argv, options, logs, check.name());
    // A thread per check: a check stuck on a dead pipe must not hold up the next one.
    ExecutorService thread =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread t = new Thread(runnable, "conformance-" + check.name());
              t.setDaemon(true);
              return t;
            });
    String failure;
    String log = "";
    try {
      Future<?> body =
          thread.submit(
              () -> {
                check.body().run(workers);
                return null;
              });
      failure = outcome(body, budget(options));
      if (failure != null) {
        log = workers.logTail();
      }
    } finally {
      workers.close();
      thread.shutdownNow();
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    return new CheckResult(check.name(), failure == null, failure, log, elapsed);
  }

  /** {@code null} if the check passed, otherwise why not. */
  private static String outcome(Future<?> body, Duration budget) {
    try {
      body.get(budget.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (TimeoutException e) {
      body.cancel(true);
      return "the check did not finish within " + budget.toSeconds() + " s";
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return cause instanceof CheckFailed ? cause.getMessage() : "the check broke: " + cause;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      body.cancel(true);
      return "interrupted";
    }
  }

  /** Every wait inside a check is bounded; this bounds the check as a whole as well. */
  private static Duration budget(Options options) {
    return options
        .frameTimeout()
        .multipliedBy(4)
        .plusMillis(16 * options.heartbeatMillis())
        .plusSeconds(10);
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("kpool-conformance-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for the worker logs", e);
    }
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a log left in the temporary directory is harmless
    }
  }
}
