package dev.kpool.supervisor.metrics;

import dev.kpool.supervisor.PoolRunner;
import dev.kpool.supervisor.dispatch.Outcome;
import dev.kpool.supervisor.dispatch.PoolStats;
import dev.kpool.supervisor.dispatch.ProcessPool;
import dev.kpool.supervisor.dispatch.WorkerState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one pool, each tagged {@code pool=<name>}: tasks by outcome, task duration (a
 * histogram with percentiles), tasks in flight and queued for a worker, workers by state, worker
 * starts, crashes and recycles; and the pool's {@link TaskFlow}: queue wait, retries, dead letters
 * and reply write time. Counters and gauges read the pool's own counters when scraped; the timers
 * are fed as tasks finish and settle, on the threads that finish and settle them.
 */
public final class PoolMeters implements MeterBinder {
  /** Percentiles the duration timer publishes, besides its histogram buckets. */
  private static final double[] PERCENTILES = {0.5, 0.95, 0.99};

  private final PoolRunner pool;

  public PoolMeters(PoolRunner pool) {
    this.pool = pool;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Tags tags = Tags.of("pool", pool.name());
    ProcessPool processes = pool.processes();
    PoolStats stats = processes.stats();
    Map<Outcome.Kind, Timer> durations = new EnumMap<>(Outcome.Kind.class);
    for (Outcome.Kind kind : Outcome.Kind.values()) {
      Tags outcome = tags.and("outcome", kind.name().toLowerCase(Locale.ROOT));
      FunctionCounter.builder("kpool.tasks", stats, s -> s.tasks(kind))
          .description("Tasks that ended, by outcome")
          .tags(outcome)
          .register(registry);
      durations.put(
          kind,
          Timer.builder("kpool.task.duration")
              .description("Time a worker spent on a task, by outcome")
              .tags(outcome)
              .publishPercentiles(PERCENTILES)
              .publishPercentileHistogram()
              .maximumExpectedValue(Duration.ofHours(1))
              .register(registry));
    }
    stats.onTaskFinished(
        (kind, millis) -> durations.get(kind).record(millis, TimeUnit.MILLISECONDS));
    for (WorkerState state : WorkerState.values()) {
      gauge(
          registry,
          "kpool.workers",
          "Worker slots by state",
          tags.and("state", state.name().toLowerCase(Locale.ROOT)),
          p -> p.workersByState().get(state));
    }
    gauge(
        registry,
        "kpool.tasks.in.flight",
        "Tasks running on a worker now",
        tags,
        ProcessPool::busyWorkers);
    gauge(
        registry,
        "kpool.tasks.queued",
        "Tasks taken from Kafka and waiting for a worker",
        tags,
        ProcessPool::queued);
    counter(
        registry,
        "kpool.worker.starts",
        "Worker processes started, restarts included",
        tags,
        PoolStats::workerStarts);
    counter(
        registry,
        "kpool.worker.crashes",
        "Worker processes that died or hung in a task",
        tags,
        PoolStats::workerCrashes);
    counter(
        registry,
        "kpool.worker.recycles",
        "Worker processes replaced for task count, memory or age",
        tags,
        PoolStats::workerRecycles);
    pool.flow().bindTo(registry, tags);
  }

  private void gauge(
      MeterRegistry registry,
      String name,
      String description,
      Tags tags,
      ToDoubleFunction<ProcessPool> value) {
    Gauge.builder(name, pool.processes(), value)
        .description(description)
        .tags(tags)
        .strongReference(true)
        .register(registry);
  }

  private void counter(
      MeterRegistry registry,
      String name,
      String description,
      Tags tags,
      ToDoubleFunction<PoolStats> value) {
    FunctionCounter.builder(name, pool.processes().stats(), value)
        .description(description)
        .tags(tags)
        .register(registry);
  }
}
