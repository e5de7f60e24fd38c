package dev.kpool.bench;

/**
 * One measured run: a workload with its size.
 *
 * @param tasks tasks, or items for a map
 * @param chunksize items per task record (map only, else 1)
 * @param processes worker processes the pool runs
 * @param millis sleep or CPU time per task (0 for no-ops)
 */
public record Spec(Workload workload, int tasks, int chunksize, int processes, int millis) {

  /** The {@code workload=} value of its result lines, e.g. {@code noop-map-c100}. */
  public String label() {
    return switch (workload) {
      case NOOP_MAP -> workload.id() + "-c" + chunksize;
      default -> workload.id();
    };
  }
}
