package dev.kpool.supervisor.history;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SnapshotWriteFailuresTest {
  private static final long INTERVAL = SnapshotWriteFailures.INTERVAL.toMillis();
  private final SnapshotWriteFailures failures = new SnapshotWriteFailures();

  @Test
  void theFirstFailureWarnsAndTheNextOnesOnlyOnceAnInterval() {
    assertTrue(failures.failed(1_000));
    assertFalse(failures.failed(1_000 + 2_000));
    assertFalse(failures.failed(1_000 + INTERVAL - 1));
    assertTrue(failures.failed(1_000 + INTERVAL));
  }

  @Test
  void aFailureAfterASuccessWarnsAtOnce() {
    assertTrue(failures.failed(1_000));
    failures.succeeded();

    assertTrue(failures.failed(3_000));
  }
}
