package dev.kpool.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The harness runs end to end on a tiny workload and prints well-formed lines. It asserts nothing
 * about speed: timings on a shared machine are noise, so speed is the full bench's to judge.
 */
class BenchSmokeIT {

  @Test
  void printsOneWellFormedLinePerSystemAndWorkloadAndWritesTheReport(@TempDir Path out)
      throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    int exit;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exit =
          new CommandLine(new BenchCommand())
              .execute(
                  "--workloads",
                  "noop-apply-async,noop-map",
                  "--scale",
                  "0.0004",
                  "--max-map-records",
                  "5",
                  "--repeat",
                  "1",
                  "--warmup-seconds",
                  "0",
                  "--out",
                  out.toString());
    } finally {
      System.setOut(stdout);
    }
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
    stdout.println(String.join("\n", lines));

    assertEquals(0, exit);
    lines.forEach(
        line -> assertTrue(Result.LINE.matcher(line).matches(), () -> "malformed: " + line));
    Set<String> seen =
        lines.stream()
            .map(Result::parse)
            .map(r -> r.system() + " " + r.workload())
            .collect(Collectors.toSet());
    for (String system : List.of("kpool", "mp-pool", "kafka-raw")) {
      for (String workload :
          List.of(
              "noop-apply-async",
              "noop-map-c1",
              "noop-map-c10",
              "noop-map-c100",
              "noop-map-c1000")) {
        assertTrue(
            seen.contains(system + " " + workload), () -> "no line for " + system + " " + workload);
      }
    }
    assertEquals(15, lines.size());
    assertTrue(Files.readString(out.resolve("report.md")).contains("| noop-apply-async |"));
    assertTrue(Files.size(out.resolve("report.png")) > 0);
  }
}
