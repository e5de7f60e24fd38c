package dev.kpool.supervisor.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScalingPolicyTest {
  private static final long SECOND = Duration.ofSeconds(1).toNanos();
  private final ScalingPolicy policy =
      new ScalingPolicy(1, 8, Duration.ofSeconds(5), Duration.ofSeconds(30));

  @Test
  void growsWhenEveryWorkerIsBusyAndTheQueueOutlastsAWorkerStart() {
    // 2 busy workers, 100 tasks of 100 ms queued: 5 s to drain against a 1 s start
    int step = policy.decide(new ScalingPolicy.Observation(2, 2, 100, 100, 1000, 0), 10 * SECOND);
    assertEquals(6, step, "up to max, enough to drain in about one start time");
  }

  @Test
  void doesNotGrowForAQueueThatDrainsFasterThanAWorkerStarts() {
    // 200 tasks of 1 ms on 2 workers drain in 100 ms; a new worker takes a second
    assertEquals(
        0, policy.decide(new ScalingPolicy.Observation(2, 2, 200, 1, 1000, 0), 10 * SECOND));
  }

  @Test
  void doesNotGrowWhileSomeWorkerIsIdle() {
    assertEquals(
        0, policy.decide(new ScalingPolicy.Observation(2, 1, 100, 100, 1000, 0), 10 * SECOND));
  }

  @Test
  void takesOneStepPerCooldown() {
    assertEquals(
        6, policy.decide(new ScalingPolicy.Observation(2, 2, 100, 100, 1000, 0), 10 * SECOND));
    assertEquals(
        0, policy.decide(new ScalingPolicy.Observation(2, 2, 100, 100, 1000, 0), 12 * SECOND));
    assertEquals(
        6, policy.decide(new ScalingPolicy.Observation(2, 2, 100, 100, 1000, 0), 16 * SECOND));
  }

  @Test
  void retiresOneWorkerIdleLongerThanTheIdleTimeoutButNeverBelowMin() {
    assertEquals(
        -1, policy.decide(new ScalingPolicy.Observation(3, 0, 0, 10, 1000, 31_000), 10 * SECOND));
    assertEquals(
        0, policy.decide(new ScalingPolicy.Observation(1, 0, 0, 10, 1000, 60_000), 20 * SECOND));
  }

  @Test
  void restoresMinAtOnceWhateverTheCooldown() {
    policy.decide(new ScalingPolicy.Observation(2, 2, 100, 100, 1000, 0), 10 * SECOND);
    var fewer = new ScalingPolicy(3, 8, Duration.ofSeconds(5), Duration.ofSeconds(30));
    assertEquals(2, fewer.decide(new ScalingPolicy.Observation(1, 1, 0, 10, 1000, 0), 10 * SECOND));
  }
}
