package dev.kpool.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./kpool <command>}: the operator's view of a running kpool. Exit status 0 on success, 1
 * when the supervisor or Kafka refuses or cannot be reached, 2 for a usage error.
 */
@Command(
    name = "kpool",
    mixinStandardHelpOptions = true,
    description = "Operate kpool pools through a supervisor's HTTP API or Kafka.",
    subcommands = {
      PoolsCommand.class,
      WorkersCommand.class,
      BacklogCommand.class,
      DeadLettersCommand.class,
      CancelCommand.class,
      DrainCommand.class,
      SubmitCommand.class,
      WatchCommand.class
    })
public final class KpoolCli {
  private KpoolCli() {}

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs one command line, printing to {@code out} and {@code err}; returns the exit status. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(KpoolCli.class);
    cli.setOut(out).setErr(err);
    cli.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          if (e instanceof CliException) {
            line.getErr().println("kpool: " + e.getMessage());
            line.getErr().flush();
            return 1;
          }
          throw e;
        });
    return cli.execute(args);
  }
}
