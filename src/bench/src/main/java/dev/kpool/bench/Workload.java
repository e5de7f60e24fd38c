package dev.kpool.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The bench's workloads, at full size; {@link #specs} scales them down for quick runs. */
public enum Workload {
  /** Many tasks in flight, every result through a callback. */
  NOOP_APPLY_ASYNC("noop-apply-async", 50_000, 2, 0),
  /** One map over many items, once per chunk size. */
  NOOP_MAP("noop-map", 1_000_000, 2, 0),
  /** I/O-bound tasks on 8 processes; ideal 800 tasks/s. */
  SLEEP_10MS("sleep-10ms", 2_000, 8, 10),
  /** CPU-bound tasks on 2 processes; ideal 100 tasks/s. */
  CPU_20MS("cpu-20ms", 400, 2, 20),
  /** One {@code apply} at a time: latency. */
  ROUND_TRIP("round-trip", 2_000, 2, 0),
  /** From starting a pool to its first result. */
  POOL_START("pool-start", 1, 2, 0),
  /** Tasks each in a newly started process (maxtasksperchild=1). */
  PROCESS_PER_TASK_FRESH("process-per-task-fresh", 100, 2, 0),
  /** The same tasks on a warm pool. */
  PROCESS_PER_TASK_WARM("process-per-task-warm", 100, 2, 0);

  /** The map's chunk sizes. */
  public static final List<Integer> CHUNKSIZES = List.of(1, 10, 100, 1_000);

  private final String id;
  private final int fullTasks;
  private final int processes;
  private final int millis;

  Workload(String id, int fullTasks, int processes, int millis) {
    this.id = id;
    this.fullTasks = fullTasks;
    this.processes = processes;
    this.millis = millis;
  }

  public String id() {
    return id;
  }

  public int processes() {
    return processes;
  }

  /** Ideal tasks/s for sleeping or spinning tasks, 0 when there is none. */
  public double idealTasksPerSecond() {
    return millis == 0 ? 0 : processes * 1000.0 / millis;
  }

  /**
   * A workload by its command-line name; {@code process-per-task} names both of its halves.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static List<Workload> parse(String name) {
    if (name.equals("process-per-task")) {
      return List.of(PROCESS_PER_TASK_FRESH, PROCESS_PER_TASK_WARM);
    }
    return Arrays.stream(values())
        .filter(w -> w.id.equals(name))
        .findFirst()
        .map(List::of)
        .orElseThrow(() -> new IllegalArgumentException("unknown workload " + name));
  }

  /**
   * The runs of this workload.
   *
   * @param scale fraction of the full task count (at least a few tasks are kept)
   * @param maxMapRecords bound on task records per map run: items = min(items, chunksize x bound)
   */
  public List<Spec> specs(double scale, int maxMapRecords) {
    return specs(scale, maxMapRecords, CHUNKSIZES);
  }

  /**
   * The runs of this workload, a map's only at the given chunk sizes.
   *
   * @param scale fraction of the full task count (at least a few tasks are kept)
   * @param maxMapRecords bound on task records per map run: items = min(items, chunksize x bound)
   * @param chunksizes the map's chunk sizes, each at least 1
   */
  public List<Spec> specs(double scale, int maxMapRecords, List<Integer> chunksizes) {
    int tasks =
        this == POOL_START
            ? 1
            : Math.max(Math.min(fullTasks, 4), (int) Math.round(fullTasks * scale));
    if (this != NOOP_MAP) {
      return List.of(new Spec(this, tasks, 1, processes, millis));
    }
    List<Spec> specs = new ArrayList<>();
    for (int chunksize : chunksizes) {
      int items = (int) Math.min(tasks, (long) chunksize * maxMapRecords);
      specs.add(new Spec(this, Math.max(items, chunksize), chunksize, processes, millis));
    }
    return specs;
  }
}
