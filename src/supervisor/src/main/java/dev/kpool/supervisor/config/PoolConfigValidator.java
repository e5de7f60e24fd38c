package dev.kpool.supervisor.config;

import dev.kpool.protocol.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks what the config mapping cannot express; every message names the offending key. */
public final class PoolConfigValidator {
  private PoolConfigValidator() {}

  /**
   * Validates every pool.
   *
   * @throws IllegalArgumentException listing each invalid key
   */
  public static void validate(Map<String, PoolConfig> pools) {
    List<String> problems = new ArrayList<>();
    pools.forEach((name, pool) -> problems.addAll(problems(name, pool)));
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid kpool configuration: " + String.join("; ", problems));
    }
  }

  static List<String> problems(String name, PoolConfig pool) {
    String key = "kpool.pools.\"" + name + "\".";
    List<String> problems = new ArrayList<>();
    try {
      Topics.checkName("pool", name);
    } catch (IllegalArgumentException e) {
      problems.add("kpool.pools: " + e.getMessage());
    }
    if (pool.command().isEmpty() || pool.command().get(0).isBlank()) {
      problems.add(key + "command must name an executable");
    }
    if (pool.minProcesses() < 0) {
      problems.add(key + "min-processes must be >= 0, got " + pool.minProcesses());
    }
    if (pool.maxProcesses() < 1 || pool.maxProcesses() < pool.minProcesses()) {
      problems.add(
          key + "max-processes must be >= 1 and >= min-processes, got " + pool.maxProcesses());
    }
    if (pool.maxAttempts() < 1) {
      problems.add(key + "max-attempts must be >= 1, got " + pool.maxAttempts());
    }
    if (pool.retryBackoff().isNegative()) {
      problems.add(key + "retry-backoff must not be negative, got " + pool.retryBackoff());
    }
    if (pool.retryBackoffMax().compareTo(pool.retryBackoff()) < 0) {
      problems.add(
          key + "retry-backoff-max must be >= retry-backoff, got " + pool.retryBackoffMax());
    }
    if (pool.maxFrameBytes() < 1024) {
      problems.add(key + "max-frame-bytes must be >= 1024, got " + pool.maxFrameBytes());
    }
    if (pool.maxTaskBytes() < 1 || pool.maxTaskBytes() > pool.maxFrameBytes() / 2) {
      problems.add(
          key
              + "max-task-bytes must be between 1 and half of max-frame-bytes, got "
              + pool.maxTaskBytes());
    }
    if (pool.taskPartitions() < 1) {
      problems.add(key + "partitions must be >= 1, got " + pool.taskPartitions());
    }
    if (pool.consumers().isPresent() && pool.consumers().getAsInt() < 1) {
      problems.add(key + "consumers must be >= 1, got " + pool.consumers().getAsInt());
    }
    if (pool.prefetch() < 0) {
      problems.add(key + "prefetch must be >= 0, got " + pool.prefetch());
    }
    if (pool.maxPollRecords() < 1) {
      problems.add(key + "max-poll-records must be >= 1, got " + pool.maxPollRecords());
    }
    if (pool.recordLock().compareTo(Duration.ofSeconds(1)) < 0) {
      problems.add(
          key
              + "record-lock must be at least 1s (a stock broker wants 15s to 60s), got "
              + pool.recordLock());
    }
    if (pool.taskTimeout().isNegative() || pool.taskTimeout().isZero()) {
      problems.add(key + "task-timeout must be positive, got " + pool.taskTimeout());
    }
    if (pool.maxTasksPerChild().isPresent() && pool.maxTasksPerChild().getAsInt() < 1) {
      problems.add(
          key + "max-tasks-per-child must be >= 1, got " + pool.maxTasksPerChild().getAsInt());
    }
    if (pool.keyConcurrency().isPresent() && pool.keyConcurrency().getAsInt() < 1) {
      problems.add(key + "key-concurrency must be >= 1, got " + pool.keyConcurrency().getAsInt());
    }
    if (pool.keyRate().isPresent() && !(pool.keyRate().getAsDouble() > 0)) {
      problems.add(key + "key-rate must be > 0, got " + pool.keyRate().getAsDouble());
    }
    if (pool.restartIntensity() < 1) {
      problems.add(key + "restart-intensity must be >= 1, got " + pool.restartIntensity());
    }
    if (pool.initializerArgs().isPresent() && pool.initializer().isEmpty()) {
      problems.add(key + "initializer-args is set but initializer is not");
    }
    return problems;
  }
}
