package dev.kpool.supervisor.backlog;

import java.time.Duration;

/**
 * How much work a pool has, for a scaler deciding how many supervisors to run (KEDA's {@code
 * metrics-api} scaler reads {@code suggestedReplicas}).
 *
 * @param pool the pool's name
 * @param unacknowledged task records not yet acknowledged in the pool's share group, across every
 *     supervisor: waiting, held or running (Kafka's share-group lag)
 * @param inFlight tasks this supervisor holds: running or queued for a worker
 * @param busyWorkers this supervisor's workers running a task
 * @param idleWorkers this supervisor's workers waiting for one
 * @param averageTaskMillis this supervisor's average task time so far; 0 before its first task
 * @param suggestedReplicas supervisors that would clear the backlog within {@link #CLEAR_WITHIN}
 *     at the average task time, each running {@code max-processes} workers; at least 1
 */
public record Backlog(
    String pool,
    long unacknowledged,
    int inFlight,
    int busyWorkers,
    int idleWorkers,
    double averageTaskMillis,
    int suggestedReplicas) {

  /** The time a suggested number of supervisors takes to clear the backlog. */
  public static final Duration CLEAR_WITHIN = Duration.ofMinutes(1);

  /**
   * Supervisors of {@code processesPerReplica} workers that clear {@code unacknowledged} tasks of
   * {@code averageTaskMillis} each within {@link #CLEAR_WITHIN}, but never more than would give
   * each task a worker of its own, and never fewer than one (the one that serves this figure). With
   * no average yet, one worker per task.
   */
  public static int suggestedReplicas(
      long unacknowledged, double averageTaskMillis, int processesPerReplica) {
    if (unacknowledged <= 0) {
      return 1;
    }
    int processes = Math.max(1, processesPerReplica);
    double oneEach = Math.ceil((double) unacknowledged / processes);
    double byTime =
        averageTaskMillis <= 0
            ? oneEach
            : Math.ceil(
                unacknowledged
                    * averageTaskMillis
                    / (processes * (double) CLEAR_WITHIN.toMillis()));
    return (int) Math.max(1, Math.min(Math.min(oneEach, byTime), Integer.MAX_VALUE));
  }
}
