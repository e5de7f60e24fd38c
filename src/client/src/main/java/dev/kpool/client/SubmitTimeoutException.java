package dev.kpool.client;

/**
 * A submission found {@link Pool.Builder#maxInFlight(int)} tasks outstanding and no room freed up
 * within {@link Pool.Builder#submitTimeout(java.time.Duration)}. Nothing was sent; submitting again
 * later may succeed.
 */
public class SubmitTimeoutException extends RetriableKpoolException {
  public SubmitTimeoutException(String message) {
    super(message);
  }
}
