package dev.kpool.client;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The handle of a submitted task (or of a whole {@code map}), like Python's {@code AsyncResult}.
 *
 * <p>Thread-safe. The result arrives from the pool's reply listener; methods that wait block the
 * calling thread and always take a bound.
 *
 * @param <R> result type
 */
public interface AsyncResult<R> {

  /** The id of the task record (for a map, of its first chunk). */
  String taskId();

  /**
   * Waits up to {@code timeout} for the result.
   *
   * @throws TaskFailedException if the task raised remotely (remote type, message and stack inside)
   * @throws TaskTimeoutException if the task passed its deadline, or no result came within {@code
   *     timeout}
   * @throws CancellationException if the task was cancelled
   * @throws KpoolException for any other failure, e.g. the pool was terminated
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
   * Whether the task completed without raising.
   *
   * @throws IllegalStateException if the result is not {@link #ready()}, as in Python
   */
  boolean successful();

  /**
   * Waits up to {@code timeout} for the outcome without raising it.
   *
   * @return whether the outcome is known
   */
  boolean await(Duration timeout);

  /**
   * A view of the outcome as a {@link CompletableFuture}, for composition. Completing or cancelling
   * the returned future does not affect the task.
   */
  CompletableFuture<R> toCompletableFuture();
}
