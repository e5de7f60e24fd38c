package dev.kpool.supervisor.history;

import java.util.Map;

/**
 * One supervisor's running totals for one pool at one moment, as written to {@code kpool.events}.
 *
 * @param pool the pool
 * @param supervisor this run of a supervisor: a new id each start, so a restart adds a key and
 *     leaves the last totals of the run before it in place
 * @param started epoch milliseconds when this run started
 * @param at epoch milliseconds of the snapshot
 * @param tasks tasks that ended on this run, by outcome name ({@code OK}, {@code FAILED}, ...);
 *     none if {@code null}
 * @param taskMillis worker time this run spent on those tasks
 */
public record PoolSnapshot(
    String pool,
    String supervisor,
    long started,
    long at,
    Map<String, Long> tasks,
    long taskMillis) {
  public PoolSnapshot {
    tasks = tasks == null ? Map.of() : Map.copyOf(tasks);
  }

  /** The record key: one per pool and supervisor run, so compaction keeps each run's last totals. */
  public String key() {
    return pool + "/" + supervisor;
  }

  /** Tasks ended, whatever their outcome. */
  public long done() {
    return tasks.values().stream().mapToLong(Long::longValue).sum();
  }
}
