package dev.kpool.examples.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.MapOptions;
import dev.kpool.client.Pool;
import dev.kpool.client.ResultIterator;
import dev.kpool.client.Task;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** imap over a million items, generated lazily, in memory bounded by its window. */
@ClusterPool("client-million")
class ImapMillionIT {
  private static final Task<Integer, Integer> SQUARE = PoolMethodsIT.SQUARE;
  private static final int ITEMS = 1_000_000;
  private static final int CHUNKSIZE = 10_000;
  private static final int WINDOW = 4;

  private static ClientCluster cluster;

  @Test
  void imapOverAMillionItemsHoldsNoMoreThanItsWindowOfChunks() {
    AtomicLong pulled = new AtomicLong();
    Iterable<Integer> items =
        () ->
            new Iterator<>() {
              private int next;

              @Override
              public boolean hasNext() {
                return next < ITEMS;
              }

              @Override
              public Integer next() {
                pulled.incrementAndGet();
                return next++;
              }
            };
    AtomicLong done = new AtomicLong();
    MapOptions options =
        MapOptions.DEFAULT
            .withChunksize(CHUNKSIZE)
            .withWindow(WINDOW)
            .withItemTimeout(Duration.ofSeconds(60))
            .withProgress((d, t) -> done.set(d));
    long started = System.nanoTime();
    long returned = 0;
    long mostAhead = 0;
    long peakHeap = 0;
    try (Pool pool = cluster.client().build();
        ResultIterator<Integer> it = pool.imap(SQUARE, items, options)) {
      while (it.hasNext()) {
        int x = (int) returned;
        assertEquals(x * x, it.next());
        returned++;
        mostAhead = Math.max(mostAhead, pulled.get() - returned);
        if (returned % CHUNKSIZE == 0) {
          peakHeap = Math.max(peakHeap, heapAfterLastCollection());
        }
      }
      assertTrue(pool.join(Duration.ofSeconds(30)));
      assertEquals(ITEMS, done.get(), "progress saw every item");
      assertTrue(
          pool.stats().peakInFlight() <= WINDOW, "peak in flight " + pool.stats().peakInFlight());
      assertEquals(ITEMS / CHUNKSIZE, pool.stats().submitted());
    }
    assertEquals(ITEMS, returned);
    assertTrue(
        mostAhead <= (long) WINDOW * CHUNKSIZE, "items read but not yet returned: " + mostAhead);
    System.out.printf(
        "ImapMillionIT: %d items in %.1f s, at most %d items ahead, heap after GC at most %d MB%n",
        ITEMS, (System.nanoTime() - started) / 1e9, mostAhead, peakHeap >> 20);
  }

  /** Heap in use right after the last collection: what survives, not the garbage between. */
  private static long heapAfterLastCollection() {
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage afterGc = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
      if (afterGc != null) {
        used += afterGc.getUsed();
      }
    }
    return used;
  }
}
