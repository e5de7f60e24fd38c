package dev.kpool.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy =
      new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(10));

  @Test
  void theFirstRetryWaitsBetweenHalfTheBaseAndTheBase() {
    assertEquals(Duration.ofMillis(500), policy.delayBefore(2, 0.0));
    assertEquals(Duration.ofMillis(750), policy.delayBefore(2, 0.5));
    assertEquals(Duration.ofMillis(1000), policy.delayBefore(2, 1.0));
  }

  @Test
  void eachRetryDoublesTheStepUntilTheCap() {
    assertEquals(Duration.ofMillis(2000), policy.delayBefore(3, 1.0));
    assertEquals(Duration.ofMillis(4000), policy.delayBefore(4, 1.0));
    assertEquals(Duration.ofMillis(8000), policy.delayBefore(5, 1.0));
    assertEquals(Duration.ofMillis(10_000), policy.delayBefore(6, 1.0));
    assertEquals(
        Duration.ofMillis(5_000), policy.delayBefore(1_000, 0.0), "capped, never overflowing");
  }

  @Test
  void allowsRunsUpToMaxAttempts() {
    assertTrue(policy.allowsAnotherAfter(4));
    assertFalse(policy.allowsAnotherAfter(5));
    assertFalse(new RetryPolicy(1, Duration.ZERO, Duration.ZERO).allowsAnotherAfter(1));
  }

  @Test
  void refusesAPolicyThatCannotHold() {
    assertThrows(
        IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetryPolicy(3, Duration.ofSeconds(-1), Duration.ofSeconds(1)));
  }
}
