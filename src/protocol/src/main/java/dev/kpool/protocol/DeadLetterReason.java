package dev.kpool.protocol;

/**
 * Why a task record was dead-lettered: the value of the {@link HeaderNames#DLQ_REASON} header.
 * The wire names are stable; tools match on them.
 */
public enum DeadLetterReason {
  /** Its worker crashed or hung on every one of its attempts. */
  CRASHED("crashed"),
  /** It ran past its deadline (timeouts are not retried). */
  TIMED_OUT("timed out"),
  /** It failed with a retryable error on every one of its attempts. */
  TOO_MANY_ATTEMPTS("too many attempts"),
  /** The record does not follow the protocol: a header is missing or wrong, or the value does not parse. */
  MALFORMED("malformed"),
  /** No worker of the pool registered its task name. */
  UNKNOWN_TASK("unknown task"),
  /** Its value is over the pool's {@code max-task-bytes}. */
  TOO_LARGE("too large"),
  /** Its outcome could not be written to its reply-to topic. */
  REPLY_FAILED("reply failed"),
  /** The follow-up tasks it submitted could not be enqueued. */
  FOLLOW_UP_FAILED("follow-up failed"),
  /** Its result could not be enqueued as the next stage of its pipeline. */
  STAGE_FAILED("stage failed");

  private final String wireName;

  DeadLetterReason(String wireName) {
    this.wireName = wireName;
  }

  /** The header value, e.g. {@code too many attempts}. */
  public String wireName() {
    return wireName;
  }
}
