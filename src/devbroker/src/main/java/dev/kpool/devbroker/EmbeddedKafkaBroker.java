package dev.kpool.devbroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in this JVM,
 * listening on 127.0.0.1 only.
 *
 * <p>Ports are chosen on the first {@link #start()} (unless fixed in the builder) and kept for the
 * broker's life, so clients keep their bootstrap address across {@link #stop()} and {@link
 * #restart()}. Data lives in one directory that survives stop and restart and is deleted by {@link
 * #close()} when the broker created it.
 *
 * <p>By default the client listener is PLAINTEXT. With {@link Builder#saslPlainUser} it is
 * SASL_PLAINTEXT with the PLAIN mechanism only, accepting the users given there; clients then need
 * {@link #saslPlainClientProperties(String, String)}.
 *
 * <p>Thread-safe: lifecycle methods are serialized and block until the transition is complete.
 * Failures are unchecked: {@link BrokerStartException} when the broker does not come up, {@link
 * IllegalStateException} for a call on a closed broker.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  /** How long {@link #start()} waits for the broker to answer unless the builder says otherwise. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);

  static final String HOST = "127.0.0.1";
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private final Map<String, String> overrides;
  private final boolean stock;
  private final Duration startTimeout;
  private final Path dataDir;
  private final boolean ownsDataDir;
  private final SaslPlain sasl;
  private int port;
  private int controllerPort;
  private KafkaRaftServer server;
  private boolean closed;

  private EmbeddedKafkaBroker(Builder builder) {
    this.overrides = Map.copyOf(builder.overrides);
    this.stock = builder.stock;
    this.startTimeout = builder.startTimeout;
    this.port = builder.port;
    this.ownsDataDir = builder.dataDir == null;
    this.dataDir = ownsDataDir ? createTempDir() : builder.dataDir;
    this.sasl = builder.saslUsers.isEmpty() ? null : SaslPlain.of(builder.saslUsers);
  }

  /** Returns a builder for a broker on an ephemeral port with a temporary data directory. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Formats storage if needed, starts the broker and blocks until it answers an Admin client. Does
   * nothing if already running.
   *
   * @return this broker, for chaining
   * @throws BrokerStartException if it fails to start or to answer within the start timeout
   * @throws IllegalStateException if closed
   */
  public synchronized EmbeddedKafkaBroker start() {
    if (closed) {
      throw new IllegalStateException("broker is closed: " + dataDir);
    }
    if (server != null) {
      return this;
    }
    long started = System.nanoTime();
    if (port == 0) {
      port = freePort();
    }
    if (controllerPort == 0) {
      controllerPort = freePort();
    }
    KafkaRaftServer candidate = null;
    try {
      KafkaConfig config = new KafkaConfig(properties(), false);
      KraftStorage.formatIfNeeded(config);
      candidate = new KafkaRaftServer(config, Time.SYSTEM);
      candidate.startup();
      Readiness.await(bootstrapServers(), ownClientSecurity(), started, startTimeout);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      BrokerStartException failure =
          new BrokerStartException(
              "Kafka broker on " + bootstrapServers() + " (data " + dataDir + ") failed to start",
              e);
      if (candidate != null) {
        try {
          shutdown(candidate);
        } catch (RuntimeException suppressed) {
          failure.addSuppressed(suppressed);
        }
      }
      throw failure;
    }
    server = candidate;
    LOG.info(
        "Kafka broker started on {} in {} ms (data {})",
        bootstrapServers(),
        Duration.ofNanos(System.nanoTime() - started).toMillis(),
        dataDir);
    return this;
  }

  /** Shuts the broker down cleanly and keeps its data and ports. Does nothing if not running. */
  public synchronized void stop() {
    if (server != null) {
      shutdown(server);
      server = null;
      LOG.info("Kafka broker on {} stopped", bootstrapServers());
    }
  }

  /**
   * Stops the broker if running, then starts it on the same ports with the same data.
   *
   * @throws BrokerStartException if it fails to start or to answer within the start timeout
   * @throws IllegalStateException if closed
   */
  public synchronized void restart() {
    stop();
    start();
  }

  /** Stops the broker and deletes the data directory if this broker created it. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    stop();
    closed = true;
    if (ownsDataDir) {
      try {
        Utils.delete(dataDir.toFile());
      } catch (IOException e) {
        LOG.warn("Could not delete broker data directory {}", dataDir, e);
      }
    }
  }

  /**
   * Returns {@code 127.0.0.1:PORT}, stable for the broker's life.
   *
   * @throws IllegalStateException if the broker was never started and has no fixed port
   */
  public synchronized String bootstrapServers() {
    if (port == 0) {
      throw new IllegalStateException("broker has no port before its first start()");
    }
    return HOST + ":" + port;
  }

  /**
   * Client properties that authenticate with SASL/PLAIN as {@code user}: {@code security.protocol},
   * {@code sasl.mechanism} and an inline {@code sasl.jaas.config}, for any Kafka client or for
   * kpool's pass-through settings. A wrong password yields clients that fail to authenticate.
   *
   * @throws IllegalArgumentException if {@code user} or {@code password} contains a quote or backslash
   */
  public static Map<String, Object> saslPlainClientProperties(String user, String password) {
    return SaslPlain.clientSettings(user, password);
  }

  /** Returns whether the client listener requires SASL/PLAIN. */
  public boolean requiresSasl() {
    return sasl != null;
  }

  /** Returns whether the broker is started and not stopped or closed. */
  public synchronized boolean isRunning() {
    return server != null;
  }

  /** Returns the directory holding the broker's logs and metadata. */
  public Path dataDir() {
    return dataDir;
  }

  private Map<String, String> properties() {
    String logDir = dataDir.resolve("kraft").toString();
    Map<String, String> p =
        new LinkedHashMap<>(stock ? BrokerDefaults.singleNode() : BrokerDefaults.settings());
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
    // The controller listener stays PLAINTEXT on loopback: only this process speaks to it.
    String client = sasl == null ? "PLAINTEXT" : SaslPlain.LISTENER;
    p.put(
        "listeners",
        client + "://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", client + "://" + HOST + ":" + port);
    p.put("listener.security.protocol.map", client + ":" + client + ",CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", KraftStorage.CONTROLLER_LISTENER);
    p.put("inter.broker.listener.name", client);
    if (sasl != null) {
      p.putAll(sasl.brokerSettings());
    }
    p.put("log.dirs", logDir);
    p.put("metadata.log.dir", logDir);
    // The cleaner's default dedupe buffer is 128 MiB of heap in this JVM; a dev broker's
    // compacted topics are tiny.
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
    p.putAll(overrides);
    return p;
  }

  /** What this broker's own admin client needs to be let in. */
  private Map<String, Object> ownClientSecurity() {
    return sasl == null
        ? Map.of()
        : SaslPlain.clientSettings(sasl.brokerUser(), sasl.brokerPassword());
  }

  private static void shutdown(KafkaRaftServer server) {
    server.shutdown();
    server.awaitShutdown();
  }

  private static Path createTempDir() {
    try {
      return Files.createTempDirectory("kpool-devbroker-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a broker data directory", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + HOST, e);
    }
  }

  /** Options for an {@link EmbeddedKafkaBroker}; not thread-safe. */
  public static final class Builder {
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final Map<String, String> saslUsers = new LinkedHashMap<>();
    private Duration startTimeout = DEFAULT_START_TIMEOUT;
    private Path dataDir;
    private int port;
    private boolean stock;

    private Builder() {}

    /**
     * Runs the broker with Kafka's own defaults, setting only what one node needs (replication
     * factors and partition counts of internal topics): share-group limits such as {@code
     * group.share.max.record.lock.duration.ms} stay as a stock cluster has them. Without it the
     * broker raises those limits and lowers their floors for tests.
     */
    public Builder stockSettings() {
      this.stock = true;
      return this;
    }

    /** Fixes the client port; 0 (the default) picks a free one on first start. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** Keeps data in this directory, which {@link #close()} then leaves in place. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
      return this;
    }

    /** Bounds how long {@link #start()} waits for the broker to answer. */
    public Builder startTimeout(Duration startTimeout) {
      if (startTimeout.isNegative() || startTimeout.isZero()) {
        throw new IllegalArgumentException("startTimeout must be positive, got " + startTimeout);
      }
      this.startTimeout = startTimeout;
      return this;
    }

    /**
     * Makes the client listener SASL_PLAINTEXT with the PLAIN mechanism, and lets in {@code user}
     * with {@code password}; call once per user. Without a call the listener is PLAINTEXT.
     *
     * @throws IllegalArgumentException if either is blank or contains a quote or backslash
     */
    public Builder saslPlainUser(String user, String password) {
      for (String value : new String[] {user, password}) {
        if (value == null || value.isBlank() || value.contains("\"") || value.contains("\\")) {
          throw new IllegalArgumentException(
              "SASL user and password must be non-blank, without quotes or backslashes");
        }
      }
      saslUsers.put(user, password);
      return this;
    }

    /** Sets a raw broker property, overriding the defaults (including listeners: take care). */
    public Builder brokerProperty(String key, String value) {
      overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Builds a broker that is not started yet; without {@link #dataDir(Path)} this creates the
     * temporary data directory, which {@link EmbeddedKafkaBroker#close()} deletes.
     *
     * @throws java.io.UncheckedIOException if the temporary directory cannot be created
     */
    public EmbeddedKafkaBroker build() {
      return new EmbeddedKafkaBroker(this);
    }
  }
}
