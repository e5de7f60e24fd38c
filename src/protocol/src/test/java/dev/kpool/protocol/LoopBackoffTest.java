package dev.kpool.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoopBackoffTest {
  @Test
  void doublesWhileFailuresLastUpToTheMaximumAndStartsOverAfterASuccess() {
    LoopBackoff backoff = new LoopBackoff(Duration.ofMillis(100), Duration.ofMillis(500));
    assertEquals(Duration.ofMillis(100), backoff.failed());
    assertEquals(Duration.ofMillis(200), backoff.failed());
    assertEquals(Duration.ofMillis(400), backoff.failed());
    assertEquals(Duration.ofMillis(500), backoff.failed());
    assertEquals(Duration.ofMillis(500), backoff.failed());
    assertEquals(5, backoff.failures());
    backoff.succeeded();
    assertEquals(0, backoff.failures());
    assertEquals(Duration.ofMillis(100), backoff.failed());
  }

  @Test
  void aPauseEndsEarlyOnceTheLoopIsToldToStop() throws Exception {
    long started = System.nanoTime();
    LoopBackoff.sleep(Duration.ofMinutes(1), () -> false);
    assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos());
  }

  @Test
  void refusesAnEmptyOrInvertedRange() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new LoopBackoff(Duration.ZERO, Duration.ofSeconds(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LoopBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }
}
