package dev.kpool.worker;

/**
 * Thrown by a task to say that running it again may succeed (a timeout talking to a remote service,
 * say). Any ordinary exception is reported as retryable too; this type exists to make the intent
 * explicit and to report a wrapped cause under the cause's own type: the remote error's type is the
 * cause's class name if a cause is given.
 */
public class RetryableTaskException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RetryableTaskException(String message) {
    super(message);
  }

  public RetryableTaskException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Reports {@code cause} with its own type and message, marked retryable. */
  public RetryableTaskException(Throwable cause) {
    super(cause == null ? null : cause.getMessage(), cause);
  }
}
