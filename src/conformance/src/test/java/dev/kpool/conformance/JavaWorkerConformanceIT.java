package dev.kpool.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Java worker SDK keeps every rule of the protocol. */
class JavaWorkerConformanceIT {

  @Test
  void javaWorkerSdkPassesEveryCheck() {
    Report report =
        ConformanceKit.check(
            WorkerCommands.java(), Options.defaults().withListener(Conformance::log));

    Conformance.log(report);
    assertEquals(ConformanceKit.checkNames(), names(report), "every check ran, in order");
    assertTrue(report.passed(), Conformance.failures(report));
  }

  private static List<String> names(Report report) {
    return report.results().stream().map(CheckResult::name).collect(Collectors.toList());
  }
}
