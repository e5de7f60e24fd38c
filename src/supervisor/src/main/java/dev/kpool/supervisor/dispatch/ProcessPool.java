package dev.kpool.supervisor.dispatch;

import dev.kpool.protocol.frame.FrameCodec;
import dev.kpool.protocol.frame.FromWorker;
import dev.kpool.supervisor.config.PoolConfig;
import dev.kpool.supervisor.process.WorkerCommand;
import dev.kpool.supervisor.scaling.ScalingPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The worker processes of one pool, the queue that feeds them, and the scaler that sizes them
 * between min and max. Thread-safe: any thread may {@link #submit} or {@link #cancel}.
 */
public final class ProcessPool {
  private static final Logger LOG = Logger.getLogger(ProcessPool.class);
  private static final Duration SCALE_TICK = Duration.ofMillis(250);
  // Counted on every reply and every task sent ahead: built once.
  private static final Set<WorkerState> IDLE = EnumSet.of(WorkerState.IDLE);
  private static final Set<WorkerState> BUSY = EnumSet.of(WorkerState.BUSY);
  private static final Set<WorkerState> IDLE_OR_STARTING =
      EnumSet.of(WorkerState.IDLE, WorkerState.STARTING);

  private final PoolContext ctx;
  private final List<WorkerSlot> slots = new CopyOnWriteArrayList<>();
  private final AtomicInteger slotSeq = new AtomicInteger();
  private final CancelledTasks cancelled = new CancelledTasks();
  private final ScalingPolicy scaling;
  private final ScheduledExecutorService scaler;
  private volatile boolean accepting = true;
  private volatile int backlog;

  /**
   * @param followUps receives tasks that running tasks submit, on a worker's reader thread
   */
  public ProcessPool(String pool, PoolConfig config, Consumer<FromWorker.Submit> followUps) {
    this(pool, config, followUps, PoolClock.SYSTEM, WorkerStarter::start);
  }

  /** A pool on {@code clock} whose slots get their workers from {@code launcher}: for tests. */
  ProcessPool(
      String pool,
      PoolConfig config,
      Consumer<FromWorker.Submit> followUps,
      PoolClock clock,
      WorkerLauncher launcher) {
    WorkerCommand command =
        new WorkerCommand(
            config.command(), config.workingDirectory().map(Path::of), config.workerEnvironment());
    ExecutorService background = Executors.newCachedThreadPool(daemon("kpool-" + pool + "-bg"));
    this.ctx =
        new PoolContext(
            pool,
            config,
            command,
            new FrameCodec(config.maxFrameBytes()),
            new LinkedBlockingDeque<>(),
            followUps,
            new PoolStats(),
            new RestartIntensity(
                config.restartIntensity(),
                config.restartPeriod(),
                config.restartBackoff(),
                clock::nanoTime),
            background,
            this::idleOrStartingWorkers,
            cancelled::contains,
            clock,
            launcher);
    this.scaling =
        new ScalingPolicy(
            config.minProcesses(),
            config.maxProcesses(),
            config.scaleCooldown(),
            config.idleTimeout());
    this.scaler = Executors.newSingleThreadScheduledExecutor(daemon("kpool-" + pool + "-scaler"));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Starts min processes (at least one) and the scaler; returns without waiting for them. */
  public void start() {
    addSlots(Math.max(1, ctx.config().minProcesses()));
    scaler.scheduleWithFixedDelay(
        this::scale, SCALE_TICK.toMillis(), SCALE_TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void addSlots(int count) {
    for (int i = 0; i < count; i++) {
      WorkerSlot slot = new WorkerSlot(ctx, slotSeq.incrementAndGet());
      slots.add(slot);
      slot.start();
    }
  }

  private void scale() {
    try {
      slots.removeIf(s -> s.state() == WorkerState.STOPPED);
      if (!accepting) {
        return;
      }
      List<WorkerSlot> active =
          slots.stream().filter(s -> s.state() != WorkerState.RETIRING).toList();
      int busy = (int) active.stream().filter(s -> s.state() == WorkerState.BUSY).count();
      long longestIdle = active.stream().mapToLong(WorkerSlot::idleMillis).max().orElse(0);
      var observation =
          new ScalingPolicy.Observation(
              active.size(),
              busy,
              ctx.queue().size() + backlog,
              ctx.stats().avgTaskMillis(),
              ctx.stats().avgStartMillis(),
              longestIdle);
      int step = scaling.decide(observation, ctx.clock().nanoTime());
      if (step > 0) {
        LOG.infof(
            "pool %s: scaling up %d -> %d workers (%d busy, %d queued, ~%.0f ms a task)",
            ctx.pool(),
            active.size(),
            active.size() + step,
            busy,
            observation.queued(),
            observation.avgTaskMillis());
        addSlots(step);
      } else if (step < 0) {
        active.stream()
            .filter(s -> s.state() == WorkerState.IDLE)
            .max(Comparator.comparingLong(WorkerSlot::idleMillis))
            .ifPresent(
                idlest -> {
                  LOG.infof(
                      "pool %s: scaling down %d -> %d workers: retiring %s, idle %d ms",
                      ctx.pool(),
                      active.size(),
                      active.size() - 1,
                      idlest.name(),
                      idlest.idleMillis());
                  idlest.retire();
                });
      }
    } catch (RuntimeException e) {
      LOG.errorf(e, "pool %s: scaler failed", ctx.pool());
    }
  }

  /**
   * Queues work for the next free worker.
   *
   * @return completes with the outcome, on a slot thread; with {@link Outcome.Kind#NOT_RUN} if the
   *     pool stopped before a worker took it, {@link Outcome.Kind#CANCELLED} if it was cancelled
   */
  public CompletableFuture<Outcome> submit(TaskWork work) {
    Job job = new Job(work, new CompletableFuture<>());
    if (cancelled.contains(work.id())) {
      job.outcome().complete(Outcome.cancelled(0, 0));
    } else if (!accepting) {
      job.outcome().complete(Outcome.notRun());
    } else {
      ctx.queue().add(job);
    }
    return job.outcome();
  }

  /**
   * Cancels a task: if queued here it never runs; if running here its worker is killed; if it has
   * not reached this supervisor yet, it is skipped when it does. Never blocks.
   */
  public void cancel(String taskId) {
    cancelled.add(taskId);
    for (Job job : ctx.queue()) {
      if (job.work().id().equals(taskId) && ctx.queue().remove(job)) {
        job.outcome().complete(Outcome.cancelled(0, 0));
        ctx.stats().taskFinished(Outcome.Kind.CANCELLED, 0);
      }
    }
    for (WorkerSlot slot : slots) {
      if (slot.cancel(taskId)) {
        LOG.infof(
            "pool %s: cancelling task %s, running or sent ahead on worker %s",
            ctx.pool(), taskId, slot.name());
      }
    }
  }

  /** Pids of the worker processes running now. */
  public List<Long> pids() {
    return slots.stream().map(WorkerSlot::pid).filter(pid -> pid != 0).toList();
  }

  /** Worker slots by state. */
  public Map<WorkerState, Integer> workersByState() {
    Map<WorkerState, Integer> counts = new EnumMap<>(WorkerState.class);
    for (WorkerState state : WorkerState.values()) {
      counts.put(state, 0);
    }
    slots.forEach(s -> counts.merge(s.state(), 1, Integer::sum));
    return counts;
  }

  /** {@code BACKING_OFF} while restarts are paused for the restart intensity, else {@code RUNNING}. */
  public String state() {
    if (!accepting) {
      return "STOPPING";
    }
    return ctx.restarts().backingOff() ? "BACKING_OFF" : "RUNNING";
  }

  /** Running counters. */
  public PoolStats stats() {
    return ctx.stats();
  }

  /**
   * Workers that would take a job at once: idle ones less the jobs already queued. A feed that must
   * decide when a task really starts (rate limits) hands over no more than this.
   */
  public int freeWorkers() {
    return Math.max(0, slotsIn(IDLE) - ctx.queue().size());
  }

  /**
   * Whether the jobs already queued would keep the workers busy for less than {@code horizon}, by
   * the pool's recent average task time. A feed that holds task records under a lock takes no more
   * while this is false, so a pool of slow tasks holds only what it can start soon. Never blocks.
   */
  public boolean queuedWorkBelow(Duration horizon) {
    int queued = ctx.queue().size();
    if (queued == 0) {
      return true;
    }
    long workers =
        Math.max(
            1,
            slots.stream()
                .filter(s -> s.state() != WorkerState.RETIRING && s.state() != WorkerState.STOPPED)
                .count());
    return queued * ctx.stats().avgTaskMillis() / workers < horizon.toMillis();
  }

  /** Tasks a feed holds back for want of a worker, counted by the scaler as queued. */
  public void reportBacklog(int tasks) {
    backlog = tasks;
  }

  /** Jobs waiting for a worker. */
  public int queued() {
    return ctx.queue().size();
  }

  private int idleOrStartingWorkers() {
    return slotsIn(IDLE_OR_STARTING);
  }

  /** Workers running a job now (the one whose outcome is being handled may still count). */
  public int busyWorkers() {
    return slotsIn(BUSY);
  }

  private int slotsIn(Set<WorkerState> states) {
    int count = 0;
    for (WorkerSlot slot : slots) {
      count += states.contains(slot.state()) ? 1 : 0;
    }
    return count;
  }

  /**
   * Stops the pool: jobs not yet taken complete as {@link Outcome.Kind#NOT_RUN}; running jobs get
   * up to {@code drain} to finish, then their workers are killed (their jobs end as NOT_RUN too);
   * every worker is then told to exit, and killed if it does not.
   */
  public void shutdown(Duration drain) {
    accepting = false;
    scaler.shutdownNow();
    slots.forEach(WorkerSlot::retire);
    drainQueue();
    long deadline = System.nanoTime() + drain.toNanos();
    for (WorkerSlot slot : slots) {
      try {
        slot.awaitStopped(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    drainQueue(); // jobs a crashed worker had been sent ahead came back to the queue
    ctx.background().shutdown();
    LOG.infof("pool %s: stopped %d workers", ctx.pool(), slots.size());
    slots.clear();
  }

  private void drainQueue() {
    Job job;
    while ((job = ctx.queue().poll()) != null) {
      job.outcome().complete(Outcome.notRun());
    }
  }

  /** Stops at once: running jobs end as NOT_RUN (their records go back to the queue), workers are killed. */
  public void terminate() {
    accepting = false;
    slots.forEach(WorkerSlot::terminate);
  }
}
