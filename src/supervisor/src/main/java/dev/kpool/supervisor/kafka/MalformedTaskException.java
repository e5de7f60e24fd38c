package dev.kpool.supervisor.kafka;

import dev.kpool.protocol.DeadLetterReason;
import dev.kpool.protocol.RemoteError;

/**
 * A task record that cannot be run as it is: a header is missing or wrong, the value does not
 * parse, or it is over the pool's size limit.
 */
public class MalformedTaskException extends Exception {
  private final String errorType;
  private final DeadLetterReason deadLetterReason;

  /** A record that does not follow the protocol. */
  public MalformedTaskException(String message) {
    this(message, RemoteError.MALFORMED, DeadLetterReason.MALFORMED);
  }

  private MalformedTaskException(
      String message, String errorType, DeadLetterReason deadLetterReason) {
    super(message);
    this.errorType = errorType;
    this.deadLetterReason = deadLetterReason;
  }

  /** A record whose value is larger than the pool accepts. */
  public static MalformedTaskException tooLarge(String message) {
    return new MalformedTaskException(message, RemoteError.TOO_LARGE, DeadLetterReason.TOO_LARGE);
  }

  /** The {@link RemoteError} type the submitter sees. */
  public String errorType() {
    return errorType;
  }

  /** The {@code kpool-dlq-reason} of its dead letter. */
  public DeadLetterReason deadLetterReason() {
    return deadLetterReason;
  }
}
