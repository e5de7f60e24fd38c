package dev.kpool.supervisor.process;

import dev.kpool.protocol.frame.FromWorker;
import dev.kpool.protocol.frame.ToWorker;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * A running worker as the supervisor drives it: frames in and out, and its end. {@link
 * WorkerProcess} is the real one; tests script an in-memory one. {@link #send} and {@link #next}
 * are for the one thread that drives the worker; the others may be called from any thread.
 */
public interface WorkerHandle {
  /** The OS process id. */
  long pid();

  boolean isAlive();

  /**
   * Writes one frame to the worker.
   *
   * @throws WorkerExitedException if the worker is gone
   * @throws dev.kpool.protocol.frame.FrameException if the frame does not fit
   */
  void send(ToWorker frame) throws IOException;

  /**
   * Waits up to {@code timeout} for the worker's next frame; blocks.
   *
   * @return the frame, or {@code null} if none came in time
   * @throws WorkerExitedException if the worker's output ended or broke the protocol
   */
  FromWorker next(Duration timeout) throws WorkerExitedException, InterruptedException;

  /** Asks the worker to exit, then kills it after {@code grace}; returns when it is gone. */
  void stop(Duration grace);

  /** SIGTERM now, SIGKILL after {@code grace}; returns when the worker is gone. */
  void kill(Duration grace);

  /** The exit code if the worker has ended or ends within {@code wait}; empty while it runs. */
  OptionalInt exitCode(Duration wait) throws InterruptedException;

  /** How the worker ended, once it has; {@code "running"} before. */
  String exitDescription();
}
