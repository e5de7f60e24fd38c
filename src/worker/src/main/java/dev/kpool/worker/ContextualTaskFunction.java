package dev.kpool.worker;

/**
 * A task body that also receives the {@link TaskContext} of the task it runs in, to read its id,
 * attempt or deadline, or to submit follow-up tasks.
 *
 * <p>Threading and errors as for {@link TaskFunction}.
 *
 * @param <A> the argument type, converted from the item's JSON
 * @param <R> the result type, converted to JSON
 */
@FunctionalInterface
public interface ContextualTaskFunction<A, R> {
  /**
   * Runs the task on one argument.
   *
   * @throws Exception any failure; reported as for {@link TaskFunction#apply}
   */
  R apply(A arg, TaskContext context) throws Exception;
}
