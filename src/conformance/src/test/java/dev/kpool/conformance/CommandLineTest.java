package dev.kpool.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.conformance.internal.CommandLine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandLineTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void listsEveryCheckByName() {
    assertEquals(CommandLine.PASSED, run("--list"));
    List<String> names =
        out.toString(StandardCharsets.UTF_8).lines().map(line -> line.split(" ")[0]).toList();
    assertEquals(ConformanceKit.checkNames(), names);
  }

  @Test
  void refusesAMissingWorkerCommand() {
    assertEquals(CommandLine.USAGE, run("--only", "hello"));
    assertEquals(CommandLine.USAGE, run("--only", "hello", "--"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("after --"));
  }

  @Test
  void refusesUnknownOptionsAndChecks() {
    assertEquals(CommandLine.USAGE, run("--verbose", "--", "true"));
    assertEquals(CommandLine.USAGE, run("--heartbeat-millis", "soon", "--", "true"));
    assertEquals(CommandLine.USAGE, run("--only", "no-such-check", "--", "true"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("no-such-check"));
  }

  @Test
  void checkNamesAreUnique() {
    assertEquals(
        ConformanceKit.checkNames().size(), Set.copyOf(ConformanceKit.checkNames()).size());
  }

  @Test
  void optionsRefuseNonsense() {
    assertThrows(IllegalArgumentException.class, () -> Options.defaults().withHeartbeatMillis(0));
    assertThrows(
        IllegalArgumentException.class, () -> ConformanceKit.check(List.of(), Options.defaults()));
  }

  private int run(String... args) {
    return CommandLine.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }
}
