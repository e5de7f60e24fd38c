package dev.kpool.supervisor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolConfigValidatorTest {

  @Test
  void acceptsAValidPool() {
    PoolConfigValidator.validate(Map.of("default", new TestPoolConfig(List.of("java"), 1, 2, 3)));
  }

  @Test
  void namesEveryInvalidKey() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PoolConfigValidator.validate(
                    Map.of("default", new TestPoolConfig(List.of(""), 3, 2, 0))));
    assertTrue(e.getMessage().contains("kpool.pools.\"default\".command"), e.getMessage());
    assertTrue(e.getMessage().contains("kpool.pools.\"default\".max-processes"), e.getMessage());
    assertTrue(e.getMessage().contains("kpool.pools.\"default\".max-attempts"), e.getMessage());
  }

  @Test
  void refusesAPoolNameThatCannotBeATopicName() {
    var problems =
        PoolConfigValidator.problems("bad.name", new TestPoolConfig(List.of("java"), 1, 2, 3));
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).contains("bad.name"));
  }
}
