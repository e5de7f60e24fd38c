package dev.kpool.conformance.internal;

import dev.kpool.protocol.frame.FromWorker;

/**
 * What the reader of a worker's stdout saw: a frame, the end of the stream, or bytes that broke the
 * framing.
 *
 * @param frame the frame; {@code null} at the end of the stream or when broken
 * @param length the frame's JSON body length in bytes
 * @param nanos {@link System#nanoTime()} when it was read, for timing checks
 * @param broken why the stream is not a frame stream; {@code null} unless broken
 */
record Received(FromWorker frame, int length, long nanos, String broken) {
  static Received end() {
    return new Received(null, 0, System.nanoTime(), null);
  }

  static Received broken(String why) {
    return new Received(null, 0, System.nanoTime(), why);
  }

  boolean isEnd() {
    return frame == null && broken == null;
  }
}
