package dev.kpool.supervisor.dispatch;

import dev.kpool.protocol.frame.FromWorker;
import dev.kpool.protocol.frame.ToWorker;
import dev.kpool.supervisor.process.WorkerExitedException;
import dev.kpool.supervisor.process.WorkerHandle;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A {@link WorkerLauncher} of in-memory workers that act by task name, on a {@link FakeClock}:
 * {@code ok} returns its items, {@code beat} runs forever sending a heartbeat each interval,
 * {@code hang} runs forever in silence, {@code crash} kills the worker. Waiting for a frame that
 * will not come moves the clock instead of sleeping. Thread-safe.
 */
final class ScriptedWorkers implements WorkerLauncher {
  static final Set<String> TASKS = Set.of("ok", "beat", "hang", "crash");

  private final FakeClock clock;
  private final List<Worker> launched = new CopyOnWriteArrayList<>();

  ScriptedWorkers(FakeClock clock) {
    this.clock = clock;
  }

  @Override
  public StartedWorker launch(PoolContext ctx, String slotName) {
    Worker worker = new Worker(launched.size() + 1, ctx.config().heartbeatInterval());
    launched.add(worker);
    return new StartedWorker(worker, TASKS, clock.nanoTime());
  }

  /** Workers launched so far, oldest first. */
  List<Worker> launched() {
    return launched;
  }

  /** One scripted worker; {@code pid} counts launches from 1. */
  final class Worker implements WorkerHandle {
    private final long pid;
    private final Duration heartbeat;
    private final BlockingQueue<FromWorker> out = new LinkedBlockingQueue<>();
    private volatile String running;
    private volatile String runningId;
    private volatile long nextBeatNanos;
    private volatile boolean alive = true;
    private volatile boolean killed;
    private volatile String exit = "running";

    Worker(long pid, Duration heartbeat) {
      this.pid = pid;
      this.heartbeat = heartbeat;
    }

    boolean killed() {
      return killed;
    }

    @Override
    public long pid() {
      return pid;
    }

    @Override
    public boolean isAlive() {
      return alive;
    }

    @Override
    public synchronized void send(ToWorker frame) throws WorkerExitedException {
      if (!alive) {
        throw new WorkerExitedException("worker " + pid + " is gone");
      }
      if (frame instanceof ToWorker.Task task) {
        if (running == null && task.task().equals("ok")) {
          out.add(new FromWorker.Result(task.id(), task.items(), null));
        } else if (running == null) {
          running = task.task();
          runningId = task.id();
          nextBeatNanos = clock.nanoTime() + heartbeat.toNanos();
        }
      }
    }

    @Override
    public FromWorker next(Duration timeout) throws WorkerExitedException {
      FromWorker frame = out.poll();
      if (frame != null) {
        return frame;
      }
      if (!alive) {
        throw new WorkerExitedException(exit);
      }
      String task = running;
      if ("crash".equals(task)) {
        end("exit code 3");
        throw new WorkerExitedException(exit);
      }
      if ("beat".equals(task) && clock.nanoTime() + timeout.toNanos() >= nextBeatNanos) {
        clock.advance(Duration.ofNanos(nextBeatNanos - clock.nanoTime()));
        nextBeatNanos += heartbeat.toNanos();
        return new FromWorker.Heartbeat(runningId);
      }
      clock.advance(timeout); // idle or hung: nothing comes in time
      return null;
    }

    private void end(String how) {
      exit = how;
      alive = false;
    }

    @Override
    public void stop(Duration grace) {
      end("exit code 0");
    }

    @Override
    public void kill(Duration grace) {
      killed = true;
      end("signal 15");
    }

    @Override
    public OptionalInt exitCode(Duration wait) {
      return alive ? OptionalInt.empty() : OptionalInt.of(exit.equals("exit code 3") ? 3 : 143);
    }

    @Override
    public String exitDescription() {
      return exit;
    }
  }
}
