package dev.kpool.supervisor.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.kpool.protocol.DeadLetterReason;
import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.RetryPolicy;
import dev.kpool.supervisor.dispatch.Outcome.Kind;
import dev.kpool.supervisor.fault.SettleDecision.Action;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class SettleDecisionTest {
  private static final RemoteError RETRYABLE = new RemoteError("ValueError", "flaky", "", true, 0);
  private static final RemoteError FINAL = new RemoteError("ValueError", "bad input", "", false, 0);
  private static final RemoteError UNKNOWN =
      RemoteError.of(RemoteError.UNKNOWN_TASK, "no such task");
  private static final RemoteError CRASH =
      new RemoteError(RemoteError.WORKER_CRASHED, "signal 9", "", true, 0);
  private static final RemoteError TIMEOUT = RemoteError.of(RemoteError.TIMED_OUT, "past deadline");

  private record Row(
      String behaviour,
      Kind kind,
      RemoteError error,
      int maxAttempts,
      int attempt,
      Action action,
      DeadLetterReason reason) {}

  private static final List<Row> TABLE =
      List.of(
          new Row("anOkResultIsReplied", Kind.OK, null, 3, 1, Action.REPLY, null),
          new Row("aCancelledTaskIsReplied", Kind.CANCELLED, null, 3, 1, Action.REPLY, null),
          new Row(
              "aTaskThePoolDidNotRunIsReleased", Kind.NOT_RUN, null, 3, 3, Action.RELEASE, null),
          new Row(
              "aRetryableFailureRunsAgainWhileAttemptsRemain",
              Kind.FAILED,
              RETRYABLE,
              3,
              2,
              Action.RETRY,
              null),
          new Row(
              "aRetryableFailureOnTheLastAttemptIsDeadLetteredAsTooManyAttempts",
              Kind.FAILED,
              RETRYABLE,
              3,
              3,
              Action.DEAD_LETTER,
              DeadLetterReason.TOO_MANY_ATTEMPTS),
          new Row(
              "aRetryableFailureUnderAOneAttemptPolicyIsRepliedWithoutDeadLetter",
              Kind.FAILED,
              RETRYABLE,
              1,
              1,
              Action.REPLY,
              null),
          new Row(
              "aNonRetryableFailureIsRepliedAtOnce", Kind.FAILED, FINAL, 3, 1, Action.REPLY, null),
          new Row(
              "anUnknownTaskIsDeadLetteredAtOnce",
              Kind.FAILED,
              UNKNOWN,
              3,
              1,
              Action.DEAD_LETTER,
              DeadLetterReason.UNKNOWN_TASK),
          new Row(
              "aCrashRunsAgainWhileAttemptsRemain", Kind.CRASHED, CRASH, 3, 1, Action.RETRY, null),
          new Row(
              "aCrashOnTheLastAttemptIsDeadLetteredAsCrashed",
              Kind.CRASHED,
              CRASH,
              3,
              3,
              Action.DEAD_LETTER,
              DeadLetterReason.CRASHED),
          new Row(
              "aCrashUnderAOneAttemptPolicyIsDeadLetteredAsCrashed",
              Kind.CRASHED,
              CRASH,
              1,
              1,
              Action.DEAD_LETTER,
              DeadLetterReason.CRASHED),
          new Row(
              "aTimeoutIsDeadLetteredEvenWhileAttemptsRemain",
              Kind.TIMED_OUT,
              TIMEOUT,
              3,
              1,
              Action.DEAD_LETTER,
              DeadLetterReason.TIMED_OUT));

  @TestFactory
  Stream<DynamicTest> decidesEachOutcomeByPolicyAndAttempt() {
    return TABLE.stream()
        .map(
            row ->
                dynamicTest(
                    row.behaviour(),
                    () -> {
                      RetryPolicy policy =
                          new RetryPolicy(
                              row.maxAttempts(), Duration.ofSeconds(1), Duration.ofMinutes(1));
                      assertEquals(
                          new SettleDecision(row.action(), row.reason()),
                          SettleDecision.of(row.kind(), row.error(), policy, row.attempt()));
                    }));
  }
}
