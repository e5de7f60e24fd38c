package dev.kpool.client.internal;

import dev.kpool.client.KpoolException;
import dev.kpool.client.Task;
import dev.kpool.protocol.Reply;
import dev.kpool.protocol.ReplyStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The task records of one {@code map}: collects chunk results into input order and completes the
 * handle when the last chunk arrives, or fails it at the first failed item, as Python's {@code
 * MapResult} does.
 */
final class MapCall<R> implements ChunkSink {
  private final Task<?, R> task;
  private final int items;
  private final int chunksize;
  private final FutureResult<List<R>> result;
  private final Progress progress;
  private final AtomicReferenceArray<List<R>> parts;
  private final AtomicInteger remaining;

  MapCall(
      Task<?, R> task, int items, int chunksize, FutureResult<List<R>> result, Progress progress) {
    this.task = task;
    this.items = items;
    this.chunksize = chunksize;
    this.result = result;
    this.progress = progress;
    int chunks = chunks(items, chunksize);
    this.parts = new AtomicReferenceArray<>(chunks);
    this.remaining = new AtomicInteger(chunks);
    if (chunks == 0) {
      result.complete(List.of(), 0);
      progress.total(0);
    }
  }

  /** How many records {@code items} items make at {@code chunksize} per record. */
  static int chunks(int items, int chunksize) {
    return (int) (((long) items + chunksize - 1) / chunksize);
  }

  @Override
  public void chunk(int index, Reply reply) {
    if (result.ready() || index < 0 || index >= parts.length()) {
      return;
    }
    long firstItem = (long) index * chunksize;
    if (reply.status() != ReplyStatus.OK) {
      result.fail(ReplyOutcome.failure(reply, firstItem));
      return;
    }
    List<R> decoded;
    try {
      decoded = ReplyOutcome.results(task, reply);
      int expected = (int) Math.min(chunksize, items - firstItem);
      if (decoded.size() != expected) {
        throw new KpoolException(
            "reply for " + reply.id() + " has " + decoded.size() + " results, not " + expected);
      }
    } catch (KpoolException e) {
      result.fail(e);
      return;
    }
    if (!parts.compareAndSet(index, null, decoded)) {
      return; // the same chunk twice: the first reply counts
    }
    result.workerPid(reply.pid());
    progress.add(decoded.size());
    if (remaining.decrementAndGet() == 0) {
      List<R> all = new ArrayList<>(items);
      for (int i = 0; i < parts.length(); i++) {
        all.addAll(parts.get(i));
      }
      result.complete(all, reply.pid());
    }
  }

  @Override
  public void lost(int index, RuntimeException why) {
    result.fail(why);
  }
}
