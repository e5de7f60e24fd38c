package dev.kpool.client.internal;

import dev.kpool.client.KpoolException;
import dev.kpool.client.MapOptions;
import dev.kpool.client.ResultIterator;
import dev.kpool.client.ResultTimeoutException;
import dev.kpool.client.Task;
import dev.kpool.protocol.Reply;
import dev.kpool.protocol.ReplyStatus;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * {@code imap} and {@code imapUnordered}: reads the input a chunk at a time, keeps at most {@code
 * window} chunks between submission and consumption, and hands results out in input order or in
 * completion order.
 *
 * <p>The iterating thread owns the input and the submission counters; the reply listener only adds
 * arrived chunks under {@link #lock}, and never waits for the iterating thread.
 */
final class ImapIterator<A, R> implements ResultIterator<R>, ChunkSink {

  /** Sends one chunk of the call; may wait for room and throw as a submission does. */
  interface ChunkSender<A> {
    void send(int index, List<A> items, ChunkSink sink);
  }

  private record Chunk<R>(int index, List<R> results, RuntimeException failure) {}

  private final String id;
  private final Task<?, R> task;
  private final Iterator<? extends A> source;
  private final MapOptions options;
  private final boolean ordered;
  private final ChunkSender<A> sender;
  private final Progress progress;
  private final boolean totalKnown;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrival = lock.newCondition();
  private final Map<Integer, Chunk<R>> arrivedByIndex = new HashMap<>();
  private final ArrayDeque<Chunk<R>> arrivedInOrder = new ArrayDeque<>();
  private boolean dropping;

  private int submitted;
  private int consumed;
  private long pulled;
  private boolean sourceDone;
  private List<A> unsent;
  private Chunk<R> current;
  private int position;
  private boolean finished;

  ImapIterator(
      String id,
      Task<?, R> task,
      Iterator<? extends A> source,
      MapOptions options,
      boolean ordered,
      ChunkSender<A> sender,
      Progress progress,
      boolean totalKnown) {
    this.id = id;
    this.task = task;
    this.source = source;
    this.options = options;
    this.ordered = ordered;
    this.sender = sender;
    this.progress = progress;
    this.totalKnown = totalKnown;
  }

  /** Submits the first window; called once, by the thread that called {@code imap}. */
  ImapIterator<A, R> start() {
    fill();
    return this;
  }

  // ---- reply listener side

  @Override
  public void chunk(int index, Reply reply) {
    Chunk<R> chunk;
    try {
      RuntimeException failure =
          reply.status() == ReplyStatus.OK
              ? null
              : ReplyOutcome.failure(reply, (long) index * options.chunksize());
      chunk = new Chunk<>(index, ReplyOutcome.results(task, reply), failure);
    } catch (KpoolException e) {
      chunk = new Chunk<>(index, List.of(), e);
    }
    if (arrive(chunk)) {
      progress.add(chunk.results().size());
    }
  }

  @Override
  public void lost(int index, RuntimeException why) {
    arrive(new Chunk<>(index, List.of(), why));
  }

  private boolean arrive(Chunk<R> chunk) {
    lock.lock();
    try {
      if (dropping) {
        return false;
      }
      if (ordered) {
        arrivedByIndex.put(chunk.index(), chunk);
      } else {
        arrivedInOrder.add(chunk);
      }
      arrival.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  // ---- iterating thread side

  @Override
  public boolean hasNext() {
    if (finished) {
      return false;
    }
    dropSpentChunk();
    if (current != null) {
      return true;
    }
    fill();
    return submitted > consumed;
  }

  @Override
  public R next() {
    return next(options.itemTimeout());
  }

  @Override
  public R next(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!finished) {
      dropSpentChunk();
      if (current != null) {
        if (position < current.results().size()) {
          return current.results().get(position++);
        }
        RuntimeException failure = current.failure();
        close();
        throw failure;
      }
      fill();
      if (submitted == consumed) {
        close();
        break;
      }
      current = awaitChunk(deadline, timeout);
      position = 0;
    }
    throw new NoSuchElementException("imap " + id + " has no more results");
  }

  /** A chunk whose results are all returned and which did not fail counts as consumed. */
  private void dropSpentChunk() {
    if (current != null && position >= current.results().size() && current.failure() == null) {
      current = null;
      consumed++;
    }
  }

  /** Reads and submits chunks until the window is full or the input ends. */
  private void fill() {
    while (!finished && submitted - consumed < options.window()) {
      if (unsent == null) {
        if (sourceDone || !source.hasNext()) {
          if (!sourceDone && !totalKnown) {
            progress.total(pulled);
          }
          sourceDone = true;
          return;
        }
        List<A> items = new ArrayList<>(options.chunksize());
        while (items.size() < options.chunksize() && source.hasNext()) {
          items.add(source.next());
        }
        pulled += items.size();
        unsent = items;
      }
      sender.send(submitted, unsent, this); // throws, keeping the chunk for the next call, if full
      unsent = null;
      submitted++;
    }
  }

  private Chunk<R> awaitChunk(long deadline, Duration timeout) {
    lock.lock();
    try {
      while (true) {
        Chunk<R> next = ordered ? arrivedByIndex.remove(consumed) : arrivedInOrder.poll();
        if (next != null) {
          return next;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new ResultTimeoutException("no result of imap " + id + " within " + timeout);
        }
        arrival.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KpoolException("interrupted while waiting for imap " + id, e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Stream<R> stream() {
    int characteristics = ordered ? Spliterator.ORDERED : 0;
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, characteristics), false)
        .onClose(this::close);
  }

  @Override
  public void close() {
    finished = true;
    current = null;
    unsent = null;
    lock.lock();
    try {
      dropping = true;
      arrivedByIndex.clear();
      arrivedInOrder.clear();
    } finally {
      lock.unlock();
    }
  }
}
