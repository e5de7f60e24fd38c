package dev.kpool.client;

/**
 * The task ran past its deadline and the supervisor killed its worker process; or, when thrown by a
 * {@code get} with a timeout, the caller stopped waiting (the task may still finish).
 */
public class TaskTimeoutException extends KpoolException {
  public TaskTimeoutException(String message) {
    super(message);
  }
}
