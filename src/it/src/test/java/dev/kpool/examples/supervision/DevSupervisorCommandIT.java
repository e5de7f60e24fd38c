package dev.kpool.examples.supervision;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.examples.local.KpoolHome;
import dev.kpool.examples.local.LocalCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ./kpool supervisor} with no Kafka configured: the development path starts a broker as a
 * JVM of its own, the supervisor serves on it, and both stop when the caller goes away.
 */
class DevSupervisorCommandIT {
  private static final Task<Integer, Integer> SQUARE =
      Task.of("square", Integer.class, Integer.class);
  private static final Pattern BROKER_AT = Pattern.compile("development Kafka broker at (\\S+)");

  @Test
  void startsADevelopmentBrokerServesOnItAndStopsBothWhenStdinCloses() throws Exception {
    KpoolHome home = KpoolHome.locate();
    ProcessBuilder builder =
        new ProcessBuilder("bash", home.root().resolve("kpool").toString(), "supervisor")
            .directory(home.root().toFile())
            .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.remove("KPOOL_BOOTSTRAP_SERVERS");
    env.remove("KPOOL_EMBEDDED_BROKER_PORT");
    env.put("KPOOL_NO_BUILD", "1");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("KPOOL_EXIT_WITH_PARENT", "true");
    env.put("QUARKUS_HTTP_PORT", "0");
    env.put(
        "KPOOL_POOLS__DEVPATH__COMMAND",
        LocalCluster.javaWorkerCommand("dev.kpool.examples.tasks.ExampleWorker"));
    env.put("KPOOL_POOLS__DEVPATH__MIN_PROCESSES", "1");
    env.put("KPOOL_POOLS__DEVPATH__MAX_PROCESSES", "1");
    Process kpool = builder.start();
    List<String> console = new CopyOnWriteArrayList<>();
    Thread copier =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(kpool.getInputStream(), StandardCharsets.UTF_8))) {
                in.lines()
                    .forEach(
                        line -> {
                          console.add(line);
                          System.out.println("[kpool supervisor] " + line);
                        });
              } catch (Exception e) {
                console.add("[console copy ended: " + e + "]");
              }
            },
            "kpool-supervisor-console");
    copier.setDaemon(true);
    copier.start();
    try {
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  !kpool.isAlive()
                      || console.stream().anyMatch(line -> line.contains("supervisor started on")));
      assertTrue(kpool.isAlive(), "the supervisor did not start:\n" + String.join("\n", console));
      String bootstrap =
          console.stream()
              .map(BROKER_AT::matcher)
              .filter(Matcher::find)
              .map(m -> m.group(1))
              .findFirst()
              .orElseThrow();
      try (Pool pool = Pool.builder().bootstrapServers(bootstrap).pool("devpath").build()) {
        assertEquals(49, pool.applyAsync(SQUARE, 7).get(Duration.ofSeconds(60)));
      }
      List<ProcessHandle> children = kpool.descendants().toList();
      assertTrue(children.size() >= 3, "broker, supervisor and worker: " + children);

      kpool.getOutputStream().close();

      assertTrue(kpool.waitFor(90, TimeUnit.SECONDS), "./kpool supervisor did not stop");
      assertEquals(0, kpool.exitValue(), String.join("\n", console));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
    } finally {
      kpool.descendants().forEach(ProcessHandle::destroyForcibly);
      kpool.destroyForcibly();
    }
  }
}
