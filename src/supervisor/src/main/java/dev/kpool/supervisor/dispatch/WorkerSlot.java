package dev.kpool.supervisor.dispatch;

import dev.kpool.protocol.frame.FrameException;
import dev.kpool.supervisor.process.WorkerHandle;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One place in a pool for a worker process, driven by its own thread: it starts the process, takes
 * jobs from the pool's queue and runs them one at a time, and replaces the process when it dies or
 * is due for recycling. Starts that keep failing back off exponentially, and the pool's restart
 * intensity paces a slot whose workers finish no task. Its parts: {@link TaskWatch} (deadline and
 * heartbeat), {@link SendAhead} (short tasks queued in the worker's stdin) and {@link Recycling}
 * (task count, memory, age; the replacement starts before the old worker leaves).
 *
 * <p>The slot's thread runs the loop and everything its parts do; {@link #retire}, {@link #cancel},
 * {@link #terminate} and the getters may be called from any thread.
 */
final class WorkerSlot implements Runnable {
  private static final Logger LOG = Logger.getLogger(WorkerSlot.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  private static final long POLL_MILLIS = 100;

  /** A worker's exit code after a fatal error it reported in a result (protocol.md, exit codes). */
  private static final int EXIT_FAILED = 1;

  private final PoolContext ctx;
  private final String name;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile WorkerState state = WorkerState.STARTING;
  private volatile long idleSince;
  private volatile StartedWorker worker;
  private volatile Job current;
  private volatile Interruption interruption = Interruption.NONE;
  private final TaskFrames frames;
  private final TaskWatch watch;

  /** Jobs whose frames were sent while {@link #current} runs. */
  private final SendAhead ahead;

  private final Recycling recycling;
  private int tasksRun;
  private int failedStarts;

  /** Whether the current worker has finished a task (ok or failed), as against crashing on it. */
  private boolean served;

  /** Workers of this slot in a row that ended without finishing a task: what paces its restarts. */
  private int barrenWorkers;

  private long lastEndNanos;

  WorkerSlot(PoolContext ctx, int index) {
    this.ctx = ctx;
    this.name = ctx.pool() + "-" + index;
    this.thread = new Thread(this, "kpool-slot-" + name);
    this.thread.setDaemon(true);
    this.idleSince = ctx.clock().nanoTime();
    this.frames = new TaskFrames(ctx);
    this.watch = new TaskWatch(ctx, name, frames, () -> interruption);
    this.ahead =
        new SendAhead(ctx, frames, () -> running && interruption != Interruption.TERMINATED);
    this.recycling = new Recycling(ctx, name);
  }

  void start() {
    thread.start();
  }

  String name() {
    return name;
  }

  WorkerState state() {
    return state;
  }

  /** Milliseconds this slot has been idle, 0 unless it is idle now. */
  long idleMillis() {
    return state == WorkerState.IDLE
        ? TimeUnit.NANOSECONDS.toMillis(ctx.clock().nanoTime() - idleSince)
        : 0;
  }

  /** Pid of the current worker process, 0 if none runs. */
  long pid() {
    StartedWorker w = worker;
    return w != null && w.process().isAlive() ? w.process().pid() : 0;
  }

  /** Finish the current job, if any, then stop the worker and leave. */
  void retire() {
    running = false;
    if (state != WorkerState.STOPPED) {
      state = WorkerState.RETIRING;
    }
  }

  /**
   * If this slot runs task {@code id}, kill its worker; if it sent the task ahead, kill the worker
   * when the task starts. The task ends as cancelled.
   */
  boolean cancel(String id) {
    boolean sentAhead = ahead.cancel(id);
    Job job = current;
    if (job != null && job.work().id().equals(id)) {
      interrupt(Interruption.CANCELLED);
      return true;
    }
    return sentAhead;
  }

  /** Stop now: kill the worker; a running job ends as not run, so its record goes back to the queue. */
  void terminate() {
    retire();
    interrupt(Interruption.TERMINATED);
    thread.interrupt();
  }

  private void interrupt(Interruption why) {
    interruption = why;
    StartedWorker w = worker;
    if (w != null) {
      ctx.background().execute(() -> w.process().kill(ctx.config().killGrace()));
    }
  }

  /** Waits for the slot's thread to end; after {@code timeout}, terminates it. */
  void awaitStopped(Duration timeout) throws InterruptedException {
    thread.join(Math.max(1, timeout.toMillis()));
    if (thread.isAlive()) {
      terminate();
      thread.join(ctx.config().killGrace().toMillis() * 2 + 1_000);
    }
  }

  @Override
  public void run() {
    try {
      while (running) {
        if (worker == null || !worker.process().isAlive()) {
          if (!startWorker()) {
            continue;
          }
        }
        swapIfReplacementReady();
        becomeIdle();
        Job job = ctx.queue().poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        while (job != null) {
          job = runJob(job);
          afterJob();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      state = WorkerState.RETIRING;
      ahead.returnAll();
      recycling.discard();
      stopWorker(worker, "retired");
      worker = null;
      state = WorkerState.STOPPED;
    }
  }

  private void becomeIdle() {
    if (state != WorkerState.IDLE && running) {
      state = WorkerState.IDLE;
      idleSince = ctx.clock().nanoTime();
    }
  }

  private boolean startWorker() throws InterruptedException {
    boolean ended = worker != null; // crashed, killed from outside, or exited while idle
    if (ended) {
      barrenWorkers = served ? 0 : barrenWorkers + 1;
      lastEndNanos = ctx.clock().nanoTime();
    }
    stopWorker(worker, "replaced");
    worker = null;
    // A worker that cannot start at all waits out the pool's whole backoff: restarting it sooner
    // cannot bring a worker back, only spin.
    long wait =
        failedStarts > 0
            ? ctx.restarts().remainingNanos()
            : ctx.restarts().slotWaitNanos(barrenWorkers, lastEndNanos);
    if (wait > 0) {
      if (ended) {
        LOG.infof(
            "pool %s: worker %s restarts in %d ms: the pool is past its restart intensity and the slot's"
                + " last %d worker(s) finished no task",
            ctx.pool(), name, TimeUnit.NANOSECONDS.toMillis(wait), barrenWorkers);
      }
      state = WorkerState.BACKING_OFF;
      TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)));
      return false;
    }
    state = WorkerState.STARTING;
    try {
      adopt(ctx.launcher().launch(ctx, name));
      failedStarts = 0;
      return true;
    } catch (IOException e) {
      failedStarts++;
      LOG.warnf(
          "pool %s: worker %s failed to start (%d in a row): %s",
          ctx.pool(), name, failedStarts, e.getMessage());
      recordRestart(ctx);
      state = WorkerState.BACKING_OFF;
      long millis = Math.min(MAX_BACKOFF.toMillis(), 100L << Math.min(failedStarts - 1, 10));
      TimeUnit.MILLISECONDS.sleep(millis);
      return false;
    }
  }

  private void adopt(StartedWorker started) {
    worker = started;
    tasksRun = 0;
    served = false;
    LOG.infof(
        "pool %s: worker %s started, pid %d, tasks %s",
        ctx.pool(), name, started.process().pid(), started.tasks());
  }

  /** Records a worker restart against the pool's intensity; logs when that trips it. */
  static void recordRestart(PoolContext ctx) {
    if (ctx.restarts().record()) {
      LOG.errorf(
          "pool %s: more than %d worker restarts within %s; backing off for %s (state BACKING_OFF): a slot"
              + " whose workers finish no task waits before each restart",
          ctx.pool(),
          ctx.config().restartIntensity(),
          ctx.config().restartPeriod(),
          ctx.config().restartBackoff());
    }
  }

  /**
   * Runs {@code job} to its outcome, sending the next queued jobs ahead while it runs when the pool
   * allows; returns the first of those, already sent, or null.
   */
  private Job runJob(Job job) throws InterruptedException {
    StartedWorker w = worker;
    TaskWork work = job.work();
    interruption = Interruption.NONE;
    current = job;
    boolean sent =
        ahead.take(job); // after current is set, so that cancel() sees the job in one or the other
    state = WorkerState.BUSY;
    if (ahead.cancelledOnStart(work.id())) {
      interrupt(Interruption.CANCELLED); // cancelled while its frame waited in the worker's stdin
    }
    boolean givenBack = false;
    try {
      if (!sent) {
        Outcome refused = frames.refusal(w, work);
        if (refused != null) {
          job.outcome().complete(refused);
          return null;
        }
        w.process().send(frames.frame(work));
      }
      if (recycling.isLastAllowedTask(tasksRun)) {
        recycling.start(); // ready by the time this task ends, so capacity never dips
      }
      ahead.fill(
          w,
          tasksRun,
          () -> running && !recycling.replacing() && interruption == Interruption.NONE);
      Outcome outcome = watch.await(w.process(), work);
      if (sent && outcome.kind() == Outcome.Kind.CRASHED && exitedAfterFatalResult(w.process())) {
        // protocol.md, exit codes: 1 follows a fatal error reported in a result, and this task has
        // none, so the worker died of the task before it and never started this one.
        LOG.infof(
            "pool %s: task %s was sent ahead to worker %s, which exited before starting it; requeued",
            ctx.pool(), work.id(), name);
        ahead.returnAll();
        ahead.giveBack(job);
        givenBack = true;
        return null;
      }
      ctx.stats().taskFinished(outcome.kind(), outcome.elapsedMillis());
      job.outcome().complete(outcome);
      if (outcome.kind() == Outcome.Kind.OK || outcome.kind() == Outcome.Kind.FAILED) {
        served = true;
        return ahead.next();
      }
      ahead.returnAll(); // the worker is gone, so the jobs sent ahead never started
      return null;
    } catch (FrameException e) {
      job.outcome().complete(TaskFrames.tooLarge(work, e));
      return ahead.next();
    } catch (IOException e) {
      job.outcome().complete(watch.ended(w.process(), e, ctx.clock().nanoTime()));
      ahead.returnAll();
      return null;
    } finally {
      // Interrupted or failed unexpectedly: the lane still waits for an outcome, and the record
      // must go back to the queue. A job given back to the pool's queue is not finished yet.
      if (!givenBack) {
        job.outcome().complete(Outcome.notRun());
      }
      current = null;
      tasksRun++;
    }
  }

  private boolean exitedAfterFatalResult(WorkerHandle w) throws InterruptedException {
    OptionalInt code = w.exitCode(ctx.config().killGrace());
    return code.isPresent() && code.getAsInt() == EXIT_FAILED;
  }

  private void afterJob() throws InterruptedException {
    StartedWorker w = worker;
    if (w == null || !w.process().isAlive()) {
      return;
    }
    if (recycling.taskLimitReached(tasksRun)) {
      // A hard limit, as in Pool: this process takes no more tasks, so wait for the replacement.
      recycling.start();
      recycling.await();
      if (!swapIfReplacementReady()) {
        stopWorker(w, "recycled after " + tasksRun + " tasks");
        worker = null;
      }
      return;
    }
    String due = recycling.softReason(w);
    if (due != null && !recycling.replacing()) {
      LOG.infof(
          "pool %s: worker %s pid %d is due for recycling (%s)",
          ctx.pool(), name, w.process().pid(), due);
      recycling.start();
    }
  }

  /** Swaps in a replacement that finished starting; returns whether it did. */
  private boolean swapIfReplacementReady() {
    StartedWorker fresh = recycling.takeReady();
    if (fresh == null) {
      return false;
    }
    StartedWorker old = worker;
    if (!running) {
      fresh.process().stop(ctx.config().killGrace());
      return false;
    }
    adopt(fresh);
    ctx.stats().workerRecycled();
    if (old != null) {
      ctx.background().execute(() -> stopWorker(old, "recycled"));
    }
    return true;
  }

  private void stopWorker(StartedWorker w, String why) {
    if (w != null) {
      w.process().stop(ctx.config().killGrace());
      LOG.infof(
          "pool %s: worker %s pid %d stopped (%s, %s)",
          ctx.pool(), name, w.process().pid(), why, w.process().exitDescription());
    }
  }
}
