package dev.kpool.devbroker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Runs an {@link EmbeddedKafkaBroker} as a child process: {@code DevBrokerMain [--port N]
 * [--data-dir DIR] [--start-timeout DURATION]}.
 *
 * <p>Prints exactly one line to stdout, {@code KPOOL_BOOTSTRAP=127.0.0.1:PORT}, once the broker
 * answers clients. Stops cleanly when stdin reaches end of file (so the parent must keep it open)
 * or on SIGTERM. {@code --port 0}, the default, picks a free port. Without {@code --data-dir} data
 * goes to a temporary directory deleted on exit. {@code --start-timeout} (e.g. {@code 300s}, {@code
 * 5m}, {@code PT5M}; default {@link #DEFAULT_START_TIMEOUT}) bounds the start, log recovery of a
 * data dir left by a killed broker included. Exit status: 0 after a clean stop, 1 if the broker
 * failed to start, 2 for bad arguments.
 */
public final class DevBrokerMain {

  /** The stdout line prefix a parent process looks for. */
  public static final String BOOTSTRAP_PREFIX = "KPOOL_BOOTSTRAP=";

  /**
   * Long enough for a broker killed under load to recover its logs on a busy machine, which took
   * over 30 s in a fault run.
   */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);

  private static final String USAGE =
      "usage: DevBrokerMain [--port N] [--data-dir DIR] [--start-timeout DURATION]";

  private DevBrokerMain() {}

  public static void main(String[] args) {
    EmbeddedKafkaBroker broker;
    try {
      broker = parse(args).build();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kpool-devbroker-shutdown"));
    try {
      broker.start();
    } catch (RuntimeException e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.out.println(BOOTSTRAP_PREFIX + broker.bootstrapServers());
    System.out.flush();
    awaitEndOfInput(System.in);
    // The shutdown hook closes the broker, whichever way the JVM ends.
    System.exit(0);
  }

  static EmbeddedKafkaBroker.Builder parse(String[] args) {
    EmbeddedKafkaBroker.Builder builder =
        EmbeddedKafkaBroker.builder().startTimeout(DEFAULT_START_TIMEOUT);
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (!flag.equals("--port") && !flag.equals("--data-dir") && !flag.equals("--start-timeout")) {
        throw new IllegalArgumentException("unknown argument: " + flag);
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String value = args[++i];
      if (flag.equals("--port")) {
        try {
          builder.port(Integer.parseInt(value));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--port needs a number, got " + value, e);
        }
      } else if (flag.equals("--start-timeout")) {
        builder.startTimeout(duration(value));
      } else {
        builder.dataDir(Path.of(value));
      }
    }
    return builder;
  }

  /** A positive duration: {@code 500ms}, {@code 90s}, {@code 5m}, or ISO-8601 {@code PT5M}. */
  static Duration duration(String value) {
    Duration parsed;
    try {
      String v = value.trim().toLowerCase(Locale.ROOT);
      if (v.startsWith("pt")) {
        parsed = Duration.parse(v);
      } else if (v.endsWith("ms")) {
        parsed = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      } else if (v.endsWith("s")) {
        parsed = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      } else if (v.endsWith("m")) {
        parsed = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      } else {
        throw new IllegalArgumentException("no unit");
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "--start-timeout needs a duration such as 120s, 5m or PT5M, got " + value, e);
    }
    if (parsed.isNegative() || parsed.isZero()) {
      throw new IllegalArgumentException("--start-timeout must be positive, got " + value);
    }
    return parsed;
  }

  private static void awaitEndOfInput(InputStream in) {
    byte[] discard = new byte[256];
    try {
      while (in.read(discard) != -1) {
        // Input carries no commands; only its end matters.
      }
    } catch (IOException e) {
      // A broken stdin means the parent is gone: stop as for end of file.
    }
  }
}
