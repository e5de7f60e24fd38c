package dev.kpool.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command lines of the workers the tests check. */
final class WorkerCommands {
  private WorkerCommands() {}

  /** A JVM running {@link JavaConformanceWorker} from this test class path. */
  static List<String> java(String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> argv =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx64m",
                // A worker JVM lives for one check: skip the optimizing compiler to start faster.
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                JavaConformanceWorker.class.getName()));
    argv.addAll(List.of(args));
    return argv;
  }

  /** The Python SDK's conformance worker, {@code ../python/conformance_worker.py}. */
  static List<String> python() {
    Path basedir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    Path script = basedir.resolve("../python/conformance_worker.py").normalize();
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("no Python conformance worker at " + script);
    }
    return List.of(System.getProperty("kpool.python", "python3"), script.toString());
  }
}
