package dev.kpool.worker;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.kpool.protocol.frame.FrameCodec;
import dev.kpool.protocol.frame.FromWorker;
import dev.kpool.protocol.frame.ToWorker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The supervisor's end of a worker's stdio: writes frames to its stdin and collects the frames it
 * writes to its stdout on a background thread, so that tests wait with a bound instead of blocking.
 */
final class FramePeer {
  static final long TIMEOUT_SECONDS = 5;
  private static final FromWorker END = new FromWorker.Heartbeat("<end of stream>");

  private final FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_BYTES);
  private final OutputStream toWorker;
  private final BlockingQueue<FromWorker> received = new LinkedBlockingQueue<>();

  FramePeer(OutputStream toWorker, InputStream fromWorker) {
    this.toWorker = toWorker;
    Thread reader =
        new Thread(
            () -> {
              try {
                for (FromWorker frame;
                    (frame = codec.read(fromWorker, FromWorker.class)) != null; ) {
                  received.add(frame);
                }
              } catch (IOException e) {
                // a closed pipe ends the stream like EOF
              }
              received.add(END);
            },
            "test-frame-reader");
    reader.setDaemon(true);
    reader.start();
  }

  void send(ToWorker frame) {
    try {
      codec.write(toWorker, frame);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Says hello and returns the worker's answer. */
  FromWorker.Hello hello(long heartbeatMillis) {
    send(new ToWorker.Hello(FrameCodec.VERSION, "test-pool", "w1", 1 << 20, heartbeatMillis));
    return next(FromWorker.Hello.class);
  }

  /** The next frame of any type, waiting at most {@link #TIMEOUT_SECONDS}. */
  FromWorker next() {
    try {
      FromWorker frame = received.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(frame, "no frame from the worker within " + TIMEOUT_SECONDS + " s");
      if (frame == END) {
        throw new AssertionError("the worker's frame stream ended");
      }
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  <T extends FromWorker> T next(Class<T> type) {
    return assertInstanceOf(type, next());
  }

  /** The next result, skipping heartbeats. */
  FromWorker.Result nextResult() {
    FromWorker frame;
    do {
      frame = next();
    } while (frame instanceof FromWorker.Heartbeat);
    return assertInstanceOf(FromWorker.Result.class, frame);
  }

  /** Bytes that are not a frame, as a stray print would be. */
  void sendRaw(byte[] bytes) throws IOException {
    toWorker.write(bytes);
    toWorker.flush();
  }

  /** The frames not yet taken, up to the end of the stream; call once the stream is closed. */
  List<FromWorker> rest() throws InterruptedException {
    List<FromWorker> rest = new ArrayList<>();
    for (FromWorker frame; (frame = received.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS)) != END; ) {
      assertNotNull(frame, "the frame stream did not end within " + TIMEOUT_SECONDS + " s");
      rest.add(frame);
    }
    return rest;
  }

  void closeInput() throws IOException {
    toWorker.close();
  }
}
