package dev.kpool.supervisor.kafka;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged supervisor, started with no Kafka to use: it must say so and stop, not start one. */
class NoKafkaConfiguredIT {
  private static final Path APP = Path.of("target/quarkus-app").toAbsolutePath();

  @Test
  void shipsNoKafkaBroker() throws Exception {
    try (Stream<Path> jars = Files.list(APP.resolve("lib/main"))) {
      List<String> brokers =
          jars.map(jar -> jar.getFileName().toString())
              // kafka-clients is the one Kafka artifact a client needs; every other is the
              // broker's.
              .filter(
                  name ->
                      (name.startsWith("org.apache.kafka.")
                              && !name.startsWith("org.apache.kafka.kafka-clients-"))
                          || name.contains("kpool-devbroker"))
              .toList();
      assertTrue(brokers.isEmpty(), "broker jars in the packaged supervisor: " + brokers);
    }
  }

  @Test
  void stopsWithAnErrorNamingTheVariableToSet(@TempDir Path dir) throws Exception {
    Path jar = APP.resolve("quarkus-run.jar");
    assertTrue(Files.isRegularFile(jar), jar + " is missing: the package phase builds it");
    Path console = dir.resolve("console.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1",
                    "-Dquarkus.http.port=0",
                    "-jar",
                    jar.toString()))
            .redirectErrorStream(true)
            .redirectOutput(console.toFile());
    builder.environment().remove("KPOOL_BOOTSTRAP_SERVERS");
    Process supervisor = builder.start();
    try {
      assertTrue(supervisor.waitFor(60, TimeUnit.SECONDS), "the supervisor did not stop");
      String output = Files.readString(console);
      assertNotEquals(0, supervisor.exitValue(), output);
      assertTrue(
          output
              .lines()
              .anyMatch(line -> line.contains("ERROR") && line.contains("KPOOL_BOOTSTRAP_SERVERS")),
          output);
    } finally {
      supervisor.destroyForcibly();
    }
  }
}
