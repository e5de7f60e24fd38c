package dev.kpool.worker.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The process's stdin and stdout, taken over for frames. Task code that prints to {@code
 * System.out} writes to stderr (the worker's log) instead of corrupting the frame stream, and task
 * code that reads {@code System.in} reads nothing instead of stealing frames.
 */
public record StandardStreams(InputStream in, OutputStream out) {
  private static final AtomicBoolean TAKEN = new AtomicBoolean();

  /**
   * Takes {@code System.in} and {@code System.out} as they are now for frames, and points {@code
   * System.out} at {@code System.err} and {@code System.in} at an empty stream.
   *
   * @throws IllegalStateException if called a second time in this JVM (by then {@code System.out}
   *     is stderr, so a second session would write its frames to the log)
   */
  public static StandardStreams take() {
    if (!TAKEN.compareAndSet(false, true)) {
      throw new IllegalStateException("stdin and stdout were already taken for the protocol");
    }
    PrintStream stdout = System.out;
    InputStream stdin = System.in;
    stdout.flush();
    System.setOut(System.err);
    System.setIn(InputStream.nullInputStream());
    return new StandardStreams(stdin, new FailingOutput(stdout));
  }

  /**
   * A PrintStream never throws; it only sets a flag. Frames need to know when the supervisor has
   * gone, so a flush reports the flag as an IOException.
   */
  private static final class FailingOutput extends OutputStream {
    private final PrintStream target;

    FailingOutput(PrintStream target) {
      this.target = target;
    }

    @Override
    public void write(int b) {
      target.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      target.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      if (target.checkError()) { // checkError flushes first
        throw new IOException("stdout is closed");
      }
    }
  }
}
