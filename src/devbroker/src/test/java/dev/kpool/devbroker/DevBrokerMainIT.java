package dev.kpool.devbroker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link DevBrokerMain} as a child JVM, the way the demo and the supervisor do. */
class DevBrokerMainIT {

  private static final long BOUND_SECONDS = 30;

  @TempDir Path tempDir;
  private Process child;

  @AfterEach
  void killLeftoverChild() {
    if (child != null) {
      child.destroyForcibly();
    }
  }

  @Test
  void printsOneBootstrapLineAndStopsCleanlyWhenStdinCloses() throws Exception {
    child = launch();
    BufferedReader stdout = stdout(child);
    String address = awaitBootstrapLine(stdout);
    assertTrue(listening(address), "nothing listens on " + address);

    child.getOutputStream().close();

    assertTrue(child.waitFor(BOUND_SECONDS, TimeUnit.SECONDS), "child did not exit");
    assertEquals(0, child.exitValue());
    assertNull(stdout.readLine(), "stdout must carry the bootstrap line only");
    assertTrue(!listening(address), "port still open after exit: " + address);
    assertTrue(stderr().contains("stopped"), "broker was not stopped cleanly:\n" + stderr());
  }

  @Test
  void stopsCleanlyOnSigterm() throws Exception {
    child = launch();
    String address = awaitBootstrapLine(stdout(child));

    // Through the handle: Process.destroy() would also close stdin, racing the signal.
    assertTrue(child.toHandle().destroy(), "SIGTERM not sent");

    assertTrue(child.waitFor(BOUND_SECONDS, TimeUnit.SECONDS), "child did not exit");
    assertEquals(143, child.exitValue(), "expected the JVM's SIGTERM status");
    assertTrue(!listening(address), "port still open after exit: " + address);
    assertTrue(stderr().contains("stopped"), "shutdown hook did not stop the broker:\n" + stderr());
  }

  private Process launch() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            List.of(
                java,
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                DevBrokerMain.class.getName(),
                "--port",
                "0"))
        .redirectError(tempDir.resolve("stderr.log").toFile())
        .start();
  }

  /** The child's log: slf4j-simple from the test class path writes to stderr. */
  private String stderr() throws IOException {
    return Files.readString(tempDir.resolve("stderr.log"));
  }

  private static BufferedReader stdout(Process process) {
    return new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  private static String awaitBootstrapLine(BufferedReader stdout) throws Exception {
    String line =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return stdout.readLine();
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                })
            .get(BOUND_SECONDS, TimeUnit.SECONDS);
    assertTrue(
        line != null && line.matches("KPOOL_BOOTSTRAP=127\\.0\\.0\\.1:\\d+"), "got: " + line);
    return line.substring(DevBrokerMain.BOOTSTRAP_PREFIX.length());
  }

  private static boolean listening(String address) {
    String[] hostPort = address.split(":");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 1_000);
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      throw new AssertionError("unexpected failure probing " + address, e);
    }
  }
}
