package dev.kpool.examples.demo;

import java.time.Duration;
import java.util.function.IntSupplier;

/** A one-line progress display on the console, redrawn in place. */
final class Progress {
  private static final double MIN_RATE_SECONDS = 0.2;

  private final String label;
  private final int total;
  private final IntSupplier done;

  Progress(String label, int total, IntSupplier done) {
    this.label = label;
    this.total = total;
    this.done = done;
  }

  /**
   * Redraws every 250 ms until done reaches total or {@code limit} passes, with the rate since
   * {@code start} ({@link System#nanoTime()}), when the work was first submitted.
   */
  void untilDone(long start, Duration limit) {
    long end = System.nanoTime() + limit.toNanos();
    int now;
    while ((now = done.getAsInt()) < total && System.nanoTime() < end) {
      draw(now, start);
      try {
        Thread.sleep(250); // a redraw interval, not a wait for a condition
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    draw(done.getAsInt(), start);
    System.out.println();
  }

  private void draw(int now, long start) {
    int width = 30;
    int filled = total == 0 ? width : (int) ((long) now * width / total);
    double seconds = (System.nanoTime() - start) / 1e9;
    // A rate over the first moments is mostly what was done before the first draw: not shown.
    String rate = seconds < MIN_RATE_SECONDS ? "" : String.format("%.0f/s", now / seconds);
    System.out.printf(
        "\r%-28s [%s%s] %d/%d  %-12s",
        label, "#".repeat(filled), ".".repeat(width - filled), now, total, rate);
    System.out.flush();
  }
}
