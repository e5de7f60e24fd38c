package dev.kpool.conformance.internal;

import dev.kpool.conformance.Options;
import dev.kpool.protocol.frame.FrameCodec;
import dev.kpool.protocol.frame.FromWorker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Starts the worker under test for one check and kills whatever it started when the check ends.
 * {@link #close()} may be called from another thread (the kit's watchdog) to unblock a check.
 */
public final class Workers implements AutoCloseable {
  private final List<String> argv;
  private final Options options;
  private final Path logDirectory;
  private final String check;
  private final List<WorkerUnderTest> started = new CopyOnWriteArrayList<>();

  /** Workers for check {@code check}, logging their stderr to files in {@code logDirectory}. */
  public Workers(List<String> argv, Options options, Path logDirectory, String check) {
    this.argv = List.copyOf(argv);
    this.options = options;
    this.logDirectory = logDirectory;
    this.check = check;
  }

  /** A new worker process that has not been spoken to. */
  WorkerUnderTest start() throws CheckFailed {
    Path log = logDirectory.resolve(check + "-" + started.size() + ".log");
    WorkerUnderTest worker =
        WorkerUnderTest.start(argv, options.workingDirectory(), log, options.frameTimeout());
    started.add(worker);
    return worker;
  }

  /** A new worker process after the hello exchange, with the default heartbeat and frame size. */
  WorkerUnderTest started() throws CheckFailed {
    WorkerUnderTest worker = start();
    FromWorker.Hello hello = worker.hello(heartbeatMillis(), FrameCodec.DEFAULT_MAX_FRAME_BYTES);
    Expect.equal(FrameCodec.VERSION, hello.version(), "hello version");
    return worker;
  }

  long heartbeatMillis() {
    return options.heartbeatMillis();
  }

  Duration frameTimeout() {
    return options.frameTimeout();
  }

  /** The end of the stderr log of the last worker started, or empty if none was. */
  public String logTail() {
    return started.isEmpty() ? "" : started.get(started.size() - 1).logTail(20);
  }

  @Override
  public void close() {
    started.forEach(WorkerUnderTest::close);
  }
}
