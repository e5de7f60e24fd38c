package dev.kpool.protocol;

import java.util.List;

/**
 * A record on the control topic ({@link Topics#control()}), keyed by pool name. Every supervisor of
 * the pool reads every control record (no consumer group), so a message reaches whichever
 * supervisor holds the task, and a supervisor that takes a cancelled task later still skips it.
 *
 * @param kind what to do
 * @param pool the pool it is for
 * @param taskIds for {@link Kind#CANCEL}: the tasks to cancel
 * @param clientId who asked, for the log
 * @param sentAt epoch milliseconds when it was sent
 */
public record ControlMessage(
    Kind kind, String pool, List<String> taskIds, String clientId, long sentAt) {

  /** What a control message asks of the supervisors. */
  public enum Kind {
    /**
     * Cancel tasks: one not yet started is never run; a running one has its worker process killed.
     * Either way the reply is {@link ReplyStatus#CANCELLED}.
     */
    CANCEL
  }

  public ControlMessage {
    taskIds = taskIds == null ? List.of() : List.copyOf(taskIds);
  }

  /** A cancel request for {@code taskIds} of {@code pool}. */
  public static ControlMessage cancel(String pool, List<String> taskIds, String clientId) {
    return new ControlMessage(Kind.CANCEL, pool, taskIds, clientId, System.currentTimeMillis());
  }
}
