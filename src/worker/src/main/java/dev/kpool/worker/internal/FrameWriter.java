package dev.kpool.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.frame.FrameCodec;
import dev.kpool.protocol.frame.FrameException;
import dev.kpool.protocol.frame.FromWorker;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one writer of the frame stream. Heartbeats, submits and results come from different threads;
 * a single lock keeps their frames whole and ordered, and tracks which task is running so that no
 * heartbeat or submit for a task is written after its result.
 */
final class FrameWriter {
  private static final ObjectMapper MAPPER = ProtocolJson.mapper();

  private final Object lock = new Object();
  private final OutputStream out;
  private final Consumer<IOException> onBroken;
  private FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_BYTES);
  private String running;
  private boolean closed;

  /** {@code onBroken} is told once when the stream fails; nothing is written after that. */
  FrameWriter(OutputStream out, Consumer<IOException> onBroken) {
    this.out = out;
    this.onBroken = onBroken;
  }

  /** Answers the supervisor's hello and adopts its frame size limit for every later frame. */
  void hello(FrameCodec negotiated, FromWorker.Hello answer) {
    synchronized (lock) {
      codec = negotiated;
      write(answer);
    }
  }

  /**
   * Marks task {@code id} as running: heartbeats and submits for it are written until its result.
   */
  void begin(String id) {
    synchronized (lock) {
      running = id;
    }
  }

  void heartbeat(String id) {
    synchronized (lock) {
      if (id.equals(running)) {
        write(new FromWorker.Heartbeat(id));
      }
    }
  }

  /**
   * Writes a follow-up task of the running task {@code submit.parent()}.
   *
   * @throws IllegalStateException if that task is no longer running
   * @throws IllegalArgumentException if the frame is over the maximum size
   * @throws UncheckedIOException if the stream failed
   */
  void submit(FromWorker.Submit submit) {
    synchronized (lock) {
      if (closed || !submit.parent().equals(running)) {
        throw new IllegalStateException(
            "task " + submit.parent() + " is no longer running; submit from inside the task");
      }
      try {
        codec.write(out, submit);
      } catch (FrameException e) {
        throw new IllegalArgumentException(
            "follow-up task '" + submit.task() + "': " + e.getMessage());
      } catch (IOException e) {
        broken(e);
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Writes the result of the running task, which then no longer runs. A frame over the maximum size
   * is replaced by the longest prefix of results that fits, with a {@code kpool.ResultTooLarge}
   * error at the first item that does not.
   */
  void result(FromWorker.Result result) {
    synchronized (lock) {
      running = null;
      if (closed) {
        return;
      }
      try {
        codec.write(out, result);
      } catch (FrameException tooLarge) {
        writeTruncated(result);
      } catch (IOException e) {
        broken(e);
      }
    }
  }

  /** Writes nothing more. */
  void close() {
    synchronized (lock) {
      closed = true;
      running = null;
    }
  }

  private void write(FromWorker frame) {
    if (closed) {
      return;
    }
    try {
      codec.write(out, frame);
    } catch (IOException e) {
      broken(e);
    }
  }

  private void writeTruncated(FromWorker.Result result) {
    List<JsonNode> results = result.results();
    long[] sizes = new long[results.size()];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = encodedSize(results.get(i)) + 1; // the comma
    }
    long budget = codec.maxFrameBytes() - 1024L; // room for the envelope and the error
    int fits = 0;
    for (long used = 0; fits < sizes.length && used + sizes[fits] <= budget; fits++) {
      used += sizes[fits];
    }
    for (int k = fits; k >= 0; k--) {
      String what =
          k < sizes.length
              ? "the result of item " + k + " is " + (sizes[k] - 1) + " bytes"
              : result.error() == null
                  ? "the results are too large"
                  : "the error of item " + k + " (" + result.error().type() + ") is too large";
      RemoteError error =
          RemoteError.of(
                  RemoteErrors.RESULT_TOO_LARGE,
                  what
                      + "; the frame would exceed the maximum of "
                      + codec.maxFrameBytes()
                      + " bytes")
              .atIndex(k);
      try {
        codec.write(out, new FromWorker.Result(result.id(), results.subList(0, k), error));
        StderrLog.warn("task " + result.id() + ": " + error.message());
        return;
      } catch (FrameException stillTooLarge) {
        // The estimate was off by more than the envelope margin; drop one more item.
      } catch (IOException e) {
        broken(e);
        return;
      }
    }
  }

  private static long encodedSize(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node).length;
    } catch (IOException e) {
      return Long.MAX_VALUE / 2;
    }
  }

  private void broken(IOException e) {
    if (!closed) {
      closed = true;
      onBroken.accept(e);
    }
  }
}
