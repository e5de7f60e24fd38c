package dev.kpool.client;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The handle of a submitted task (or of a whole {@code map}), like Python's {@code AsyncResult}.
 *
 * <p>Thread-safe. The outcome arrives from the pool's reply listener; methods that wait block the
 * calling thread and always take a bound. Python's {@code wait(timeout)} is {@link
 * #await(Duration)} here, because {@code Object.wait} is final in Java.
 *
 * @param <R> result type
 */
public interface AsyncResult<R> {

  /**
   * The id to find this task by: the task record's id for an {@code apply}; for a {@code map}, the
   * map's id (its chunk records carry {@code <id>:<chunk>}). A durable client re-attaches with it.
   */
  String taskId();

  /**
   * Waits up to {@code timeout} for the result.
   *
   * @throws TaskFailedException if the task raised remotely (remote type, message and stack inside;
   *     for a map, the first item to fail, with its input position)
   * @throws TaskTimeoutException if the task ran past its deadline and its worker was killed
   * @throws CancellationException if the pool was terminated before the task finished
   * @throws ResultTimeoutException if no outcome arrived within {@code timeout}; the task may still
   *     finish, and calling again keeps waiting
   * @throws PoolClosedException if the pool was closed before the outcome arrived
   * @throws KpoolException for any other failure, e.g. a result that does not fit the declared type
   */
  R get(Duration timeout);

  /**
   * The OS process id of the worker that produced the result (for a map, of the last chunk to
   * finish), or 0 while no result has arrived.
   */
  long workerPid();

  /** Whether the outcome is known. Never blocks. */
  boolean ready();

  /**
   * Whether the task completed without raising. Never blocks.
   *
   * @throws IllegalStateException if the result is not {@link #ready()}, as in Python
   */
  boolean successful();

  /**
   * Python's {@code wait(timeout)}: waits up to {@code timeout} for the outcome without raising it.
   *
   * @return whether the outcome is known
   */
  boolean await(Duration timeout);

  /**
   * A view of the outcome as a {@link CompletableFuture}, for composition. It completes on the
   * pool's callback executor, so stages added with the non-async methods run there (or on the
   * adding thread, if it is already complete), never on a Kafka I/O thread. Each call returns a new
   * future; completing or cancelling it does not affect the task.
   */
  CompletableFuture<R> toCompletableFuture();
}
