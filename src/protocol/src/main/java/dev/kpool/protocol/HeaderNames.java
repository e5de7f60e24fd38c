package dev.kpool.protocol;

/** Names of the Kafka record headers on task and reply records. Values are UTF-8 strings. */
public final class HeaderNames {
  /** Registered name of the task to run, e.g. {@code square}. Required on task records. */
  public static final String TASK = "kpool-task";

  /** Task id, unique per submission; also the record key unless the caller routes by key. */
  public static final String ID = "kpool-id";

  /** Topic the reply goes to. Missing means fire-and-forget (the outcome is only logged). */
  public static final String REPLY_TO = "kpool-reply-to";

  /** 1 for the first run; retries carry the next attempt number. */
  public static final String ATTEMPT = "kpool-attempt";

  /** Absolute deadline, epoch milliseconds; past it the task is killed and replied as timeout. */
  public static final String DEADLINE = "kpool-deadline";

  /** {@link ContentType} of the value; missing means JSON. */
  public static final String CONTENT_TYPE = "kpool-content-type";

  /** Present on chunked records: the value is a JSON array of this many argument items. */
  public static final String CHUNK = "kpool-chunk";

  /**
   * Present on bundle records: the value holds this many independent tasks, each with its own id
   * (see {@link TaskBundle}). A bundle carries no {@link #ID} and no {@link #CHUNK}; every other
   * header applies to each of its tasks.
   */
  public static final String BUNDLE = "kpool-bundle";

  /** Stable id of the submitting client, for re-attaching and for auditing. */
  public static final String CLIENT = "kpool-client";

  /** {@link ReplyStatus} of a reply record. */
  public static final String STATUS = "kpool-status";

  /** On a follow-up task: the id of the task that submitted it. */
  public static final String PARENT = "kpool-parent";

  /** On a follow-up task: the id of the task its tree started from (the client's submission). */
  public static final String ROOT = "kpool-root";

  /**
   * On a pipeline's task record: the stages still to come, as a JSON array of {@link Stage}s. When
   * the task succeeds, its result becomes the next stage's task record (in that stage's pool, with
   * the same id and reply topic) instead of a reply; the last stage replies.
   */
  public static final String THEN = "kpool-then";

  /**
   * Per-task retry policy: most runs of the task, first run included. Missing means the pool's
   * {@code max-attempts}. See {@link RetryPolicy}.
   */
  public static final String RETRY_MAX_ATTEMPTS = "kpool-retry-max-attempts";

  /** Per-task retry policy: base delay before the second run, milliseconds. */
  public static final String RETRY_BACKOFF = "kpool-retry-backoff-ms";

  /** Per-task retry policy: the most any delay between two runs grows to, milliseconds. */
  public static final String RETRY_BACKOFF_MAX = "kpool-retry-backoff-max-ms";

  /** On a retry record: epoch milliseconds before which the retry relay holds it back. */
  public static final String NOT_BEFORE = "kpool-not-before";

  /** On a replayed dead letter: the dead-letter topic offset it was replayed from. */
  public static final String REPLAY_OF = "kpool-replay-of";

  /**
   * On a discard marker in a dead-letter topic (a record with no value): the offset of the dead
   * letter it discards, always an earlier offset of the same partition.
   */
  public static final String DISCARD_OF = "kpool-discard-of";

  /** On a dead-letter record: why it is there, one of the stable reasons in {@link DeadLetterReason}. */
  public static final String DLQ_REASON = "kpool-dlq-reason";

  /** On a dead-letter record: the last error, as {@code type: message}. */
  public static final String DLQ_ERROR = "kpool-dlq-error";

  /** On a dead-letter record: how many times the task ran or was delivered. */
  public static final String DLQ_ATTEMPTS = "kpool-dlq-attempts";

  /** W3C trace context, passed through untouched. */
  public static final String TRACEPARENT = "traceparent";

  private HeaderNames() {}
}
