package dev.kpool.client.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Counts outstanding tasks against a bound; submitters wait for room, closers for zero. */
final class InFlight {
  private final int max;
  private int count;
  private int peak;

  InFlight(int max) {
    this.max = max;
  }

  /** Takes one slot, waiting up to {@code timeout}; returns false if none freed up. */
  synchronized boolean acquire(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count >= max) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    take();
    return true;
  }

  /**
   * Takes one slot whatever the bound: for re-attached tasks, which were sent by an earlier run.
   */
  synchronized void add() {
    take();
  }

  private void take() {
    count++;
    peak = Math.max(peak, count);
  }

  synchronized void release() {
    count--;
    notifyAll();
  }

  /** Waits up to {@code timeout} until nothing is outstanding; returns whether that happened. */
  synchronized boolean awaitZero(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  synchronized int count() {
    return count;
  }

  synchronized int peak() {
    return peak;
  }
}
