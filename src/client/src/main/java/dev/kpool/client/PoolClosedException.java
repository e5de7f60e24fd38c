package dev.kpool.client;

/**
 * The pool handle is closed: a submission was made after {@link Pool#close()} or {@link
 * Pool#terminate()}, or {@code close()} gave up waiting for this result. For a durable client (one
 * built with a stable client id) the task itself goes on, and a later run can re-attach to it.
 */
public class PoolClosedException extends KpoolException {
  public PoolClosedException(String message) {
    super(message);
  }
}
