package dev.kpool.client;

/**
 * The task ran past its deadline ({@link Pool.Builder#taskTimeout(java.time.Duration)} or the
 * pool's own default) and the supervisor killed its worker process. This is the task's final
 * outcome. Compare {@link ResultTimeoutException}, where only the caller's wait ran out.
 */
public class TaskTimeoutException extends KpoolException {
  private final String taskId;

  public TaskTimeoutException(String taskId, String message) {
    super(message);
    this.taskId = taskId;
  }

  /** The id of the task record that timed out. */
  public String taskId() {
    return taskId;
  }
}
