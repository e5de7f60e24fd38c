package dev.kpool.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.conformance.internal.CommandLine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The kit catches a worker that breaks a rule, and its command line reports it. */
class ConformanceKitIT {

  @Test
  void reportsAWorkerWhosePrintReachesStdout() {
    Report report =
        ConformanceKit.check(
            WorkerCommands.java("--print-to-real-stdout"),
            Options.defaults().withOnly(Set.of("echo", "stdout-clean")));

    Map<String, CheckResult> byName =
        report.results().stream().collect(Collectors.toMap(CheckResult::name, r -> r));
    assertTrue(byName.get("echo").passed(), byName.get("echo").line());
    CheckResult print = byName.get("stdout-clean");
    assertFalse(print.passed());
    assertTrue(print.detail().contains("frame stream"), print.detail());
    assertFalse(report.passed());
  }

  @Test
  void commandLinePrintsOneLinePerCheckAndExitsOneOnAFailure() {
    List<String> args = new ArrayList<>(List.of("--only", "hello,stdout-clean", "--"));
    args.addAll(WorkerCommands.java("--print-to-real-stdout"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int status =
        CommandLine.run(
            args.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);

    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(CommandLine.FAILED, status, String.join("\n", lines));
    assertEquals("PASS hello", lines.get(0));
    assertTrue(lines.get(1).startsWith("FAIL stdout-clean: "), lines.get(1));
    assertTrue(
        lines.get(lines.size() - 1).startsWith("conformance: 1 passed, 1 failed"),
        lines.toString());
  }
}
