package dev.kpool.examples.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpool.protocol.ProtocolJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kpool supervisor running as a child JVM, configured with system properties. Its console goes
 * to a log file. {@link #stop(Duration)} sends SIGTERM, which makes the supervisor drain. It runs
 * in the packaged application's directory (so relative paths in its configuration resolve there),
 * with the application's class-data archive when the build made one.
 */
public final class SupervisorProcess implements AutoCloseable {
  /** The line the supervisor logs once every pool is running. */
  static final String STARTED = "supervisor started";

  /** The AppCDS archive that {@code quarkus.package.jar.appcds.enabled} writes beside the jar. */
  static final String APP_CDS_ARCHIVE = "app-cds.jsa";

  /**
   * System property with extra JVM options, split on spaces, for every supervisor started here. The
   * test suite sets {@code -XX:TieredStopAtLevel=1}: its supervisors live seconds, and without C2
   * they start on about 30% less CPU.
   */
  public static final String JVM_OPTIONS_PROPERTY = "kpool.supervisor.jvm-options";

  /** Quarkus's line naming the HTTP address. */
  private static final Pattern LISTENING = Pattern.compile("Listening on: http://[^:]+:(\\d+)");

  private final Process process;
  private final Path log;
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile int httpPort;
  private volatile boolean sawStarted;

  private SupervisorProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts a supervisor and waits until it serves its pools.
   *
   * @param properties configuration, e.g. {@code kpool.bootstrap-servers}
   * @throws IllegalStateException if it exits or is not started within {@code timeout}
   */
  public static SupervisorProcess start(
      KpoolHome home, Map<String, String> properties, Path log, Duration timeout)
      throws IOException {
    return start(home, properties, Map.of(), log, timeout);
  }

  /**
   * Starts a supervisor with extra environment variables, as a container configures it, and waits
   * until it serves its pools.
   *
   * @param environment added to this process's environment, e.g. {@code KPOOL_BOOTSTRAP_SERVERS}
   * @throws IllegalStateException if it exits or is not started within {@code timeout}
   */
  public static SupervisorProcess start(
      KpoolHome home,
      Map<String, String> properties,
      Map<String, String> environment,
      Path log,
      Duration timeout)
      throws IOException {
    // exit-with-parent: if this JVM dies, even by SIGKILL, the supervisor sees its stdin close and
    // drains, so no supervisor outlives the demo or a test run.
    List<String> argv =
        new ArrayList<>(
            List.of(
                KpoolHome.java(), "-Xmx512m", "-XX:+UseSerialGC", "-Dkpool.exit-with-parent=true"));
    String jvmOptions = System.getProperty(JVM_OPTIONS_PROPERTY, "").strip();
    if (!jvmOptions.isEmpty()) {
      argv.addAll(List.of(jvmOptions.split("\\s+")));
    }
    Path jar = home.supervisorJar();
    Path appDir = jar.getParent();
    // The package build leaves Quarkus's class-data archive beside the jar. It records the class
    // path relative to that directory, hence the working directory and the relative jar. A stale
    // archive (another JDK) makes the JVM warn on its console and load classes as it would without.
    if (Files.isRegularFile(appDir.resolve(APP_CDS_ARCHIVE))) {
      argv.add("-XX:SharedArchiveFile=" + APP_CDS_ARCHIVE);
    }
    properties.forEach((k, v) -> argv.add("-D" + k + "=" + v));
    argv.add("-jar");
    argv.add(jar.getFileName().toString());
    Files.createDirectories(log.toAbsolutePath().getParent());
    ProcessBuilder builder =
        new ProcessBuilder(argv).directory(appDir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    SupervisorProcess supervisor = new SupervisorProcess(process, log);
    supervisor.copyConsole();
    try {
      if (!supervisor.started.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        supervisor.close();
        throw new IllegalStateException(
            "supervisor did not start within " + timeout + "; see " + log);
      }
    } catch (InterruptedException e) {
      supervisor.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted starting the supervisor", e);
    }
    if (!supervisor.sawStarted) {
      supervisor.close();
      throw new IllegalStateException("supervisor exited before serving; see " + log);
    }
    return supervisor;
  }

  private void copyConsole() throws IOException {
    PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
    Thread copier =
        new Thread(
            () -> {
              try (out;
                  var in =
                      new BufferedReader(
                          new InputStreamReader(
                              process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  out.println(line);
                  Matcher listening = LISTENING.matcher(line);
                  if (listening.find()) {
                    httpPort = Integer.parseInt(listening.group(1));
                  }
                  if (line.contains(STARTED)) {
                    sawStarted = true;
                    started.countDown();
                  }
                }
              } catch (IOException e) {
                out.println("[console copy ended: " + e + "]");
              } finally {
                started.countDown(); // an early exit must not leave start() waiting
              }
            },
            "kpool-supervisor-console");
    copier.setDaemon(true);
    copier.start();
  }

  /** The port of the supervisor's HTTP API (it listens on an ephemeral port), 0 if not known. */
  public int httpPort() {
    return httpPort;
  }

  /**
   * How many workers of {@code pool} are in {@code state} ({@code IDLE}, {@code BUSY}, ...), as
   * {@code GET /pools} shows them.
   *
   * @throws IOException if the supervisor does not answer, e.g. before its HTTP server listens
   * @throws IllegalStateException if it serves no pool {@code pool}
   */
  public int workers(String pool, String state) throws IOException, InterruptedException {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/pools")).build();
    String body =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    for (JsonNode view : ProtocolJson.mapper().readTree(body)) {
      if (pool.equals(view.get("name").asText())) {
        return view.get("workers").get(state).asInt();
      }
    }
    throw new IllegalStateException("no pool " + pool + " in " + body);
  }

  /** The supervisor's OS process. */
  public ProcessHandle handle() {
    return process.toHandle();
  }

  /** The file its console is copied to. */
  public Path log() {
    return log;
  }

  /**
   * SIGTERM, then waits up to {@code timeout} for the drain to finish; SIGKILL after that.
   *
   * @return the exit code
   */
  public int stop(Duration timeout) {
    // Through the handle: Process.destroy() would also close our end of its console, and its
    // drain log would be lost.
    process.toHandle().destroy();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** SIGKILL, as a crash would. Workers notice their stdin close and exit on their own. */
  public void kill() {
    process.destroyForcibly();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      stop(Duration.ofSeconds(60));
    }
  }
}
