package dev.kpool.protocol;

/**
 * A failure raised where the task ran, carried back to the submitter.
 *
 * @param type the remote exception type, e.g. {@code java.lang.ArithmeticException} or {@code
 *     ValueError}; kpool's own failure kinds start with {@code kpool.}
 * @param message the remote message, may be empty
 * @param stack the remote stack trace as text, may be empty
 * @param retryable whether running the task again may succeed
 * @param index for a chunk, the index of the item that failed; 0 otherwise
 */
public record RemoteError(String type, String message, String stack, boolean retryable, int index) {

  /** Type of the error when a worker process died while running the task. */
  public static final String WORKER_CRASHED = "kpool.WorkerCrashed";

  /** Type of the error when no worker of the pool registered the task name. */
  public static final String UNKNOWN_TASK = "kpool.UnknownTask";

  /** Type of the error when a task record could not be read. */
  public static final String MALFORMED = "kpool.MalformedTask";

  /** Type of the error when an argument does not convert to the task's declared type. */
  public static final String BAD_ARGUMENT = "kpool.BadArgument";

  /** Type of the error when a result does not fit in a frame. */
  public static final String RESULT_TOO_LARGE = "kpool.ResultTooLarge";

  /** Type of the error when a task record is over the size limit. */
  public static final String TOO_LARGE = "kpool.TaskTooLarge";

  /** Type of the error when a task ran past its deadline. */
  public static final String TIMED_OUT = "kpool.TimedOut";

  public RemoteError {
    type = type == null ? "unknown" : type;
    message = message == null ? "" : message;
    stack = stack == null ? "" : stack;
  }

  /** A non-retryable error of one of kpool's own kinds, with no remote stack. */
  public static RemoteError of(String type, String message) {
    return new RemoteError(type, message, "", false, 0);
  }

  /** This error re-addressed to item {@code index} of a chunk. */
  public RemoteError atIndex(int index) {
    return new RemoteError(type, message, stack, retryable, index);
  }
}
