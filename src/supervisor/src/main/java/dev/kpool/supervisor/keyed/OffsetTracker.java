package dev.kpool.supervisor.keyed;

import java.util.TreeSet;

/**
 * The offsets of one partition that are taken but not finished. Tasks of different keys finish out
 * of order; the partition may only be committed up to its lowest unfinished offset, so that a new
 * owner after a rebalance redelivers exactly what was not finished. Not thread-safe.
 */
public final class OffsetTracker {
  private final TreeSet<Long> open = new TreeSet<>();
  private long next = -1;
  private long committed = -1;

  /** A record at {@code offset} was taken. */
  public void taken(long offset) {
    open.add(offset);
    next = Math.max(next, offset + 1);
  }

  /** The record at {@code offset} has its durable outcome. */
  public void finished(long offset) {
    open.remove(offset);
  }

  /** The offset to commit (the next to read on a new owner), or -1 if nothing new can be committed. */
  public long committable() {
    long upTo = open.isEmpty() ? next : open.first();
    return upTo > committed ? upTo : -1;
  }

  /** Records that {@code offset} was committed. */
  public void committed(long offset) {
    committed = Math.max(committed, offset);
  }

  /** Taken records without an outcome yet. */
  public int open() {
    return open.size();
  }
}
