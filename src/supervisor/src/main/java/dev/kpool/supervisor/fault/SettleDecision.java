package dev.kpool.supervisor.fault;

import dev.kpool.protocol.DeadLetterReason;
import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.RetryPolicy;
import dev.kpool.supervisor.dispatch.Outcome;

/**
 * What becomes of a task record once its run has an outcome: a pure function of the outcome, the
 * record's retry policy and the attempt that ran. A retryable failure or a worker crash runs again
 * while the policy allows another attempt, and is dead-lettered past it ({@code too many attempts},
 * {@code crashed}); a non-retryable failure is replied, as is a retryable one under a policy of one
 * attempt, which asked for no retries; a timeout is dead-lettered at once, since its deadline covers
 * every run; an unknown task is dead-lettered; a task the pool did not run is released to run again.
 *
 * @param reason why it is dead-lettered; {@code null} unless {@code action} is {@link
 *     Action#DEAD_LETTER}
 */
record SettleDecision(Action action, DeadLetterReason reason) {

  /** What the settler does with the record. */
  enum Action {
    /** Reply (or hand an OK result to the next pipeline stage) and ACCEPT. */
    REPLY,
    /** Schedule the next attempt after the policy's backoff. */
    RETRY,
    /** Reply with the error, dead-letter for {@link #reason}, and REJECT. */
    DEAD_LETTER,
    /** Give the record back to run again now: the pool did not run it. */
    RELEASE
  }

  private static final SettleDecision REPLY = new SettleDecision(Action.REPLY, null);
  private static final SettleDecision RETRY = new SettleDecision(Action.RETRY, null);
  private static final SettleDecision RELEASE = new SettleDecision(Action.RELEASE, null);

  /**
   * @param error the outcome's error; read only for {@link Outcome.Kind#FAILED}
   * @param attempt the attempt that ran, counted from 1
   */
  static SettleDecision of(Outcome.Kind kind, RemoteError error, RetryPolicy policy, int attempt) {
    return switch (kind) {
      case OK, CANCELLED -> REPLY;
      case NOT_RUN -> RELEASE;
      case CRASHED -> retryOrDeadLetter(policy, attempt, DeadLetterReason.CRASHED);
      case TIMED_OUT -> deadLetter(DeadLetterReason.TIMED_OUT);
      case FAILED -> {
        if (RemoteError.UNKNOWN_TASK.equals(error.type())) {
          yield deadLetter(DeadLetterReason.UNKNOWN_TASK);
        }
        yield error.retryable() && policy.maxAttempts() > 1
            ? retryOrDeadLetter(policy, attempt, DeadLetterReason.TOO_MANY_ATTEMPTS)
            : REPLY;
      }
    };
  }

  private static SettleDecision retryOrDeadLetter(
      RetryPolicy policy, int attempt, DeadLetterReason reason) {
    return policy.allowsAnotherAfter(attempt) ? RETRY : deadLetter(reason);
  }

  private static SettleDecision deadLetter(DeadLetterReason reason) {
    return new SettleDecision(Action.DEAD_LETTER, reason);
  }
}
