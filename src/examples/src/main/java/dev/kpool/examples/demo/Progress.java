package dev.kpool.examples.demo;

import java.time.Duration;
import java.util.function.IntSupplier;

/** A one-line progress display on the console, redrawn in place. */
final class Progress {
  private final String label;
  private final int total;
  private final IntSupplier done;

  Progress(String label, int total, IntSupplier done) {
    this.label = label;
    this.total = total;
    this.done = done;
  }

  /** Redraws every 250 ms until done reaches total or {@code limit} passes. */
  void untilDone(Duration limit) {
    long start = System.nanoTime();
    long end = start + limit.toNanos();
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
    double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
    System.out.printf("\r%-28s [%s%s] %d/%d  %.0f/s   ", label, "#".repeat(filled), ".".repeat(width - filled),
        now, total, now / seconds);
    System.out.flush();
  }
}
