package dev.kpool.examples.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The development broker ({@code dev.kpool.devbroker.DevBrokerMain}) as a child JVM, so that
 * neither the demo's class path nor the supervisor's carries the Kafka broker. The child stops when
 * its stdin closes, so it never outlives this JVM, even one killed with SIGKILL. Not thread-safe.
 */
public final class DevBrokerProcess implements AutoCloseable {
  private static final String MAIN = "dev.kpool.devbroker.DevBrokerMain";
  private static final String BOOTSTRAP_PREFIX = "KPOOL_BOOTSTRAP=";

  private final Process process;
  private final String bootstrapServers;

  private DevBrokerProcess(Process process, String bootstrapServers) {
    this.process = process;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Starts the broker on a free port and waits until it answers clients.
   *
   * @param log where the broker's console (stderr) goes
   * @throws IllegalStateException if it exits or does not answer within {@code timeout}
   */
  public static DevBrokerProcess start(KpoolHome home, Path log, Duration timeout)
      throws IOException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    List<String> argv =
        List.of(
            KpoolHome.java(),
            "-Xmx512m",
            "-XX:+UseSerialGC",
            "-cp",
            home.devBrokerClasspath(),
            MAIN,
            "--port",
            "0");
    Process process = new ProcessBuilder(argv).redirectError(log.toFile()).start();
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> firstLine(process));
    try {
      String first = line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (first == null || !first.startsWith(BOOTSTRAP_PREFIX)) {
        throw new IllegalStateException("dev broker did not start; see " + log);
      }
      return new DevBrokerProcess(process, first.substring(BOOTSTRAP_PREFIX.length()));
    } catch (TimeoutException | ExecutionException | RuntimeException e) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "dev broker did not start within " + timeout + "; see " + log, e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted starting the dev broker", e);
    }
  }

  private static String firstLine(Process process) {
    // Not closed: closing the reader would close the child's stdout, which it still writes to.
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    try {
      return out.readLine();
    } catch (IOException e) {
      return null;
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Closes the broker's stdin, its signal to stop cleanly, and waits for it; SIGKILL after 30 s. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
