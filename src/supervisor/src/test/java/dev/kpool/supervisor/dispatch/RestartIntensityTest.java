package dev.kpool.supervisor.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RestartIntensityTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final RestartIntensity intensity =
      new RestartIntensity(3, Duration.ofSeconds(10), Duration.ofSeconds(30), now::get);

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void toleratesRestartsUpToTheIntensity() {
    for (int i = 0; i < 3; i++) {
      assertFalse(intensity.record());
    }
    assertFalse(intensity.backingOff());
  }

  @Test
  void backsOffWhenRestartsExceedTheIntensityWithinThePeriod() {
    for (int i = 0; i < 3; i++) {
      intensity.record();
    }
    assertTrue(intensity.record(), "the fourth restart within 10 s trips it");
    assertTrue(intensity.backingOff());
    assertEquals(Duration.ofSeconds(30).toNanos(), intensity.remainingNanos());
    advance(Duration.ofSeconds(30));
    assertFalse(intensity.backingOff(), "restarts resume after the backoff");
    assertTrue(intensity.everBackedOff());
  }

  @Test
  void forgetsRestartsOlderThanThePeriod() {
    for (int i = 0; i < 3; i++) {
      intensity.record();
      advance(Duration.ofSeconds(4));
    }
    assertFalse(intensity.record(), "only two of the four fall within the last 10 s");
  }
}
