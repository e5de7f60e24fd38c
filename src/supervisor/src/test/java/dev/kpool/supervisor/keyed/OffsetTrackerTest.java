package dev.kpool.supervisor.keyed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

  @Test
  void commitsOnlyUpToTheLowestUnfinishedOffset() {
    OffsetTracker tracker = new OffsetTracker();
    for (long offset = 10; offset < 15; offset++) {
      tracker.taken(offset);
    }
    tracker.finished(11);
    tracker.finished(12);
    assertEquals(10, tracker.committable(), "10 is still running: a new owner must start there");
    tracker.committed(10);
    assertEquals(-1, tracker.committable(), "nothing new to commit");

    tracker.finished(10);
    assertEquals(13, tracker.committable());
    tracker.committed(13);
    tracker.finished(13);
    tracker.finished(14);
    assertEquals(15, tracker.committable(), "all done: the next offset to read");
    assertEquals(0, tracker.open());
  }
}
