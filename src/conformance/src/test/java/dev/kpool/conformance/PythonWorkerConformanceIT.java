package dev.kpool.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Python worker SDK, kpool_worker.py, keeps every rule of the protocol. */
class PythonWorkerConformanceIT {

  @Test
  void pythonWorkerSdkPassesEveryCheck() {
    Report report =
        ConformanceKit.check(
            WorkerCommands.python(), Options.defaults().withListener(Conformance::log));

    Conformance.log(report);
    assertEquals(ConformanceKit.checkNames().size(), report.results().size(), "every check ran");
    assertTrue(report.passed(), Conformance.failures(report));
  }
}
