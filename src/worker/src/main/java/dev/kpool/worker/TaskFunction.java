package dev.kpool.worker;

/**
 * A task body that needs only its argument.
 *
 * <p>Runs on the worker's single task thread, one item at a time. A thrown exception fails the
 * item: it is reported as retryable unless it is a {@link NonRetryableTaskException}.
 *
 * @param <A> the argument type, converted from the item's JSON
 * @param <R> the result type, converted to JSON
 */
@FunctionalInterface
public interface TaskFunction<A, R> {
  /**
   * Runs the task on one argument.
   *
   * @throws Exception any failure; see the type's javadoc for how it is reported
   */
  R apply(A arg) throws Exception;
}
