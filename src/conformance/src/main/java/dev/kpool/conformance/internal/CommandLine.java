package dev.kpool.conformance.internal;

import dev.kpool.conformance.CheckResult;
import dev.kpool.conformance.ConformanceKit;
import dev.kpool.conformance.Options;
import dev.kpool.conformance.Report;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** The kit's command line: parses options, prints each result as it comes, returns the status. */
public final class CommandLine {
  /** Exit status when every check passed. */
  public static final int PASSED = 0;

  /** Exit status when a check failed. */
  public static final int FAILED = 1;

  /** Exit status for a bad command line. */
  public static final int USAGE = 2;

  private static final String HELP =
      """
      usage: ConformanceKit [options] -- <worker argv...>
        --only a,b                  run only the named checks
        --heartbeat-millis N        heartbeat interval offered in hello (default 200)
        --frame-timeout-seconds N   longest wait for one frame, worker start included (default 10)
        --directory DIR             working directory of the worker
        --list                      list the checks and exit
        --help                      this text
      Exit status: 0 every check passed, 1 a check failed, 2 bad usage.""";

  private CommandLine() {}

  /** Runs the command line; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Options options = Options.defaults();
    int i = 0;
    try {
      for (; i < args.length && !args[i].equals("--"); i++) {
        switch (args[i]) {
          case "--help" -> {
            out.println(HELP);
            return PASSED;
          }
          case "--list" -> {
            Checks.all().forEach(check -> out.println(check.name() + "  " + check.rule()));
            return PASSED;
          }
          case "--only" -> options = options.withOnly(Set.of(value(args, ++i).split(",")));
          case "--heartbeat-millis" ->
              options = options.withHeartbeatMillis(Long.parseLong(value(args, ++i)));
          case "--frame-timeout-seconds" ->
              options =
                  options.withFrameTimeout(Duration.ofSeconds(Long.parseLong(value(args, ++i))));
          case "--directory" -> options = options.withWorkingDirectory(Path.of(value(args, ++i)));
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      List<String> argv = i < args.length ? Arrays.asList(args).subList(i + 1, args.length) : null;
      if (argv == null || argv.isEmpty()) {
        throw new IllegalArgumentException("give the worker's command line after --");
      }
      Report report = ConformanceKit.check(argv, options.withListener(r -> print(r, out)));
      out.println(report.summary());
      return report.passed() ? PASSED : FAILED;
    } catch (IllegalArgumentException e) {
      err.println("ConformanceKit: " + e.getMessage());
      err.println(HELP);
      return USAGE;
    }
  }

  private static String value(String[] args, int index) {
    if (index >= args.length || args[index].equals("--")) {
      throw new IllegalArgumentException(args[index - 1] + " needs a value");
    }
    return args[index];
  }

  /** The result line, then the worker's stderr if the check failed. */
  private static void print(CheckResult result, PrintStream out) {
    out.println(result.line());
    if (!result.passed() && !result.workerLog().isBlank()) {
      result.workerLog().lines().forEach(line -> out.println("    worker stderr | " + line));
    }
  }
}
