package dev.kpool.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The README's first command, small: its own embedded Kafka, a supervisor, and every result right. */
class DemoIT {

  @Test
  void demoTimesTheFirstResultAndReportsBothRatesWithNoChildLeft() {
    PrintStream console = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exit;
    try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      System.setOut(out);
      exit =
          new CommandLine(new DemoCommand())
              .execute(
                  "--tasks",
                  "300",
                  "--map-items",
                  "2000",
                  "--warmup-seconds",
                  "0",
                  "--no-baseline");
    } finally {
      System.setOut(console);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    console.println(output);
    assertEquals(0, exit, output);
    assertTrue(output.matches("(?s).*first result \\d+ ms after ready.*"), output);
    assertTrue(
        output.matches(
            "(?s).*summary: apply_async 300 tasks in [0-9.]+ s = \\d+ tasks/s;"
                + " map \\(chunksize 100\\) 2000 items in [0-9.]+ s = \\d+ items/s; .*failures=0.*"),
        output);
    assertTrue(output.contains("child processes left: 0"), output);
  }
}
