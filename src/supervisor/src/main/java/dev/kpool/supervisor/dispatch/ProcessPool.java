package dev.kpool.supervisor.dispatch;

import dev.kpool.protocol.frame.FrameCodec;
import dev.kpool.protocol.frame.FromWorker;
import dev.kpool.supervisor.config.PoolConfig;
import dev.kpool.supervisor.process.WorkerCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The worker processes of one pool and the queue that feeds them. Thread-safe: any thread may
 * {@link #submit}; each slot's own thread runs its worker.
 */
public final class ProcessPool {
  private static final Logger LOG = Logger.getLogger(ProcessPool.class);

  private final PoolContext ctx;
  private final List<WorkerSlot> slots = new ArrayList<>();
  private volatile boolean accepting = true;

  /**
   * @param followUps receives tasks that running tasks submit, on a worker's reader thread
   */
  public ProcessPool(String pool, PoolConfig config, Consumer<FromWorker.Submit> followUps) {
    WorkerCommand command = new WorkerCommand(config.command(),
        config.workingDirectory().map(Path::of), config.environment());
    this.ctx = new PoolContext(pool, config, command, new FrameCodec(config.maxFrameBytes()),
        new LinkedBlockingQueue<>(), followUps, new PoolStats());
  }

  /** Starts the pool's worker processes; returns without waiting for them to be ready. */
  public synchronized void start() {
    // Scaling between min and max comes with the autoscaler; until then the pool runs at max.
    for (int i = 1; i <= ctx.config().maxProcesses(); i++) {
      WorkerSlot slot = new WorkerSlot(ctx, i);
      slots.add(slot);
      slot.start();
    }
  }

  /**
   * Queues work for the next free worker.
   *
   * @return completes with the outcome, on a slot thread; with {@link Outcome.Kind#NOT_RUN} if the
   *     pool stopped before a worker took it
   */
  public CompletableFuture<Outcome> submit(TaskWork work) {
    Job job = new Job(work, new CompletableFuture<>());
    if (!accepting) {
      job.outcome().complete(Outcome.notRun());
      return job.outcome();
    }
    ctx.queue().add(job);
    return job.outcome();
  }

  /** Pids of the worker processes running now. */
  public synchronized List<Long> pids() {
    return slots.stream().map(WorkerSlot::pid).filter(pid -> pid != 0).toList();
  }

  /** Running counters. */
  public PoolStats stats() {
    return ctx.stats();
  }

  /** Jobs waiting for a worker. */
  public int queued() {
    return ctx.queue().size();
  }

  /**
   * Stops the pool: jobs not yet taken complete as {@link Outcome.Kind#NOT_RUN}; running jobs get
   * up to {@code drain} to finish; then every worker is told to exit, and killed if it does not.
   */
  public synchronized void shutdown(Duration drain) {
    accepting = false;
    slots.forEach(WorkerSlot::stopTaking);
    Job job;
    while ((job = ctx.queue().poll()) != null) {
      job.outcome().complete(Outcome.notRun());
    }
    for (WorkerSlot slot : slots) {
      try {
        slot.awaitStopped(drain);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    LOG.infof("pool %s: stopped %d workers", ctx.pool(), slots.size());
    slots.clear();
  }
}
