package dev.kpool.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTest {

  @Test
  void lineReadsBackAsTheSameResult() {
    Result result = new Result("kpool", "round-trip", 2000, 2.5, 1.25, 9.5);
    String line = result.line();
    assertEquals(
        "system=kpool workload=round-trip tasks=2000 seconds=2.5000 tasks_per_s=800.0 p50_ms=1.250 p99_ms=9.500",
        line);
    assertEquals(result, Result.parse(line));
  }

  @Test
  void unmeasuredLatenciesPrintAsDashes() {
    String line = new Result("mp-pool", "noop-map-c100", 100, 1, Double.NaN, Double.NaN).line();
    assertTrue(line.endsWith("p50_ms=- p99_ms=-"), line);
    assertTrue(Result.LINE.matcher(line).matches());
  }

  @Test
  void medianIsTheRunWithTheMiddleTimePerSystemAndWorkload() {
    List<Result> runs =
        List.of(
            new Result("kpool", "w", 10, 3, 0, 0),
            new Result("kpool", "w", 10, 1, 0, 0),
            new Result("kpool", "w", 10, 2, 0, 0),
            new Result("mp-pool", "w", 10, 5, 0, 0));
    List<Result> medians = Result.medians(runs);
    assertEquals(2, medians.size());
    assertEquals(2, medians.get(0).seconds());
    assertEquals(5, medians.get(1).seconds());
  }

  @Test
  void pythonClientRowsCompareWithMultiprocessingAndItsOwnTargets(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    Result py =
        Result.parse(
            "system=kpool-py workload=noop-map-c100 tasks=100 seconds=0.0004 tasks_per_s=250000.0 p50_ms=- p99_ms=-");
    Result mp = new Result("mp-pool", "noop-map-c100", 100, 0.0001, Double.NaN, Double.NaN);
    java.nio.file.Path report = dir.resolve("report.md");
    Report.write(report, List.of(py, mp), "context");
    String md = java.nio.file.Files.readString(report);
    assertTrue(
        md.contains(
            "| noop-map-c100 | 0.25 | 250,000 | 1,000,000 | - | >= 200,000 items/s | yes |"),
        md);
  }

  @Test
  void parseRefusesALineOfAnotherShape() {
    assertThrows(IllegalArgumentException.class, () -> Result.parse("system=kpool tasks=1"));
  }

  @Test
  void mapRunsAreBoundedInRecordsAndCoverEveryChunksize() {
    List<Spec> specs = Workload.NOOP_MAP.specs(1.0, 50_000);
    assertEquals(
        List.of(50_000, 500_000, 1_000_000, 1_000_000), specs.stream().map(Spec::tasks).toList());
    assertEquals("noop-map-c100", specs.get(2).label());
  }
}
