package dev.kpool.supervisor.history;

import java.time.Duration;

/**
 * When a failed snapshot write deserves a WARN: the first failure after a success (or at start),
 * then at most one each {@link #INTERVAL} while writes keep failing. A broker outage fails every
 * write of every pool each step; one line a minute says so without burying the rest of the log.
 * Thread-safe: producer callbacks and the writer thread report.
 */
final class SnapshotWriteFailures {
  static final Duration INTERVAL = Duration.ofMinutes(1);

  private long lastWarnMillis;
  private boolean failing;

  /** A write failed at {@code nowMillis}; returns whether to log it as a WARN. */
  synchronized boolean failed(long nowMillis) {
    if (!failing || nowMillis - lastWarnMillis >= INTERVAL.toMillis()) {
      failing = true;
      lastWarnMillis = nowMillis;
      return true;
    }
    return false;
  }

  /** A write succeeded: the next failure is news again. */
  synchronized void succeeded() {
    failing = false;
  }
}
