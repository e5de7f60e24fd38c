package dev.kpool.supervisor.config;

import dev.kpool.protocol.RetryPolicy;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** One pool: which worker processes to run and how to feed them. Keys under {@code kpool.pools.<name>}. */
public interface PoolConfig {

  /** The worker's argv, e.g. {@code python3,-u,worker.py}. Required. */
  List<String> command();

  /** Working directory of worker processes; default: the supervisor's. */
  Optional<String> workingDirectory();

  /**
   * Extra environment variables of worker processes. From the supervisor's own environment, set
   * {@code KPOOL_POOLS__<POOL>__ENVIRONMENT__<NAME>} (see {@link PoolEnvironmentSource}).
   */
  Map<String, String> environment();

  /**
   * {@link #environment()} without the keys no process can have: the standard environment source
   * reads {@code KPOOL_POOLS__<POOL>__ENVIRONMENT__<NAME>} as a lowercase key starting with a
   * quote, beside the right one {@link PoolEnvironmentSource} adds.
   */
  default Map<String, String> workerEnvironment() {
    Map<String, String> valid = new java.util.LinkedHashMap<>(environment());
    valid.keySet().removeIf(name -> name.isEmpty() || name.contains("\"") || name.contains("="));
    return valid;
  }

  /** Worker processes kept running even when idle. */
  @WithDefault("1")
  int minProcesses();

  /** Upper bound on worker processes. */
  @WithDefault("2")
  int maxProcesses();

  /** Deadline of a task whose record carries none; past it the worker is killed. */
  @WithDefault("5m")
  Duration taskTimeout();

  /** Time between SIGTERM and SIGKILL when a worker must go. */
  @WithDefault("5s")
  Duration killGrace();

  /** How often a busy worker must send a heartbeat; three missed heartbeats mean it hangs. */
  @WithDefault("1s")
  Duration heartbeatInterval();

  /** Time a new worker has to answer hello and finish its initializer. */
  @WithDefault("60s")
  Duration startTimeout();

  /**
   * Runs of a task (first run included) before a task that keeps failing retryably, or keeps
   * crashing its worker, is dead-lettered. A task record may carry its own limit.
   */
  @WithDefault("3")
  int maxAttempts();

  /** Wait before the first retry; each further retry doubles it, with equal jitter. */
  @WithDefault("1s")
  Duration retryBackoff();

  /** The most the wait between two runs of a task grows to. */
  @WithDefault("1m")
  Duration retryBackoffMax();

  /** The pool's retry policy, which a task record's {@code kpool-retry-*} headers may override. */
  default RetryPolicy retryPolicy() {
    return new RetryPolicy(maxAttempts(), retryBackoff(), retryBackoffMax());
  }

  /** Largest task record value the pool accepts; larger ones are dead-lettered as too large. */
  @WithDefault("1048576")
  int maxTaskBytes();

  /** Largest protocol frame either side may send. */
  @WithDefault("16777216")
  int maxFrameBytes();

  /** Name of the task each worker runs once before any other (Pool's {@code initializer}). */
  Optional<String> initializer();

  /** JSON argument of the initializer (Pool's {@code initargs}). */
  Optional<String> initializerArgs();

  /** Tasks a worker process runs before it is replaced (Pool's {@code maxtasksperchild}); unset means no limit. */
  OptionalInt maxTasksPerChild();

  /** Resident memory past which a worker process is replaced after its current task, e.g. {@code 512M}. */
  Optional<MemorySize> maxMemoryPerChild();

  /** Age past which a worker process is replaced after its current task. */
  Optional<Duration> maxAgePerChild();

  /** Restarts of crashed or failed workers tolerated within {@link #restartPeriod()}. */
  @WithDefault("10")
  int restartIntensity();

  /** The window {@link #restartIntensity()} is counted over. */
  @WithDefault("60s")
  Duration restartPeriod();

  /**
   * How long the pool backs off once the restart intensity is exceeded (state {@code BACKING_OFF}):
   * a worker that cannot start waits all of it; a slot whose workers start but end without
   * finishing a task waits 250 ms, doubling up to this; one whose last worker finished a task
   * restarts at once.
   */
  @WithDefault("30s")
  Duration restartBackoff();

  /** Least time between two scaling steps of the pool. */
  @WithDefault("5s")
  Duration scaleCooldown();

  /** How long a worker above {@link #minProcesses()} may stay idle before it is retired. */
  @WithDefault("30s")
  Duration idleTimeout();

  /**
   * At most this many tasks with the same record key in flight at once, across every supervisor of
   * the pool (the {@code Semaphore} of the Pool world: e.g. 2 requests per crawled host). Setting it,
   * or {@link #keyRate()}, makes the pool keyed: see docs/keys.md.
   */
  OptionalInt keyConcurrency();

  /** At most this many task starts per second for the same record key, across every supervisor. */
  OptionalDouble keyRate();

  /**
   * Partitions of the task and retry topics when this supervisor creates them; default 1 for a
   * share-group pool, 4 for a keyed one. A share group assigns each consumer only some partitions
   * when there are several, and a partition whose consumers all died waits for the broker's share
   * session timeout (at least 45 s on a stock broker) before anyone else reads it; with one
   * partition every supervisor reads it, so a dead supervisor's tasks come back within its lock.
   * A keyed pool needs partitions to spread keys over supervisors.
   */
  OptionalInt partitions();

  /** The partitions a new task topic gets: {@link #partitions()} or its default. */
  default int taskPartitions() {
    return partitions().orElse(keyed() ? 4 : 1);
  }

  /** Whether tasks are limited per key: then partitions, not a share group, decide who runs a task. */
  default boolean keyed() {
    return keyConcurrency().isPresent() || keyRate().isPresent();
  }

  /** Share consumers feeding this pool's processes; default 4. */
  OptionalInt consumers();

  /** Most records one share consumer holds at once. */
  @WithDefault("100")
  int maxPollRecords();

  /**
   * Tasks a busy worker is sent ahead of the one it runs, so that it starts the next at once (as
   * Pool's task queue does). Only while no other worker is idle or starting and the pool's tasks
   * average under 50 ms: a task sent ahead waits for its worker even if another frees up. 0 turns
   * it off.
   */
  @WithDefault("1")
  int prefetch();

  /** On shutdown, how long in-flight tasks may take to finish before they are released. */
  @WithDefault("30s")
  Duration drainTimeout();

  /**
   * How long the share group locks a record handed to this pool's supervisors. A supervisor renews
   * the lock of every record it still runs or queues every third of it, so a task may run far
   * longer; a supervisor that dies holds its records at most this long. A stock Kafka broker
   * accepts 15s to 60s ({@code group.share.min/max.record.lock.duration.ms}).
   */
  @WithDefault("20s")
  Duration recordLock();
}
