package dev.kpool.worker;

/**
 * Thrown by a task to say that running it again cannot succeed (invalid input, say): the pool
 * replies with the error at once instead of retrying. The remote error's type is the cause's class
 * name if a cause is given, else this class's name.
 */
public class NonRetryableTaskException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NonRetryableTaskException(String message) {
    super(message);
  }

  public NonRetryableTaskException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Reports {@code cause} with its own type and message, marked non-retryable. */
  public NonRetryableTaskException(Throwable cause) {
    super(cause == null ? null : cause.getMessage(), cause);
  }
}
