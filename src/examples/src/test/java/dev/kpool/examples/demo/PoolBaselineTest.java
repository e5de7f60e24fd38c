package dev.kpool.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PoolBaselineTest {

  @Test
  void readsTheRateFromTheBenchScriptsResultLine() {
    String out =
        "system=mp-pool workload=noop-map tasks=100000 seconds=0.0841 tasks_per_s=1188249.5 p50_ms=- p99_ms=-\n";
    assertEquals(1188249.5, PoolBaseline.parse(out).getAsDouble());
  }

  @Test
  void findsNoRateWhenTheScriptPrintedNone() {
    assertTrue(PoolBaseline.parse("Traceback (most recent call last):\n").isEmpty());
  }
}
