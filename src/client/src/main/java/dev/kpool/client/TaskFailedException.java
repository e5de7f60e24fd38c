package dev.kpool.client;

import dev.kpool.protocol.RemoteError;

/**
 * The task raised where it ran. Carries the remote exception type, message and stack text, so a
 * caller can tell a {@code ValueError} in a Python worker from a {@code NullPointerException} in a
 * Java one without either class being loaded here. Remote classes are never instantiated: the type
 * is only a name.
 */
public class TaskFailedException extends KpoolException {
  private final String taskId;
  private final RemoteError error;
  private final long itemIndex;

  /** A failure of a single task ({@code apply}); {@link #itemIndex()} is -1. */
  public TaskFailedException(String taskId, RemoteError error) {
    this(taskId, error, -1);
  }

  /** A failure of item {@code itemIndex} of a {@code map} or {@code imap} input. */
  public TaskFailedException(String taskId, RemoteError error, long itemIndex) {
    super(
        error.type()
            + ": "
            + error.message()
            + (itemIndex >= 0 ? " (item " + itemIndex + ", task " : " (task ")
            + taskId
            + ")");
    this.taskId = taskId;
    this.error = error;
    this.itemIndex = itemIndex;
  }

  /** The id of the task record that failed (for a map, of the chunk that held the item). */
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

  /**
   * For a {@code map}, {@code starmap} or {@code imap}: the position of the failed item in the
   * input, counted from 0. -1 for a single task.
   */
  public long itemIndex() {
    return itemIndex;
  }

  /** The full remote error as it came over the wire. */
  public RemoteError remoteError() {
    return error;
  }
}
