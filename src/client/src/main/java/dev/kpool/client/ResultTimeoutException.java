package dev.kpool.client;

/**
 * The caller stopped waiting: no outcome arrived within the timeout given to {@code get}, {@code
 * apply}, {@code map} or an imap {@code next}. The task itself is not affected and may still
 * finish; waiting again may succeed. Compare {@link TaskTimeoutException}, where the task itself
 * ran past its deadline and was killed.
 */
public class ResultTimeoutException extends RetriableKpoolException {
  public ResultTimeoutException(String message) {
    super(message);
  }
}
