package dev.kpool.supervisor.backlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BacklogTest {
  @Test
  void oneSupervisorIsSuggestedForNoBacklogSinceItServesTheFigure() {
    assertEquals(1, Backlog.suggestedReplicas(0, 500, 4));
  }

  @Test
  void aBacklogIsClearedWithinAMinuteAtTheAverageTaskTime() {
    // 1,000 tasks of 1 s on 4 workers each: 250 s of work per supervisor, so 5 clear it in 50 s
    assertEquals(5, Backlog.suggestedReplicas(1_000, 1_000, 4));
    assertEquals(1, Backlog.suggestedReplicas(1_000, 10, 4), "10 s of work fits one supervisor");
  }

  @Test
  void noMoreSupervisorsAreSuggestedThanGiveEachTaskAWorker() {
    assertEquals(
        2, Backlog.suggestedReplicas(8, 600_000, 4), "8 ten-minute tasks need 8 workers, not 80");
    assertEquals(3, Backlog.suggestedReplicas(9, 0, 4), "no average yet: a worker per task");
  }
}
