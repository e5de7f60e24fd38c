package dev.kpool.worker.internal;

import dev.kpool.protocol.RemoteError;
import dev.kpool.worker.NonRetryableTaskException;
import dev.kpool.worker.RetryableTaskException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collection;

/** How failures inside the worker become {@link RemoteError}s on the wire. */
final class RemoteErrors {
  /** An item could not be converted to the task's declared argument type. */
  static final String BAD_ARGUMENT = "kpool.BadArgument";

  /** A result (or error) did not fit in one frame. */
  static final String RESULT_TOO_LARGE = "kpool.ResultTooLarge";

  private RemoteErrors() {}

  /**
   * The error for a failed item, at index 0. Ordinary exceptions are retryable; the two SDK
   * wrappers set retryability explicitly and report their cause's type.
   */
  static RemoteError from(Throwable failure) {
    if (failure instanceof BadArgumentException) {
      return RemoteError.of(BAD_ARGUMENT, failure.getMessage());
    }
    boolean wrapper =
        failure instanceof RetryableTaskException || failure instanceof NonRetryableTaskException;
    Throwable typed = wrapper && failure.getCause() != null ? failure.getCause() : failure;
    boolean retryable = !(failure instanceof NonRetryableTaskException);
    return new RemoteError(
        typed.getClass().getName(), failure.getMessage(), stackText(failure), retryable, 0);
  }

  static RemoteError unknown(String kind, String name, Collection<String> registered) {
    return RemoteError.of(
        RemoteError.UNKNOWN_TASK,
        "no " + kind + " named '" + name + "' is registered in this worker; it has " + registered);
  }

  private static String stackText(Throwable failure) {
    StringWriter text = new StringWriter();
    failure.printStackTrace(new PrintWriter(text));
    return text.toString();
  }
}
