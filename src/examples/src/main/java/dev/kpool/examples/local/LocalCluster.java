package dev.kpool.examples.local;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Kafka plus one supervisor serving pool {@code default} with the example Java worker: what the
 * demo and the end-to-end tests run against. With no bootstrap servers given, the development
 * broker is started as a child JVM beside the supervisor.
 */
public final class LocalCluster implements AutoCloseable {
  private final DevBrokerProcess broker;
  private final String bootstrapServers;
  private final SupervisorProcess supervisor;

  private LocalCluster(
      DevBrokerProcess broker, String bootstrapServers, SupervisorProcess supervisor) {
    this.broker = broker;
    this.bootstrapServers = bootstrapServers;
    this.supervisor = supervisor;
  }

  /**
   * Starts the cluster.
   *
   * @param bootstrapServers an existing Kafka, or {@code null} to start one here
   * @param workers worker processes of pool {@code default}
   * @param log where the supervisor's console goes
   */
  public static LocalCluster start(String bootstrapServers, int workers, Path log)
      throws IOException {
    return start(bootstrapServers, Map.of(), workers, log);
  }

  /**
   * Starts the cluster; the supervisor's Kafka clients get {@code kafkaProperties} (security
   * settings, for instance) through {@link #kafkaPassThrough}.
   *
   * @param bootstrapServers an existing Kafka, or {@code null} to start one here
   * @param kafkaProperties raw Kafka client properties for the supervisor
   * @param workers worker processes of pool {@code default}
   * @param log where the supervisor's console goes
   */
  public static LocalCluster start(
      String bootstrapServers, Map<String, ?> kafkaProperties, int workers, Path log)
      throws IOException {
    return start(
        bootstrapServers,
        bootstrap -> {
          Map<String, String> props = supervisorProperties(bootstrap, workers);
          props.putAll(kafkaPassThrough(kafkaProperties));
          return props;
        },
        log);
  }

  /**
   * Starts Kafka (unless given) and a supervisor configured by {@code configuration}, which gets
   * the bootstrap servers: how the crawl demo starts a supervisor serving its own pool.
   */
  public static LocalCluster start(
      String bootstrapServers, Function<String, Map<String, String>> configuration, Path log)
      throws IOException {
    DevBrokerProcess broker = null;
    if (bootstrapServers == null) {
      broker =
          DevBrokerProcess.start(
              KpoolHome.locate(), log.resolveSibling("devbroker.log"), Duration.ofSeconds(120));
      bootstrapServers = broker.bootstrapServers();
    }
    try {
      SupervisorProcess supervisor =
          SupervisorProcess.start(
              KpoolHome.locate(),
              configuration.apply(bootstrapServers),
              log,
              Duration.ofSeconds(90));
      return new LocalCluster(broker, bootstrapServers, supervisor);
    } catch (IOException | RuntimeException e) {
      if (broker != null) {
        broker.close();
      }
      throw e;
    }
  }

  /** Configuration of a supervisor whose pool {@code default} runs the example Java worker. */
  public static Map<String, String> supervisorProperties(String bootstrapServers, int workers) {
    return supervisorProperties(bootstrapServers, "default", workers);
  }

  /**
   * Configuration of a supervisor whose pool {@code pool} runs the example Java worker; add or
   * override {@code kpool.pools.<pool>.*} keys in the returned (mutable) map. Tests give each class
   * its own pool name, so that tasks left by one cannot reach another on the shared broker.
   */
  public static Map<String, String> supervisorProperties(
      String bootstrapServers, String pool, int workers) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("kpool.bootstrap-servers", bootstrapServers);
    props.put("quarkus.http.port", "0");
    props.put(
        poolKey(pool, "command"), javaWorkerCommand("dev.kpool.examples.tasks.ExampleWorker"));
    props.put(poolKey(pool, "min-processes"), Integer.toString(workers));
    props.put(poolKey(pool, "max-processes"), Integer.toString(workers));
    return props;
  }

  /**
   * The supervisor configuration that hands raw Kafka client properties to every Kafka client it
   * makes: {@code kpool.kafka."<property>"} for each (the quotes keep dotted names one key).
   */
  public static Map<String, String> kafkaPassThrough(Map<String, ?> kafkaProperties) {
    Map<String, String> props = new LinkedHashMap<>();
    kafkaProperties.forEach(
        (key, value) -> props.put("kpool.kafka.\"" + key + "\"", String.valueOf(value)));
    return props;
  }

  /** The property name of one key of a pool, e.g. {@code kpool.pools.squares.max-processes}. */
  public static String poolKey(String pool, String key) {
    return "kpool.pools." + pool + "." + key;
  }

  /**
   * A worker command (comma-separated argv) running {@code mainClass} on the example worker class
   * path. C1 only, as the bench's workers: a worker's hot path is I/O and JSON, and without C2 a
   * JVM that is recycled or killed after a few tasks starts on about a third less CPU.
   */
  public static String javaWorkerCommand(String mainClass) {
    return String.join(
        ",",
        KpoolHome.java(),
        "-Xmx128m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-cp",
        KpoolHome.locate().exampleWorkerClasspath(),
        mainClass);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public SupervisorProcess supervisor() {
    return supervisor;
  }

  /** Drains and stops the supervisor, then the broker if this cluster started it. */
  @Override
  public void close() {
    try {
      supervisor.stop(Duration.ofSeconds(60));
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }
}
