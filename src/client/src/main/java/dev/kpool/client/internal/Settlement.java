package dev.kpool.client.internal;

import dev.kpool.protocol.Reply;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Settles one task record exactly once, whichever of reply, send failure, close or terminate comes
 * first: frees its in-flight slot and hands the outcome to its call's {@link ChunkSink}.
 */
final class Settlement implements PendingReply {
  private final AtomicBoolean settled = new AtomicBoolean();
  private final InFlight inFlight;
  private final Callbacks callbacks;
  private final AtomicLong settledCount;
  private final ChunkSink sink;
  private final int index;
  private final RoundTrips roundTrips;
  private final long sentNanos = System.nanoTime();

  Settlement(
      InFlight inFlight,
      Callbacks callbacks,
      AtomicLong settledCount,
      ChunkSink sink,
      int index,
      RoundTrips roundTrips) {
    this.roundTrips = roundTrips;
    this.inFlight = inFlight;
    this.callbacks = callbacks;
    this.settledCount = settledCount;
    this.sink = sink;
    this.index = index;
  }

  @Override
  public void complete(Reply reply) {
    if (settled.compareAndSet(false, true)) {
      roundTrips.record(System.nanoTime() - sentNanos);
      release();
      try {
        sink.chunk(index, reply);
      } finally {
        callbacks.done();
      }
    }
  }

  @Override
  public void abandon(RuntimeException why) {
    if (settled.compareAndSet(false, true)) {
      release();
      try {
        sink.lost(index, why);
      } finally {
        callbacks.done();
      }
    }
  }

  /**
   * Frees the slot before the outcome is handed over, so that a caller woken by the outcome finds
   * the room it made; a hold on the callbacks bridges the gap, so that {@code join} does not return
   * between the slot's release and the callbacks the outcome schedules.
   */
  private void release() {
    callbacks.hold();
    settledCount.incrementAndGet();
    inFlight.release();
  }
}
