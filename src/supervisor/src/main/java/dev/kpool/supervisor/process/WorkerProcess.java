package dev.kpool.supervisor.process;

import dev.kpool.protocol.frame.FrameCodec;
import dev.kpool.protocol.frame.FrameException;
import dev.kpool.protocol.frame.FromWorker;
import dev.kpool.protocol.frame.ToWorker;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One running worker OS process and its protocol streams.
 *
 * <p>A reader thread turns the worker's stdout into frames; a second thread copies its stderr to
 * the log. {@link #next(Duration)} is for the one thread that drives the worker; {@code submit}
 * frames go to the callback given at start, on the reader thread. The JDK reaps the process when it
 * exits, so no zombie is left behind.
 */
public final class WorkerProcess implements WorkerHandle {
  private static final Logger LOG = Logger.getLogger(WorkerProcess.class);

  /** Put on the frame queue when stdout ends or breaks; carries why. */
  private record StreamEnd(String reason) {}

  private final Process process;
  private final String name;
  private final FrameCodec codec;
  private final OutputStream stdin;
  private final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
  private volatile String brokenReason;
  // The task the worker runs now, to tag its stderr lines with: set when a task frame is written,
  // cleared when its result is read. A line written just before the result may be read after it
  // and go untagged; a line is never tagged with the wrong task.
  private volatile String runningTask;

  private WorkerProcess(Process process, String name, FrameCodec codec) {
    this.process = process;
    this.name = name;
    this.codec = codec;
    this.stdin = new BufferedOutputStream(process.getOutputStream(), 64 * 1024);
  }

  /**
   * Starts the process and its reader threads. Does not say hello.
   *
   * @param name the supervisor's name for this worker, e.g. {@code default-3}
   * @param onSubmit receives follow-up tasks the worker submits, on the reader thread
   * @throws IOException if the executable cannot be started
   */
  public static WorkerProcess start(
      WorkerCommand command, String name, FrameCodec codec, Consumer<FromWorker.Submit> onSubmit)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command.argv());
    command.directory().ifPresent(dir -> builder.directory(dir.toFile()));
    builder.environment().putAll(command.environment());
    builder.environment().put("KPOOL_WORKER_NAME", name);
    Process process = builder.start();
    WorkerProcess worker = new WorkerProcess(process, name, codec);
    worker.startThreads(onSubmit);
    return worker;
  }

  private void startThreads(Consumer<FromWorker.Submit> onSubmit) {
    Thread reader = new Thread(() -> readFrames(onSubmit), "kpool-" + name + "-stdout");
    reader.setDaemon(true);
    reader.start();
    Thread log = new Thread(this::copyStderr, "kpool-" + name + "-stderr");
    log.setDaemon(true);
    log.start();
  }

  private void readFrames(Consumer<FromWorker.Submit> onSubmit) {
    var in = new BufferedInputStream(process.getInputStream(), 64 * 1024);
    String reason = "stdout closed";
    try {
      FromWorker frame;
      while ((frame = codec.read(in, FromWorker.class)) != null) {
        if (frame instanceof FromWorker.Submit submit) {
          onSubmit.accept(submit);
        } else {
          if (frame instanceof FromWorker.Result) {
            runningTask = null;
          }
          frames.add(frame);
        }
      }
    } catch (FrameException e) {
      reason = "protocol violation: " + e.getMessage();
      brokenReason = reason;
      LOG.warnf("worker %s pid %d broke the protocol, killing it: %s", name, pid(), e.getMessage());
      process.destroyForcibly();
    } catch (IOException e) {
      reason = "stdout failed: " + e.getMessage();
    }
    frames.add(new StreamEnd(reason));
  }

  private void copyStderr() {
    try (var reader =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      MDC.put("worker", name);
      MDC.put("pid", pid());
      while ((line = reader.readLine()) != null) {
        String task = runningTask;
        if (task == null) {
          MDC.remove("task");
          LOG.infof("[%s pid %d] %s", name, pid(), line);
        } else {
          MDC.put("task", task);
          LOG.infof("[%s pid %d task %s] %s", name, pid(), task, line);
        }
      }
    } catch (IOException e) {
      LOG.debugf("stderr of %s ended: %s", name, e.getMessage());
    }
  }

  /** The OS process id. */
  @Override
  public long pid() {
    return process.pid();
  }

  /** The supervisor's name for this worker. */
  public String name() {
    return name;
  }

  @Override
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Writes one frame to the worker's stdin. Only the driving thread calls this.
   *
   * @throws WorkerExitedException if the worker is gone
   */
  @Override
  public void send(ToWorker frame) throws IOException {
    if (frame instanceof ToWorker.Task task) {
      runningTask = task.id();
    }
    try {
      codec.write(stdin, frame);
    } catch (FrameException e) {
      throw e;
    } catch (IOException e) {
      throw new WorkerExitedException("cannot write to worker " + name + ": " + e.getMessage());
    }
  }

  /**
   * Waits up to {@code timeout} for the worker's next frame.
   *
   * @return the frame, or {@code null} if none came in time
   * @throws WorkerExitedException if the worker's stdout ended or broke the protocol
   */
  @Override
  public FromWorker next(Duration timeout) throws WorkerExitedException, InterruptedException {
    Object item = frames.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (item instanceof StreamEnd end) {
      frames.add(end); // later calls see the end too
      throw new WorkerExitedException(exitDescription(end.reason()));
    }
    return (FromWorker) item;
  }

  private String exitDescription(String streamReason) {
    if (brokenReason != null) {
      return brokenReason;
    }
    try {
      if (process.waitFor(2, TimeUnit.SECONDS)) {
        return ExitStatus.describe(process.exitValue());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return streamReason;
  }

  /**
   * Closes stdin, which tells the worker to exit now, and waits up to {@code grace}; then SIGTERM,
   * and after another {@code grace}, SIGKILL. Returns when the process is gone.
   */
  @Override
  public void stop(Duration grace) {
    try {
      stdin.close();
    } catch (IOException e) {
      LOG.debugf("closing stdin of %s: %s", name, e.getMessage());
    }
    try {
      if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kill(grace);
  }

  /** SIGTERM now, SIGKILL after {@code grace}; returns when the process is gone. */
  @Override
  public void kill(Duration grace) {
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The process's exit code if it has ended or ends within {@code wait}; empty while it runs. */
  @Override
  public OptionalInt exitCode(Duration wait) throws InterruptedException {
    return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)
        ? OptionalInt.of(process.exitValue())
        : OptionalInt.empty();
  }

  /** How the process ended, once it has. */
  @Override
  public String exitDescription() {
    return process.isAlive() ? "running" : ExitStatus.describe(process.exitValue());
  }
}
