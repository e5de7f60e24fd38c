package dev.kpool.devbroker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Runs an {@link EmbeddedKafkaBroker} as a child process: {@code DevBrokerMain [--port N]
 * [--data-dir DIR]}.
 *
 * <p>Prints exactly one line to stdout, {@code KPOOL_BOOTSTRAP=127.0.0.1:PORT}, once the broker
 * answers clients. Stops cleanly when stdin reaches end of file (so the parent must keep it open)
 * or on SIGTERM. {@code --port 0}, the default, picks a free port. Without {@code --data-dir} data
 * goes to a temporary directory deleted on exit. Exit status: 0 after a clean stop, 1 if the broker
 * failed to start, 2 for bad arguments.
 */
public final class DevBrokerMain {

  /** The stdout line prefix a parent process looks for. */
  public static final String BOOTSTRAP_PREFIX = "KPOOL_BOOTSTRAP=";

  private DevBrokerMain() {}

  public static void main(String[] args) {
    EmbeddedKafkaBroker broker;
    try {
      broker = parse(args).build();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println("usage: DevBrokerMain [--port N] [--data-dir DIR]");
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
    EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (!flag.equals("--port") && !flag.equals("--data-dir")) {
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
      } else {
        builder.dataDir(Path.of(value));
      }
    }
    return builder;
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
