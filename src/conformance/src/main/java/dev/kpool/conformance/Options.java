package dev.kpool.conformance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How a conformance run is done. Start from {@link #defaults()} and change what you need.
 *
 * @param frameTimeout the longest wait for any one frame the worker owes, worker start included (a
 *     JVM worker's first answer is the slow one)
 * @param heartbeatMillis the heartbeat interval offered in {@code hello}; the heartbeat check
 *     sleeps for four of them
 * @param only names of the checks to run; empty means all
 * @param workingDirectory where the worker process starts; {@code null} means the current one
 * @param listener told of each result as soon as its check ends, on the thread that called {@link
 *     ConformanceKit#check}; must not throw
 */
public record Options(
    Duration frameTimeout,
    long heartbeatMillis,
    Set<String> only,
    Path workingDirectory,
    Consumer<CheckResult> listener) {

  /** Default {@link #frameTimeout()}. */
  public static final Duration DEFAULT_FRAME_TIMEOUT = Duration.ofSeconds(10);

  /** Default {@link #heartbeatMillis()}. */
  public static final long DEFAULT_HEARTBEAT_MILLIS = 200;

  /**
   * @throws IllegalArgumentException if a duration is not positive or {@code heartbeatMillis} is
   *     under 10
   */
  public Options {
    Objects.requireNonNull(frameTimeout, "frameTimeout");
    if (frameTimeout.isNegative() || frameTimeout.isZero()) {
      throw new IllegalArgumentException("frameTimeout must be positive: " + frameTimeout);
    }
    if (heartbeatMillis < 10) {
      throw new IllegalArgumentException("heartbeatMillis must be at least 10: " + heartbeatMillis);
    }
    only = only == null ? Set.of() : Set.copyOf(only);
    listener = listener == null ? result -> {} : listener;
  }

  /** Every check, 10 s per frame, 200 ms heartbeats, the current directory, no listener. */
  public static Options defaults() {
    return new Options(DEFAULT_FRAME_TIMEOUT, DEFAULT_HEARTBEAT_MILLIS, Set.of(), null, null);
  }

  public Options withFrameTimeout(Duration value) {
    return new Options(value, heartbeatMillis, only, workingDirectory, listener);
  }

  public Options withHeartbeatMillis(long value) {
    return new Options(frameTimeout, value, only, workingDirectory, listener);
  }

  public Options withOnly(Set<String> value) {
    return new Options(frameTimeout, heartbeatMillis, value, workingDirectory, listener);
  }

  public Options withWorkingDirectory(Path value) {
    return new Options(frameTimeout, heartbeatMillis, only, value, listener);
  }

  public Options withListener(Consumer<CheckResult> value) {
    return new Options(frameTimeout, heartbeatMillis, only, workingDirectory, value);
  }
}
