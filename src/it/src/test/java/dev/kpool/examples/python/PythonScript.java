package dev.kpool.examples.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.examples.local.KpoolHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script of the Python package (src/python) on the venv its Maven module made, with the
 * package on the path, and returns what it printed. Stderr goes to a log under target/.
 */
final class PythonScript {
  private static final long TIMEOUT_SECONDS = 180;

  private PythonScript() {}

  /** The venv's interpreter; src/python's Maven build makes it (this module depends on that one). */
  static Path python() {
    Path python = root().resolve("src/python/target/venv/bin/python");
    assertTrue(Files.isExecutable(python), "no " + python + ": build src/python first (-am)");
    return python;
  }

  static Path root() {
    return KpoolHome.locate().root();
  }

  /**
   * Runs {@code src/python/<script>} with {@code args} and the environment {@code env} added.
   *
   * @return its standard output, trimmed
   * @throws AssertionError if it exits non-zero or runs past the timeout
   */
  static String run(Map<String, String> env, String script, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                python().toString(),
                "-u",
                root().resolve("src/python").resolve(script).toString()));
    command.addAll(List.of(args));
    Path log = Path.of("target", "python-" + Path.of(script).getFileName() + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    builder.environment().put("PYTHONPATH", root().resolve("src/python").toString());
    builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process process = builder.start();
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    boolean exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly();
    }
    assertTrue(exited, script + " ran past " + TIMEOUT_SECONDS + " s; see " + log);
    assertEquals(0, process.exitValue(), script + " failed; see " + log.toAbsolutePath());
    return new String(out, StandardCharsets.UTF_8).trim();
  }
}
