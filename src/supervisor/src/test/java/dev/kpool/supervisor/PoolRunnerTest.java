package dev.kpool.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kpool.supervisor.config.TestPoolConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolRunnerTest {

  @Test
  void runsOneLaneMoreThanItsMostWorkersSoAnIdleWorkerAlwaysHasALaneFreeToFetch() {
    assertEquals(6, PoolRunner.lanes(new TestPoolConfig(List.of("w"), 1, 5, 3)));
    assertEquals(33, PoolRunner.lanes(new TestPoolConfig(List.of("w"), 1, 32, 3)));
  }

  @Test
  void runsAtLeastFourLanesForSmallPools() {
    assertEquals(4, PoolRunner.lanes(new TestPoolConfig(List.of("w"), 1, 2, 3)));
  }
}
