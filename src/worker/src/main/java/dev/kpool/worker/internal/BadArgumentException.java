package dev.kpool.worker.internal;

/** An item could not be converted to the argument type its task declared. Never retryable. */
final class BadArgumentException extends Exception {
  private static final long serialVersionUID = 1L;

  BadArgumentException(String message) {
    super(message, null, false, false);
  }
}
