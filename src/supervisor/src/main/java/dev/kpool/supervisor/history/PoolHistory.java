package dev.kpool.supervisor.history;

import java.util.List;
import java.util.Map;

/**
 * A pool's history as read back from {@code kpool.events}, for the dashboard: totals over every
 * supervisor run that served it, and the recent throughput.
 *
 * @param pool the pool
 * @param tasks tasks ended by outcome name, summed over the last snapshot of every run
 * @param runs supervisor runs that have written a snapshot of the pool
 * @param samples the last {@link HistoryBook#WINDOW}, oldest first, one sample per {@link
 *     HistoryBook#STEP}
 */
public record PoolHistory(String pool, Map<String, Long> tasks, int runs, List<Sample> samples) {

  /**
   * Tasks that ended within one step, over every run.
   *
   * @param at epoch milliseconds when the step began
   * @param tasks tasks that ended within it
   * @param tasksPerSecond {@code tasks} over the step's length
   * @param meanTaskMillis their mean worker time; 0 without tasks
   */
  public record Sample(long at, long tasks, double tasksPerSecond, double meanTaskMillis) {}
}
