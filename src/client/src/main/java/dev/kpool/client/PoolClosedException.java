package dev.kpool.client;

/** A submission was made after {@link Pool#close()} or {@link Pool#terminate()}. */
public class PoolClosedException extends KpoolException {
  public PoolClosedException(String message) {
    super(message);
  }
}
