package dev.kpool.client;

/** A failure that may go away if the same call is made again (a full buffer, a broker away). */
public class RetriableKpoolException extends KpoolException {
  public RetriableKpoolException(String message) {
    super(message);
  }

  public RetriableKpoolException(String message, Throwable cause) {
    super(message, cause);
  }
}
