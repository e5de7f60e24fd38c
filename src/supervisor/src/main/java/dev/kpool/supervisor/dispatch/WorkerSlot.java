package dev.kpool.supervisor.dispatch;

import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.frame.FrameException;
import dev.kpool.protocol.frame.FromWorker;
import dev.kpool.protocol.frame.ToWorker;
import dev.kpool.supervisor.process.ProcessMemory;
import dev.kpool.supervisor.process.WorkerExitedException;
import dev.kpool.supervisor.process.WorkerHandle;
import java.io.IOException;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One place in a pool for a worker process, driven by its own thread: it starts the process, takes
 * jobs from the pool's queue (running one at a time, sending short ones ahead), enforces deadlines
 * and heartbeats, and replaces the process when it dies or is due for recycling (task count,
 * memory, age). A replacement is started
 * before the old process leaves, so recycling does not cost capacity. Starts that keep failing back
 * off exponentially, and the pool's restart intensity can pause them all.
 */
final class WorkerSlot implements Runnable {
  private static final Logger LOG = Logger.getLogger(WorkerSlot.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  private static final long POLL_MILLIS = 100;
  private static final double PREFETCH_BELOW_MILLIS = 50;
  /** A worker's exit code after a fatal error it reported in a result (protocol.md, exit codes). */
  private static final int EXIT_FAILED = 1;

  /** Why a running job's worker was killed from outside the slot thread. */
  private enum Interruption { NONE, CANCELLED, TERMINATED }

  private final PoolContext ctx;
  private final String name;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile WorkerState state = WorkerState.STARTING;
  private volatile long idleSince;
  private volatile StartedWorker worker;
  private volatile Job current;
  /** Jobs whose frames were sent while {@link #current} runs, in the order the worker runs them. */
  private final Deque<Job> ahead = new ConcurrentLinkedDeque<>();
  private final Set<String> cancelOnStart = ConcurrentHashMap.newKeySet();
  private volatile Interruption interruption = Interruption.NONE;
  private CompletableFuture<StartedWorker> replacement;
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
    return state == WorkerState.IDLE ? TimeUnit.NANOSECONDS.toMillis(ctx.clock().nanoTime() - idleSince) : 0;
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
    boolean sentAhead = ahead.stream().anyMatch(job -> job.work().id().equals(id));
    if (sentAhead) {
      cancelOnStart.add(id); // its frame is in the worker's stdin: kill the worker once it starts it
    }
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
      returnAhead();
      if (replacement != null) {
        replacement.thenAccept(r -> r.process().stop(ctx.config().killGrace()));
      }
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
    long wait = failedStarts > 0 ? ctx.restarts().remainingNanos()
        : ctx.restarts().slotWaitNanos(barrenWorkers, lastEndNanos);
    if (wait > 0) {
      if (ended) {
        LOG.infof("pool %s: worker %s restarts in %d ms: the pool is past its restart intensity and the slot's"
            + " last %d worker(s) finished no task", ctx.pool(), name, TimeUnit.NANOSECONDS.toMillis(wait),
            barrenWorkers);
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
      LOG.warnf("pool %s: worker %s failed to start (%d in a row): %s", ctx.pool(), name, failedStarts, e.getMessage());
      recordRestart();
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
    LOG.infof("pool %s: worker %s started, pid %d, tasks %s", ctx.pool(), name, started.process().pid(),
        started.tasks());
  }

  private void recordRestart() {
    if (ctx.restarts().record()) {
      LOG.errorf("pool %s: more than %d worker restarts within %s; backing off for %s (state BACKING_OFF): a slot"
          + " whose workers finish no task waits before each restart", ctx.pool(), ctx.config().restartIntensity(),
          ctx.config().restartPeriod(), ctx.config().restartBackoff());
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
    boolean sent = ahead.remove(job); // after current is set, so that cancel() sees the job in one or the other
    state = WorkerState.BUSY;
    if (cancelOnStart.remove(work.id())) {
      interrupt(Interruption.CANCELLED); // cancelled while its frame waited in the worker's stdin
    }
    boolean givenBack = false;
    try {
      if (!sent) {
        Outcome refused = refusal(w, work);
        if (refused != null) {
          job.outcome().complete(refused);
          return null;
        }
        w.process().send(taskFrame(work));
      }
      if (isLastAllowedTask()) {
        startReplacement(); // ready by the time this task ends, so capacity never dips
      }
      sendAhead(w);
      Outcome outcome = await(w.process(), work);
      if (sent && outcome.kind() == Outcome.Kind.CRASHED && exitedAfterFatalResult(w.process())) {
        // protocol.md, exit codes: 1 follows a fatal error reported in a result, and this task has
        // none, so the worker died of the task before it and never started this one.
        LOG.infof("pool %s: task %s was sent ahead to worker %s, which exited before starting it; requeued",
            ctx.pool(), work.id(), name);
        returnAhead();
        giveBack(job);
        givenBack = true;
        return null;
      }
      ctx.stats().taskFinished(outcome.kind(), outcome.elapsedMillis());
      job.outcome().complete(outcome);
      if (outcome.kind() == Outcome.Kind.OK || outcome.kind() == Outcome.Kind.FAILED) {
        served = true;
        return ahead.peekFirst();
      }
      returnAhead(); // the worker is gone, so the jobs sent ahead never started
      return null;
    } catch (FrameException e) {
      job.outcome().complete(tooLarge(work, e));
      return ahead.peekFirst();
    } catch (IOException e) {
      job.outcome().complete(ended(w.process(), e, ctx.clock().nanoTime()));
      returnAhead();
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

  /** The outcome of a job this worker must not be sent, or null if it may run it. */
  private Outcome refusal(StartedWorker w, TaskWork work) {
    if (w.tasks().contains(work.task())) {
      return null;
    }
    return new Outcome(Outcome.Kind.FAILED, List.of(),
        RemoteError.of(RemoteError.UNKNOWN_TASK, "pool " + ctx.pool() + " has no task named '" + work.task()
            + "' (its workers registered " + w.tasks() + ")"), w.process().pid(), 0);
  }

  private ToWorker.Task taskFrame(TaskWork work) {
    return new ToWorker.Task(work.id(), work.task(), work.contentType(), work.items(), work.attempt(),
        deadlineFromNow(work));
  }

  /** The task's own deadline, or the pool's task timeout counted from now. */
  private long deadlineFromNow(TaskWork work) {
    return work.deadline() > 0 ? work.deadline() : ctx.clock().epochMillis() + ctx.config().taskTimeout().toMillis();
  }

  /**
   * Pipelining, as Pool's task queue does: the next tasks' frames wait in the worker's stdin, so it
   * starts the next one the moment it writes a result, without a round trip through this thread.
   * Only while no other worker is idle or starting, and only for short tasks: a job sent ahead is
   * bound to this worker, and a long one would wait here while another worker idles (a new pool's
   * average is a guess, so the first check is what keeps its first long tasks apart). Never past
   * the worker's task limit, nor once it is being replaced.
   */
  private void sendAhead(StartedWorker w) throws InterruptedException {
    int limit = ctx.config().prefetch();
    while (ahead.size() < limit && running && replacement == null && interruption == Interruption.NONE
        && ctx.stats().avgTaskMillis() < PREFETCH_BELOW_MILLIS && !taskLimitReachedWithAhead()
        && ctx.idleOrStartingWorkers().getAsInt() == 0) {
      Job next = ctx.queue().poll();
      if (next == null) {
        return;
      }
      Outcome refused = refusal(w, next.work());
      if (refused != null) {
        next.outcome().complete(refused);
        continue;
      }
      try {
        w.process().send(taskFrame(next.work()));
        ahead.addLast(next);
        if (ctx.cancelled().test(next.work().id())) {
          // Cancelled between leaving the queue and joining ahead, where cancel() looked for it in
          // neither: ProcessPool.cancel records the id before it looks, so this check sees it.
          cancelOnStart.add(next.work().id());
        }
      } catch (FrameException e) {
        next.outcome().complete(tooLarge(next.work(), e));
      } catch (IOException e) {
        ctx.queue().offerFirst(next); // the running task's wait sees the worker's end
        return;
      }
    }
  }

  private boolean taskLimitReachedWithAhead() {
    OptionalInt max = ctx.config().maxTasksPerChild();
    return max.isPresent() && tasksRun + 1 + ahead.size() >= max.getAsInt();
  }

  /** Jobs sent ahead to a worker that ended go back to the front of the queue, in order. */
  private void returnAhead() {
    Job job;
    while ((job = ahead.pollLast()) != null) {
      giveBack(job);
    }
  }

  /** A job that never started goes back to the front of the queue, unless the slot is stopping. */
  private void giveBack(Job job) {
    if (cancelOnStart.remove(job.work().id())) {
      job.outcome().complete(Outcome.cancelled(0, 0));
    } else if (running && interruption != Interruption.TERMINATED) {
      ctx.queue().offerFirst(job);
    } else {
      job.outcome().complete(Outcome.notRun());
    }
  }

  private boolean exitedAfterFatalResult(WorkerHandle w) throws InterruptedException {
    OptionalInt code = w.exitCode(ctx.config().killGrace());
    return code.isPresent() && code.getAsInt() == EXIT_FAILED;
  }

  private Outcome await(WorkerHandle w, TaskWork work) throws InterruptedException {
    long start = ctx.clock().nanoTime();
    long deadlineMillis = deadlineFromNow(work); // from the task's start, not from when it was sent ahead
    Duration silence = ctx.config().heartbeatInterval().multipliedBy(3);
    try {
      while (true) {
        long left = deadlineMillis - ctx.clock().epochMillis();
        // Once interrupted, just wait for the killed process's stream to end.
        long wait = interruption != Interruption.NONE ? 50 : Math.max(1, Math.min(left, silence.toMillis()));
        FromWorker frame = w.next(Duration.ofMillis(wait));
        // A result that comes once the task is cancelled is dropped: its worker is being killed.
        if (frame instanceof FromWorker.Result result && work.id().equals(result.id())
            && interruption != Interruption.CANCELLED) {
          Outcome.Kind kind = result.error() == null ? Outcome.Kind.OK : Outcome.Kind.FAILED;
          return new Outcome(kind, result.results(), result.error(), w.pid(), elapsedMillis(start));
        }
        if (frame == null && interruption == Interruption.NONE) {
          if (ctx.clock().epochMillis() >= deadlineMillis) {
            LOG.warnf("pool %s: task %s passed its deadline on worker %s pid %d; killing it", ctx.pool(), work.id(),
                name, w.pid());
            w.kill(ctx.config().killGrace());
            return new Outcome(Outcome.Kind.TIMED_OUT, List.of(),
                RemoteError.of(RemoteError.TIMED_OUT, "task ran past its deadline; worker pid " + w.pid() + " was killed"),
                w.pid(), elapsedMillis(start));
          }
          LOG.warnf("pool %s: worker %s pid %d sent no heartbeat for %s on task %s; killing it", ctx.pool(), name,
              w.pid(), silence, work.id());
          w.kill(ctx.config().killGrace());
          return crashed(w, "worker hung: no heartbeat for " + silence, start);
        }
      }
    } catch (WorkerExitedException e) {
      return ended(w, e, start);
    }
  }

  private Outcome ended(WorkerHandle w, IOException e, long start) {
    return switch (interruption) {
      case CANCELLED -> Outcome.cancelled(w.pid(), elapsedMillis(start));
      case TERMINATED -> Outcome.notRun();
      case NONE -> crashed(w, e.getMessage(), start);
    };
  }

  private static Outcome tooLarge(TaskWork work, FrameException e) {
    return new Outcome(Outcome.Kind.FAILED, List.of(),
        RemoteError.of(RemoteError.TOO_LARGE, "task " + work.id() + " does not fit in a frame: " + e.getMessage()),
        0, 0);
  }

  private Outcome crashed(WorkerHandle w, String why, long start) {
    if (w.isAlive()) {
      w.kill(ctx.config().killGrace());
    }
    LOG.warnf("pool %s: worker %s pid %d ended while running a task: %s", ctx.pool(), name, w.pid(), why);
    ctx.stats().workerCrashed();
    recordRestart();
    return new Outcome(Outcome.Kind.CRASHED, List.of(),
        new RemoteError(RemoteError.WORKER_CRASHED, "worker crashed: " + why, "", true, 0), w.pid(),
        elapsedMillis(start));
  }

  private boolean isLastAllowedTask() {
    return ctx.config().maxTasksPerChild().isPresent() && tasksRun + 1 >= ctx.config().maxTasksPerChild().getAsInt();
  }

  private void afterJob() throws InterruptedException {
    StartedWorker w = worker;
    if (w == null || !w.process().isAlive()) {
      return;
    }
    if (ctx.config().maxTasksPerChild().isPresent() && tasksRun >= ctx.config().maxTasksPerChild().getAsInt()) {
      // A hard limit, as in Pool: this process takes no more tasks, so wait for the replacement.
      startReplacement();
      try {
        replacement.join();
      } catch (RuntimeException e) {
        // the start failure was logged; the normal restart path takes over
      }
      if (!swapIfReplacementReady()) {
        stopWorker(w, "recycled after " + tasksRun + " tasks");
        worker = null;
      }
      return;
    }
    String due = softRecycleReason(w);
    if (due != null && replacement == null) {
      LOG.infof("pool %s: worker %s pid %d is due for recycling (%s)", ctx.pool(), name, w.process().pid(), due);
      startReplacement();
    }
  }

  private String softRecycleReason(StartedWorker w) {
    if (ctx.config().maxAgePerChild().isPresent()
        && ctx.clock().nanoTime() - w.startedAtNanos() > ctx.config().maxAgePerChild().get().toNanos()) {
      return "age over " + ctx.config().maxAgePerChild().get();
    }
    if (ctx.config().maxMemoryPerChild().isPresent()) {
      long limit = ctx.config().maxMemoryPerChild().get().asLongValue();
      OptionalLong rss = ProcessMemory.residentBytes(w.process().pid());
      if (rss.isPresent() && rss.getAsLong() > limit) {
        return "resident memory " + rss.getAsLong() / (1024 * 1024) + " MiB over " + limit / (1024 * 1024) + " MiB";
      }
    }
    return null;
  }

  private void startReplacement() {
    if (replacement == null) {
      replacement = CompletableFuture.supplyAsync(() -> {
        try {
          return ctx.launcher().launch(ctx, name);
        } catch (IOException e) {
          LOG.warnf("pool %s: replacement for worker %s failed to start: %s", ctx.pool(), name, e.getMessage());
          recordRestart();
          throw new IllegalStateException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }, ctx.background());
    }
  }

  /** Swaps in a replacement that finished starting; returns whether it did. */
  private boolean swapIfReplacementReady() {
    if (replacement == null || !replacement.isDone()) {
      return false;
    }
    CompletableFuture<StartedWorker> done = replacement;
    replacement = null;
    if (done.isCompletedExceptionally()) {
      return false;
    }
    StartedWorker old = worker;
    StartedWorker fresh = done.join();
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
      LOG.infof("pool %s: worker %s pid %d stopped (%s, %s)", ctx.pool(), name, w.process().pid(), why,
          w.process().exitDescription());
    }
  }

  private long elapsedMillis(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(ctx.clock().nanoTime() - startNanos);
  }
}
