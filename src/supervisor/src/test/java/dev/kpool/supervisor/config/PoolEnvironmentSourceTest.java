package dev.kpool.supervisor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The supervisor configured by environment variables alone, as in a container. */
class PoolEnvironmentSourceTest {

  private static SupervisorConfig fromEnvironment(Map<String, String> env) {
    return new SmallRyeConfigBuilder()
        .withSources(new EnvConfigSource(env, 300), new PoolEnvironmentSource(env))
        .withConverter(Duration.class, 200, new DurationConverter())
        .withConverter(MemorySize.class, 200, new MemorySizeConverter())
        .withMapping(SupervisorConfig.class)
        .build()
        .getConfigMapping(SupervisorConfig.class);
  }

  @Test
  void aPoolsWorkerEnvironmentKeepsTheCaseOfItsNamesAndEveryOtherKeyReadsAsDocumented() {
    SupervisorConfig config =
        fromEnvironment(
            Map.of(
                "KPOOL_BOOTSTRAP_SERVERS", "kafka:9092",
                "KPOOL_KAFKA__SECURITY_PROTOCOL__", "SASL_SSL",
                "KPOOL_POOLS__DEFAULT__COMMAND", "python3,-u,worker.py",
                "KPOOL_POOLS__DEFAULT__ENVIRONMENT__PYTHONPATH", "/app/src",
                "KPOOL_POOLS__DEFAULT__ENVIRONMENT__Mixed_Case", "kept",
                "KPOOL_POOLS__DEFAULT__MAX_PROCESSES", "8",
                "KPOOL_POOLS__DEFAULT__RECORD_LOCK", "30s",
                "KPOOL_POOLS__IMAGES__COMMAND", "java,-jar,w.jar",
                "KPOOL_POOLS__IMAGES__ENVIRONMENT__JAVA_TOOL_OPTIONS", "-Xmx1g"));

    assertEquals(Optional.of("kafka:9092"), config.bootstrapServers());
    assertEquals(Map.of("security.protocol", "SASL_SSL"), config.kafka());
    PoolConfig pool = config.pools().get("default");
    assertEquals(List.of("python3", "-u", "worker.py"), pool.command());
    assertEquals(Map.of("PYTHONPATH", "/app/src", "Mixed_Case", "kept"), pool.workerEnvironment());
    assertEquals(8, pool.maxProcesses());
    assertEquals(Duration.ofSeconds(30), pool.recordLock());
    assertEquals(
        Map.of("JAVA_TOOL_OPTIONS", "-Xmx1g"), config.pools().get("images").workerEnvironment());
    assertEquals(2, config.pools().size());
  }
}
