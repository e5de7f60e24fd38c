package dev.kpool.worker;

/**
 * A pool initializer, the counterpart of {@code multiprocessing.Pool(initializer=...,
 * initargs=...)}: runs on the task thread when an {@code init} frame names it, normally once per
 * process before any task. A thrown exception is reported in the init result; the supervisor
 * decides whether the process is still usable.
 *
 * @param <A> the argument type, converted from the init frame's JSON {@code args}
 */
@FunctionalInterface
public interface Initializer<A> {
  /**
   * Initializes this process.
   *
   * @throws Exception any failure; reported like a task failure
   */
  void init(A arg) throws Exception;
}
