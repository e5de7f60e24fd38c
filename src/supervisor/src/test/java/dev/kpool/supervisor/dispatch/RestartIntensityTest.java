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

  private void trip() {
    for (int i = 0; i < 4; i++) {
      intensity.record();
    }
    assertTrue(intensity.backingOff());
  }

  @Test
  void noSlotWaitsWhileThePoolIsWithinItsIntensity() {
    intensity.record();
    assertEquals(0, intensity.slotWaitNanos(5, now.get()));
  }

  @Test
  void aSlotWhoseLastWorkerFinishedATaskRestartsAtOnceWhileThePoolBacksOff() {
    trip();
    assertEquals(
        0,
        intensity.slotWaitNanos(0, now.get()),
        "a crash storm from outside, or a poison task, must not leave the pool without workers");
  }

  @Test
  void aSlotWhoseWorkersFinishNoTaskWaitsLongerEachTimeUpToThePoolsBackoff() {
    trip();
    long end = now.get();
    assertEquals(Duration.ofMillis(250).toNanos(), intensity.slotWaitNanos(1, end));
    assertEquals(Duration.ofMillis(500).toNanos(), intensity.slotWaitNanos(2, end));
    assertEquals(Duration.ofSeconds(2).toNanos(), intensity.slotWaitNanos(4, end));
    assertEquals(
        Duration.ofSeconds(30).toNanos(),
        intensity.slotWaitNanos(12, end),
        "capped at the backoff");
    advance(Duration.ofMillis(100));
    assertEquals(
        Duration.ofMillis(150).toNanos(),
        intensity.slotWaitNanos(1, end),
        "counted from the worker's end");
    advance(Duration.ofSeconds(30));
    assertEquals(0, intensity.slotWaitNanos(12, end), "the pool's backoff is over");
  }
}
