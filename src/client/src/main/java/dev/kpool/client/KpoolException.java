package dev.kpool.client;

/** Root of every exception the kpool client throws. Unchecked. */
public class KpoolException extends RuntimeException {
  public KpoolException(String message) {
    super(message);
  }

  public KpoolException(String message, Throwable cause) {
    super(message, cause);
  }
}
