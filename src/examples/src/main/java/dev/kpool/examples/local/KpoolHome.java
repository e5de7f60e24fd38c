package dev.kpool.examples.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the built kpool parts are in a source checkout, for running them as processes. */
public record KpoolHome(Path root) {

  /** The checkout named by {@code -Dkpool.home}, else the working directory or its nearest parent with a {@code src/supervisor}. */
  public static KpoolHome locate() {
    String configured = System.getProperty("kpool.home");
    Path start = Path.of(configured != null ? configured : "").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("src/supervisor"))) {
        return new KpoolHome(dir);
      }
    }
    throw new IllegalStateException(
        "no kpool checkout at or above " + start + " (set -Dkpool.home)");
  }

  /** The packaged supervisor application. */
  public Path supervisorJar() {
    return require(root.resolve("src/supervisor/target/quarkus-app/quarkus-run.jar"));
  }

  /** Class path of the example Java worker: its classes and the worker SDK, nothing else. */
  public String exampleWorkerClasspath() {
    Path examples = root.resolve("src/examples/target");
    return require(examples.resolve("classes"))
        + File.pathSeparator
        + require(examples.resolve("worker-lib"))
        + File.separator
        + "*";
  }

  /** Class path of the development broker, {@code DevBrokerMain}: its classes and the Kafka broker. */
  public String devBrokerClasspath() {
    Path devbroker = root.resolve("src/devbroker/target");
    return require(devbroker.resolve("classes"))
        + File.pathSeparator
        + require(devbroker.resolve("lib"))
        + File.separator
        + "*";
  }

  /** The java launcher of the running JVM. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Path require(Path path) {
    if (!Files.exists(path)) {
      throw new IllegalStateException(
          path + " is missing: build first with ./mvnw -DskipTests package");
    }
    return path;
  }
}
