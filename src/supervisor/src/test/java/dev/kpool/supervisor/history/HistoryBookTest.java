package dev.kpool.supervisor.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.protocol.ProtocolJson;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryBookTest {
  private static final long NOW = 1_000_000_000L;
  private static final long STEP = HistoryBook.STEP.toMillis();
  private final HistoryBook book = new HistoryBook();

  @Test
  void totalsGoOnAcrossARestartBySummingTheLastSnapshotOfEveryRun() {
    long before = NOW - 60_000;
    book.add(snapshot("p", "run1", before - 10_000, before - 2 * STEP, 4, 1, 400), NOW);
    book.add(snapshot("p", "run1", before - 10_000, before, 10, 2, 1000), NOW);
    book.add(snapshot("p", "run2", NOW - 10_000, NOW - STEP, 3, 0, 90), NOW);
    book.add(snapshot("other", "run2", NOW - 10_000, NOW - STEP, 99, 0, 90), NOW);

    PoolHistory history = book.history("p", NOW);

    assertEquals(Map.of("OK", 13L, "FAILED", 2L), history.tasks());
    assertEquals(2, history.runs());
  }

  @Test
  void throughputCountsWhatEachRunFinishedBetweenItsSnapshotsInTheStepOfTheLater() {
    long started = NOW - 30_000;
    book.add(
        snapshot("p", "run1", started, NOW - 10 * STEP, 6, 0, 60), NOW); // first of its run: from 0
    book.add(snapshot("p", "run1", started, NOW - 9 * STEP, 10, 0, 100), NOW);
    book.add(snapshot("p", "run2", NOW - 20_000, NOW - 9 * STEP, 2, 0, 200), NOW);

    PoolHistory history = book.history("p", NOW);
    var samples = history.samples();

    assertEquals(HistoryBook.WINDOW.toMillis() / STEP, samples.size());
    var last = samples.get(samples.size() - 1);
    assertEquals(NOW - NOW % STEP, last.at(), "the newest sample is the step now is in");
    var tenAgo = samples.get(samples.size() - 1 - 10);
    var nineAgo = samples.get(samples.size() - 1 - 9);
    assertEquals(6, tenAgo.tasks());
    assertEquals(4 + 2, nineAgo.tasks());
    assertEquals((40 + 200) / 6.0, nineAgo.meanTaskMillis(), 1e-9);
    assertEquals(6 * 1000.0 / STEP, nineAgo.tasksPerSecond(), 1e-9);
    assertEquals(12, samples.stream().mapToLong(PoolHistory.Sample::tasks).sum());
  }

  @Test
  void aRunsFirstSnapshotIsLeftOutOfTheThroughputWhenTheRunStartedBeforeTheWindow() {
    // Its totals include tasks from before the window, so they are no step's throughput.
    book.add(snapshot("p", "old", NOW - 3_600_000, NOW - STEP, 500, 0, 5000), NOW);

    PoolHistory history = book.history("p", NOW);

    assertEquals(500, history.tasks().get("OK"));
    assertEquals(0, history.samples().stream().mapToLong(PoolHistory.Sample::tasks).sum());
  }

  @Test
  void aRecordWithoutPoolOrRunIsSkippedAndTheOthersStillAnswer() {
    book.add(snapshot("p", "run1", NOW - 10_000, NOW - STEP, 3, 0, 30), NOW);
    assertFalse(book.add(snapshot(null, "run2", NOW - 10_000, NOW - STEP, 7, 0, 70), NOW));
    assertFalse(book.add(snapshot("p", null, NOW - 10_000, NOW - STEP, 9, 0, 90), NOW));
    assertTrue(book.add(new PoolSnapshot("p", "run3", NOW - 10_000, NOW - STEP, null, 0), NOW));

    PoolHistory history = book.history("p", NOW);

    assertEquals(Map.of("OK", 3L, "FAILED", 0L), history.tasks());
    assertEquals(2, history.runs());
  }

  @Test
  void aTopicRecordWithoutAPoolFieldIsReadAsASnapshotTheBookSkips() throws Exception {
    byte[] json =
        "{\"supervisor\":\"r\",\"started\":1,\"at\":2,\"tasks\":{\"OK\":5},\"taskMillis\":9}"
            .getBytes(StandardCharsets.UTF_8);

    PoolSnapshot read = ProtocolJson.mapper().readValue(json, PoolSnapshot.class);

    assertFalse(book.add(read, NOW));
  }

  private static PoolSnapshot snapshot(
      String pool, String run, long started, long at, long ok, long failed, long millis) {
    return new PoolSnapshot(pool, run, started, at, Map.of("OK", ok, "FAILED", failed), millis);
  }
}
