package dev.kpool.supervisor.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** A valid pool, with the defaults of {@link PoolConfig}, whose first fields a test chooses. */
public record TestPoolConfig(
    List<String> command, int minProcesses, int maxProcesses, int maxAttempts)
    implements PoolConfig {
  public Optional<String> workingDirectory() {
    return Optional.empty();
  }

  public Map<String, String> environment() {
    return Map.of();
  }

  public Duration taskTimeout() {
    return Duration.ofMinutes(5);
  }

  public Duration killGrace() {
    return Duration.ofSeconds(5);
  }

  public Duration heartbeatInterval() {
    return Duration.ofSeconds(1);
  }

  public Duration startTimeout() {
    return Duration.ofSeconds(60);
  }

  public int maxFrameBytes() {
    return 1 << 24;
  }

  public int maxTaskBytes() {
    return 1 << 20;
  }

  public Optional<String> initializer() {
    return Optional.empty();
  }

  public Optional<String> initializerArgs() {
    return Optional.empty();
  }

  public OptionalInt partitions() {
    return OptionalInt.empty();
  }

  public OptionalInt consumers() {
    return OptionalInt.empty();
  }

  public int maxPollRecords() {
    return 100;
  }

  public int prefetch() {
    return 1;
  }

  public Duration drainTimeout() {
    return Duration.ofSeconds(30);
  }

  public Duration recordLock() {
    return Duration.ofSeconds(20);
  }

  public OptionalInt maxTasksPerChild() {
    return OptionalInt.empty();
  }

  public Optional<io.quarkus.runtime.configuration.MemorySize> maxMemoryPerChild() {
    return Optional.empty();
  }

  public Optional<Duration> maxAgePerChild() {
    return Optional.empty();
  }

  public int restartIntensity() {
    return 10;
  }

  public Duration restartPeriod() {
    return Duration.ofSeconds(60);
  }

  public Duration restartBackoff() {
    return Duration.ofSeconds(30);
  }

  public Duration retryBackoff() {
    return Duration.ofSeconds(1);
  }

  public Duration retryBackoffMax() {
    return Duration.ofMinutes(1);
  }

  public Duration scaleCooldown() {
    return Duration.ofSeconds(5);
  }

  public Duration idleTimeout() {
    return Duration.ofSeconds(30);
  }

  public OptionalInt keyConcurrency() {
    return OptionalInt.empty();
  }

  public java.util.OptionalDouble keyRate() {
    return java.util.OptionalDouble.empty();
  }
}
