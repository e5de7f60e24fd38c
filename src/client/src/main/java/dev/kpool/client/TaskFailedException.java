package dev.kpool.client;

import dev.kpool.protocol.RemoteError;

/**
 * The task raised where it ran. Carries the remote exception type, message and stack text, so a
 * caller can tell a {@code ValueError} in a Python worker from a {@code NullPointerException} in a
 * Java one without either class being loaded here.
 */
public class TaskFailedException extends KpoolException {
  private final String taskId;
  private final RemoteError error;

  public TaskFailedException(String taskId, RemoteError error) {
    super(error.type() + ": " + error.message() + " (task " + taskId + ")");
    this.taskId = taskId;
    this.error = error;
  }

  /** The id of the task record that failed. */
  public String taskId() {
    return taskId;
  }

  /** The remote exception type, e.g. {@code java.lang.ArithmeticException}. */
  public String remoteType() {
    return error.type();
  }

  /** The remote exception message. */
  public String remoteMessage() {
    return error.message();
  }

  /** The remote stack trace as text; empty when the failure happened outside the task. */
  public String remoteStack() {
    return error.stack();
  }

  /** Whether the worker said a retry might succeed. */
  public boolean retryable() {
    return error.retryable();
  }

  /** The full remote error, including the failed item's index within a chunk. */
  public RemoteError remoteError() {
    return error;
  }
}
