package dev.kpool.conformance.internal;

import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.frame.FrameCodec;
import dev.kpool.protocol.frame.FromWorker;
import dev.kpool.protocol.frame.ToWorker;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One worker process, seen from the supervisor's side of its pipes: frames are written to its
 * stdin, and a daemon thread reads its stdout into a queue so that every wait has a bound. Its
 * stderr goes to a log file. Not thread-safe: one check drives it.
 */
public final class WorkerUnderTest implements AutoCloseable {
  private static final FrameCodec CODEC = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_BYTES);

  private final Process process;
  private final Path log;
  private final Duration frameTimeout;
  private final OutputStream stdin;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private boolean ended;

  private WorkerUnderTest(Process process, Path log, Duration frameTimeout) {
    this.process = process;
    this.log = log;
    this.frameTimeout = frameTimeout;
    this.stdin = process.getOutputStream();
    Thread reader = new Thread(this::read, "conformance-stdout-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code argv} in {@code directory} (null: the current one), its stderr going to {@code
   * log}.
   *
   * @throws CheckFailed if the process cannot be started
   */
  static WorkerUnderTest start(List<String> argv, Path directory, Path log, Duration frameTimeout)
      throws CheckFailed {
    ProcessBuilder builder = new ProcessBuilder(argv).redirectError(log.toFile());
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    try {
      return new WorkerUnderTest(builder.start(), log, frameTimeout);
    } catch (IOException e) {
      throw new CheckFailed("cannot start the worker " + argv + ": " + e.getMessage());
    }
  }

  long pid() {
    return process.pid();
  }

  Duration frameTimeout() {
    return frameTimeout;
  }

  void send(ToWorker frame) throws CheckFailed {
    try {
      CODEC.write(stdin, frame);
    } catch (IOException e) {
      throw new CheckFailed("cannot write to the worker's stdin (" + e.getMessage() + ")" + exit());
    }
  }

  void sendRaw(byte[] bytes) throws CheckFailed {
    try {
      stdin.write(bytes);
      stdin.flush();
    } catch (IOException e) {
      throw new CheckFailed("cannot write to the worker's stdin (" + e.getMessage() + ")" + exit());
    }
  }

  void closeStdin() {
    try {
      stdin.close();
    } catch (IOException e) {
      // already closed by a worker that exited: the state we wanted
    }
  }

  /** Says hello as a supervisor would and returns the worker's answer, its first frame. */
  FromWorker.Hello hello(long heartbeatMillis, int maxFrameBytes) throws CheckFailed {
    send(
        new ToWorker.Hello(
            FrameCodec.VERSION, "conformance", "w1", maxFrameBytes, heartbeatMillis));
    return next(FromWorker.Hello.class, "the answer to hello");
  }

  /** The next frame, waiting at most the frame timeout. */
  Received nextReceived() throws CheckFailed {
    return nextReceived(System.nanoTime() + frameTimeout.toNanos());
  }

  /** The next frame, waiting until {@code deadlineNanos} ({@link System#nanoTime()} based). */
  Received nextReceived(long deadlineNanos) throws CheckFailed {
    Received next = poll(deadlineNanos);
    if (next == null) {
      throw new CheckFailed("no frame from the worker within " + seconds(frameTimeout) + exit());
    }
    if (next.broken() != null) {
      throw new CheckFailed("the worker broke the frame stream on stdout: " + next.broken());
    }
    if (next.isEnd()) {
      throw new CheckFailed("the worker's stdout ended" + exit());
    }
    return next;
  }

  FromWorker next() throws CheckFailed {
    return nextReceived().frame();
  }

  <T extends FromWorker> T next(Class<T> type, String what) throws CheckFailed {
    FromWorker frame = next();
    Expect.that(type.isInstance(frame), "%s: expected a %s frame, got %s", what, name(type), frame);
    return type.cast(frame);
  }

  /** The result of {@code id}, skipping its heartbeats, within one frame timeout overall. */
  FromWorker.Result result(String id) throws CheckFailed {
    long deadline = System.nanoTime() + frameTimeout.toNanos();
    while (true) {
      FromWorker frame = nextReceived(deadline).frame();
      if (frame instanceof FromWorker.Heartbeat) {
        continue;
      }
      Expect.that(
          frame instanceof FromWorker.Result, "expected the result of %s, got %s", id, frame);
      FromWorker.Result result = (FromWorker.Result) frame;
      Expect.equal(id, result.id(), "result id");
      return result;
    }
  }

  /**
   * Waits for the process to exit.
   *
   * @throws CheckFailed if it is still running after {@code timeout}
   */
  int awaitExit(Duration timeout) throws CheckFailed {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new CheckFailed("the worker was still running " + seconds(timeout) + " later");
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CheckFailed("interrupted");
    }
  }

  /** The frames left on stdout up to its end; call once the process has exited. */
  List<FromWorker> rest() throws CheckFailed {
    List<FromWorker> rest = new ArrayList<>();
    long deadline = System.nanoTime() + frameTimeout.toNanos();
    while (true) {
      Received next = poll(deadline);
      if (next == null) {
        throw new CheckFailed("the worker's stdout did not end within " + seconds(frameTimeout));
      }
      if (next.broken() != null) {
        throw new CheckFailed("the worker broke the frame stream on stdout: " + next.broken());
      }
      if (next.isEnd()) {
        return rest;
      }
      rest.add(next.frame());
    }
  }

  /** The last {@code lines} lines of the worker's stderr. */
  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no stderr log: " + e.getMessage() + ")";
    }
  }

  /** Kills the process if it still runs and waits for it, so that no check leaves one behind. */
  @Override
  public void close() {
    closeStdin();
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      process.getInputStream().close();
    } catch (IOException e) {
      // the reader thread ends either way
    }
  }

  private Received poll(long deadlineNanos) throws CheckFailed {
    if (ended) {
      return Received.end();
    }
    try {
      Received next = received.poll(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
      ended = next != null && (next.isEnd() || next.broken() != null);
      return next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CheckFailed("interrupted");
    }
  }

  private void read() {
    DataInputStream in = new DataInputStream(process.getInputStream());
    try {
      while (true) {
        int first = in.read();
        if (first < 0) {
          received.add(Received.end());
          return;
        }
        byte[] header = {(byte) first, 0, 0, 0};
        in.readFully(header, 1, 3);
        long length = Integer.toUnsignedLong(ByteBuffer.wrap(header).getInt());
        if (length > FrameCodec.DEFAULT_MAX_FRAME_BYTES) {
          received.add(Received.broken(textual(header, length)));
          return;
        }
        byte[] body = new byte[(int) length];
        in.readFully(body);
        Received frame = parse(body);
        received.add(frame);
        if (frame.broken() != null) {
          return;
        }
      }
    } catch (EOFException e) {
      received.add(Received.broken("the stream ended inside a frame"));
    } catch (IOException e) {
      received.add(Received.end()); // a pipe closed by close() ends the stream like EOF
    }
  }

  private static Received parse(byte[] body) {
    try {
      FromWorker frame = ProtocolJson.mapper().readValue(body, FromWorker.class);
      return new Received(frame, body.length, System.nanoTime(), null);
    } catch (IOException e) {
      String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
      return Received.broken("not a valid frame (" + firstLine(e.getMessage()) + "): " + text);
    }
  }

  private static String textual(byte[] header, long length) {
    String text = new String(header, StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", "?");
    return "a frame length of "
        + length
        + " is over 16 MiB; its bytes read '"
        + text
        + "', which is usually text printed to stdout";
  }

  private String exit() {
    try {
      if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
        return "; the worker exited with code " + process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "";
  }

  private static String firstLine(String text) {
    return text == null ? "" : text.lines().findFirst().orElse("");
  }

  private static String name(Class<?> type) {
    return type.getSimpleName().toLowerCase(Locale.ROOT);
  }

  static String seconds(Duration duration) {
    return String.format("%.1f s", duration.toMillis() / 1000.0);
  }
}
