package dev.kpool.supervisor.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.frame.FrameCodec;
import dev.kpool.protocol.frame.FrameException;
import dev.kpool.protocol.frame.FromWorker;
import dev.kpool.protocol.frame.ToWorker;
import dev.kpool.supervisor.process.WorkerExitedException;
import dev.kpool.supervisor.process.WorkerProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One place in a pool for a worker process, driven by its own thread: it starts the process, says
 * hello, runs the initializer, takes jobs from the pool's queue one at a time, enforces deadlines
 * and heartbeats, and replaces the process when it dies. Restarts back off exponentially while
 * workers keep failing to start.
 */
final class WorkerSlot implements Runnable {
  private static final Logger LOG = Logger.getLogger(WorkerSlot.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private final PoolContext ctx;
  private final String name;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile WorkerProcess worker;
  private Set<String> tasks = Set.of();
  private int failedStarts;
  private int frameSeq;

  WorkerSlot(PoolContext ctx, int index) {
    this.ctx = ctx;
    this.name = ctx.pool() + "-" + index;
    this.thread = new Thread(this, "kpool-slot-" + name);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Pid of the current worker process, 0 if none runs. */
  long pid() {
    WorkerProcess w = worker;
    return w != null && w.isAlive() ? w.pid() : 0;
  }

  /** Stops taking jobs; the current job finishes first. */
  void stopTaking() {
    running = false;
  }

  /** Waits for the slot's thread, then stops its worker. */
  void awaitStopped(Duration timeout) throws InterruptedException {
    thread.join(Math.max(1, timeout.toMillis()));
    if (thread.isAlive()) {
      thread.interrupt();
      thread.join(ctx.config().killGrace().toMillis() * 2 + 1_000);
    }
  }

  @Override
  public void run() {
    try {
      while (running) {
        if (worker == null || !worker.isAlive()) {
          if (!startWorker()) {
            backOff();
            continue;
          }
        }
        Job job = ctx.queue().poll(200, TimeUnit.MILLISECONDS);
        if (job != null) {
          runJob(job);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopWorker();
    }
  }

  private boolean startWorker() throws InterruptedException {
    stopWorker();
    WorkerProcess started;
    try {
      started = WorkerProcess.start(ctx.command(), name, ctx.codec(), ctx.followUps());
    } catch (IOException e) {
      LOG.errorf("pool %s: cannot start worker %s (%s): %s", ctx.pool(), name, ctx.command().argv(), e.getMessage());
      failedStarts++;
      return false;
    }
    try {
      Duration timeout = ctx.config().startTimeout();
      started.send(new ToWorker.Hello(FrameCodec.VERSION, ctx.pool(), name, ctx.codec().maxFrameBytes(),
          ctx.config().heartbeatInterval().toMillis()));
      FromWorker answer = started.next(timeout);
      if (!(answer instanceof FromWorker.Hello hello)) {
        throw new IOException(answer == null ? "no hello within " + timeout : "expected hello, got " + answer);
      }
      if (hello.version() != FrameCodec.VERSION) {
        throw new IOException("worker speaks protocol " + hello.version() + ", supervisor " + FrameCodec.VERSION);
      }
      tasks = Set.copyOf(hello.tasks());
      if (ctx.config().initializer().isPresent()) {
        runInitializer(started, timeout);
      }
      worker = started;
      failedStarts = 0;
      ctx.stats().workerStarted();
      LOG.infof("pool %s: worker %s started, pid %d, %s, tasks %s", ctx.pool(), name, started.pid(), hello.language(), tasks);
      return true;
    } catch (IOException e) {
      failedStarts++;
      LOG.warnf("pool %s: worker %s pid %d failed to start: %s", ctx.pool(), name, started.pid(), e.getMessage());
      started.kill(ctx.config().killGrace());
      return false;
    }
  }

  private void runInitializer(WorkerProcess started, Duration timeout) throws IOException, InterruptedException {
    String initName = ctx.config().initializer().get();
    JsonNode args = ProtocolJson.mapper().readTree(ctx.config().initializerArgs().orElse("null"));
    String id = "init-" + name + "-" + (++frameSeq);
    started.send(new ToWorker.Init(id, initName, args));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      FromWorker frame = started.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (frame == null) {
        throw new IOException("initializer " + initName + " did not finish within " + timeout);
      }
      if (frame instanceof FromWorker.Result result && id.equals(result.id())) {
        if (result.error() != null) {
          throw new IOException("initializer " + initName + " raised " + result.error().type() + ": "
              + result.error().message());
        }
        return;
      }
    }
  }

  private void runJob(Job job) throws InterruptedException {
    TaskWork work = job.work();
    WorkerProcess w = worker;
    if (!tasks.contains(work.task())) {
      job.outcome().complete(new Outcome(Outcome.Kind.FAILED, List.of(),
          RemoteError.of(RemoteError.UNKNOWN_TASK, "pool " + ctx.pool() + " has no task named '" + work.task()
              + "' (its workers registered " + tasks + ")"), w.pid(), 0));
      return;
    }
    long start = System.nanoTime();
    long deadlineMillis = work.deadline() > 0 ? work.deadline()
        : System.currentTimeMillis() + ctx.config().taskTimeout().toMillis();
    Duration silence = ctx.config().heartbeatInterval().multipliedBy(3);
    try {
      w.send(new ToWorker.Task(work.id(), work.task(), work.contentType(), work.items(), work.attempt(), deadlineMillis));
      while (true) {
        long left = deadlineMillis - System.currentTimeMillis();
        if (left <= 0) {
          timeOut(job, w, start);
          return;
        }
        FromWorker frame = w.next(Duration.ofMillis(Math.min(left, silence.toMillis())));
        if (frame == null) {
          if (System.currentTimeMillis() >= deadlineMillis) {
            timeOut(job, w, start);
          } else {
            LOG.warnf("pool %s: worker %s pid %d sent no heartbeat for %s on task %s, killing it", ctx.pool(), name, w.pid(), silence, work.id());
            w.kill(ctx.config().killGrace());
            crash(job, w, "worker hung: no heartbeat for " + silence, start);
          }
          return;
        }
        if (frame instanceof FromWorker.Result result && work.id().equals(result.id())) {
          long elapsed = elapsedMillis(start);
          Outcome.Kind kind = result.error() == null ? Outcome.Kind.OK : Outcome.Kind.FAILED;
          job.outcome().complete(new Outcome(kind, result.results(), result.error(), w.pid(), elapsed));
          ctx.stats().taskFinished(kind, elapsed);
          return;
        }
      }
    } catch (FrameException e) {
      job.outcome().complete(new Outcome(Outcome.Kind.FAILED, List.of(),
          RemoteError.of("kpool.TaskTooLarge", "task " + work.id() + " does not fit in a frame: " + e.getMessage()), 0, 0));
    } catch (WorkerExitedException e) {
      crash(job, w, e.getMessage(), start);
    } catch (IOException e) {
      crash(job, w, e.getMessage(), start);
    }
  }

  private void timeOut(Job job, WorkerProcess w, long start) {
    LOG.warnf("pool %s: task %s passed its deadline on worker %s pid %d, killing it", ctx.pool(), job.work().id(), name, w.pid());
    w.kill(ctx.config().killGrace());
    job.outcome().complete(new Outcome(Outcome.Kind.TIMED_OUT, List.of(),
        RemoteError.of(RemoteError.TIMED_OUT, "task ran past its deadline; worker pid " + w.pid() + " was killed"),
        w.pid(), elapsedMillis(start)));
    ctx.stats().taskFinished(Outcome.Kind.TIMED_OUT, elapsedMillis(start));
  }

  private void crash(Job job, WorkerProcess w, String why, long start) {
    if (w.isAlive()) {
      w.kill(ctx.config().killGrace());
    }
    String reason = "worker crashed: " + why;
    LOG.warnf("pool %s: worker %s pid %d ended while running task %s: %s", ctx.pool(), name, w.pid(), job.work().id(), why);
    job.outcome().complete(new Outcome(Outcome.Kind.CRASHED, List.of(),
        new RemoteError(RemoteError.WORKER_CRASHED, reason, "", true, 0), w.pid(), elapsedMillis(start)));
    ctx.stats().taskFinished(Outcome.Kind.CRASHED, elapsedMillis(start));
    ctx.stats().workerCrashed();
  }

  private static long elapsedMillis(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  private void backOff() throws InterruptedException {
    long millis = Math.min(MAX_BACKOFF.toMillis(), 100L << Math.min(failedStarts, 10));
    LOG.infof("pool %s: restarting worker %s in %d ms (%d failed starts)", ctx.pool(), name, millis, failedStarts);
    TimeUnit.MILLISECONDS.sleep(millis);
  }

  private void stopWorker() {
    WorkerProcess w = worker;
    worker = null;
    if (w != null) {
      w.stop(ctx.config().killGrace());
      LOG.infof("pool %s: worker %s pid %d stopped (%s)", ctx.pool(), name, w.pid(), w.exitDescription());
    }
  }
}
