package dev.kpool.worker.internal;

import dev.kpool.protocol.frame.FrameCodec;
import dev.kpool.protocol.frame.FrameException;
import dev.kpool.protocol.frame.FromWorker;
import dev.kpool.protocol.frame.ToWorker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * One protocol session over a pair of streams.
 *
 * <p>Three daemon threads: the reader reads frames for the whole session, so that end of input is
 * noticed even while a task runs; the task thread runs init and task frames one at a time; the
 * heartbeat thread writes heartbeats for the running frame. The thread that calls {@link #run()}
 * only waits for the session to end.
 */
public final class Session {
  /** Exit code after a shutdown frame, or at end of input. */
  public static final int EXIT_OK = 0;

  /** Exit code after a fatal error in the worker itself, or when the frame stream failed. */
  public static final int EXIT_FAILED = 1;

  /** Exit code after a malformed or unexpected frame on the input. */
  public static final int EXIT_MALFORMED = 2;

  /** Exit code when the supervisor speaks another protocol version. */
  public static final int EXIT_VERSION_MISMATCH = 3;

  private static final String LANGUAGE = "java";

  private final TaskRegistry registry;
  private final InputStream in;
  private final FrameWriter out;
  private final Runnable atEndOfInput;
  private final CompletableFuture<Integer> ending = new CompletableFuture<>();
  private final ExecutorService taskThread = Executors.newSingleThreadExecutor(daemon("task"));
  private final ScheduledExecutorService heartbeatThread =
      Executors.newSingleThreadScheduledExecutor(daemon("heartbeat"));
  private volatile boolean shuttingDown;

  /**
   * A session that has not started. The caller keeps ownership of the streams.
   *
   * @param atEndOfInput runs on the reader thread when the input ends, before the session ends; in
   *     a worker process it halts the JVM, so that a hung task cannot outlive its supervisor
   */
  public Session(TaskRegistry registry, InputStream in, OutputStream out, Runnable atEndOfInput) {
    this.registry = registry;
    this.in = in;
    this.out = new FrameWriter(out, this::outputFailed);
    this.atEndOfInput = atEndOfInput;
  }

  /**
   * Serves the protocol until the session ends, then stops its threads (a task still running is
   * interrupted and its result discarded).
   *
   * @return the exit code: {@link #EXIT_OK}, {@link #EXIT_FAILED}, {@link #EXIT_MALFORMED} or
   *     {@link #EXIT_VERSION_MISMATCH}
   */
  public int run() {
    Thread reader = daemon("stdin").newThread(this::read);
    reader.start();
    try {
      return ending.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return EXIT_FAILED;
    } catch (ExecutionException e) {
      return EXIT_FAILED;
    } finally {
      out.close();
      taskThread.shutdownNow();
      heartbeatThread.shutdownNow();
    }
  }

  private void read() {
    try {
      ToWorker.Hello hello = handshake();
      if (hello == null) {
        return;
      }
      FrameCodec codec = new FrameCodec(hello.maxFrameBytes());
      var runner = new TaskRunner(registry, out, heartbeatThread, hello, this::end);
      while (!ending.isDone()) {
        ToWorker frame = codec.read(in, ToWorker.class);
        if (frame == null) {
          endOfInput();
          return;
        }
        dispatch(frame, runner);
      }
    } catch (FrameException e) {
      StderrLog.error("malformed frame on stdin, exiting: " + e.getMessage());
      end(EXIT_MALFORMED);
    } catch (IOException e) {
      StderrLog.error("stdin failed (" + e + "), taking it as end of input");
      endOfInput();
    } catch (RuntimeException | Error e) {
      StderrLog.error("worker failed, exiting: " + e);
      end(EXIT_FAILED);
    }
  }

  /** Reads and answers the hello frame; {@code null} if the session ended instead. */
  private ToWorker.Hello handshake() throws IOException {
    ToWorker first = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_BYTES).read(in, ToWorker.class);
    if (first == null) {
      endOfInput();
      return null;
    }
    if (!(first instanceof ToWorker.Hello hello)) {
      throw new FrameException(
          "expected a hello frame first, got " + first.getClass().getSimpleName());
    }
    if (hello.version() != FrameCodec.VERSION) {
      StderrLog.error(
          "the supervisor speaks protocol version "
              + hello.version()
              + ", this worker speaks "
              + FrameCodec.VERSION
              + "; exiting");
      end(EXIT_VERSION_MISMATCH);
      return null;
    }
    FrameCodec negotiated;
    try {
      negotiated = new FrameCodec(hello.maxFrameBytes());
    } catch (IllegalArgumentException e) {
      throw new FrameException("hello: " + e.getMessage());
    }
    List<String> names = List.copyOf(registry.tasks().keySet());
    out.hello(
        negotiated,
        new FromWorker.Hello(FrameCodec.VERSION, ProcessHandle.current().pid(), LANGUAGE, names));
    StderrLog.info(
        "serving pool "
            + hello.pool()
            + " as worker "
            + hello.worker()
            + " (pid "
            + ProcessHandle.current().pid()
            + "), tasks "
            + names);
    return hello;
  }

  private void dispatch(ToWorker frame, TaskRunner runner) throws FrameException {
    if (frame instanceof ToWorker.Hello) {
      throw new FrameException("a second hello frame");
    }
    if (shuttingDown) {
      StderrLog.warn(
          "ignoring a " + frame.getClass().getSimpleName() + " frame received after shutdown");
      return;
    }
    if (frame instanceof ToWorker.Init init) {
      taskThread.execute(() -> runner.init(init));
    } else if (frame instanceof ToWorker.Task task) {
      taskThread.execute(() -> runner.task(task));
    } else if (frame instanceof ToWorker.Shutdown) {
      shuttingDown = true;
      StderrLog.info("shutdown requested; exiting after the current task");
      // The task thread is FIFO: this runs once every frame received before shutdown is answered.
      taskThread.execute(() -> end(EXIT_OK));
    }
  }

  private void endOfInput() {
    StderrLog.info("stdin closed; exiting now");
    System.err.flush();
    atEndOfInput.run();
    end(EXIT_OK);
  }

  private void outputFailed(IOException e) {
    StderrLog.error("stdout failed (" + e + "); exiting");
    end(EXIT_FAILED);
  }

  private void end(int code) {
    ending.complete(code);
  }

  private static ThreadFactory daemon(String role) {
    return runnable -> {
      Thread thread = new Thread(runnable, "kpool-worker-" + role);
      thread.setDaemon(true);
      return thread;
    };
  }
}
