package dev.kpool.client;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;

/**
 * The results of an {@code imap} or {@code imapUnordered}, pulled lazily: the input is read and
 * submitted only as results are consumed, so that no more than {@link MapOptions#window()} chunks
 * are outstanding at once, however long the input.
 *
 * <p>Not thread-safe: one thread iterates. The input iterator is only ever called on that thread.
 * Results arrive from the pool's reply listener; {@link #next()} and {@link #hasNext()} may send
 * task records (and so wait for room under the pool's in-flight limit).
 *
 * <p>A failed item ends the iteration, as a failed chunk ends Python's chunked {@code imap}: the
 * results before it (in input order for {@code imap}, in completion order for {@code
 * imapUnordered}) are returned first, then {@code next} throws the failure, and after that {@link
 * #hasNext()} is false. Results of chunks still running are then dropped.
 *
 * @param <R> result type
 */
public interface ResultIterator<R> extends Iterator<R>, AutoCloseable {

  /**
   * Whether another result (or the failure that ends the iteration) is to come. Never waits for a
   * result; may read the input and submit.
   *
   * @throws PoolClosedException if the pool was closed while input remains
   * @throws SubmitTimeoutException if no room freed up under the pool's in-flight limit
   */
  @Override
  boolean hasNext();

  /**
   * The next result, waiting up to the call's {@link MapOptions#itemTimeout()}.
   *
   * @throws TaskFailedException if the item raised remotely; {@link
   *     TaskFailedException#itemIndex()} is its input position
   * @throws TaskTimeoutException if its task ran past its deadline
   * @throws CancellationException if the pool was terminated
   * @throws ResultTimeoutException if nothing arrived in time; calling again keeps waiting
   * @throws NoSuchElementException if every result has been returned
   */
  @Override
  R next();

  /**
   * The next result, waiting up to {@code timeout}; otherwise as {@link #next()}.
   *
   * @throws ResultTimeoutException if nothing arrived within {@code timeout}
   */
  R next(Duration timeout);

  /** The remaining results as a sequential stream; closing the stream closes this iterator. */
  Stream<R> stream();

  /**
   * Stops reading the input and drops results still to come. Chunks already submitted run to the
   * end (use {@link Pool#terminate()} to cancel them). Idempotent.
   */
  @Override
  void close();
}
