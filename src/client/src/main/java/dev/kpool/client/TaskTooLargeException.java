package dev.kpool.client;

/**
 * A task's encoded argument (or chunk) is over the handle's {@link Pool.Builder#maxTaskBytes(int)};
 * thrown by the submitting call before anything is sent. Not retriable: the same argument is as
 * large next time; send less per task (a smaller chunk size, or a reference to the data).
 */
public class TaskTooLargeException extends KpoolException {
  private final String task;
  private final long size;
  private final long limit;

  public TaskTooLargeException(String task, long size, long limit) {
    super(
        "task "
            + task
            + " is "
            + size
            + " bytes encoded, over the limit of "
            + limit
            + " bytes (maxTaskBytes); nothing was sent");
    this.task = task;
    this.size = size;
    this.limit = limit;
  }

  /** The task's name. */
  public String task() {
    return task;
  }

  /** The encoded size, in bytes. */
  public long size() {
    return size;
  }

  /** The limit it is over, in bytes. */
  public long limit() {
    return limit;
  }
}
