package dev.kpool.supervisor;

import dev.kpool.supervisor.config.PoolConfigValidator;
import dev.kpool.supervisor.config.SupervisorConfig;
import dev.kpool.supervisor.kafka.ControlListener;
import dev.kpool.supervisor.kafka.KafkaConnection;
import dev.kpool.supervisor.kafka.RecordWriter;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/** Starts every configured pool when the application starts, and drains them when it stops. */
@ApplicationScoped
public class Supervisor {
  private static final Logger LOG = Logger.getLogger(Supervisor.class);

  /**
   * Longest wait for the lanes' first assignment before the supervisor says it started: a broker
   * whose share groups assign only on a later heartbeat (every 5 s) still gets the line soon after.
   */
  private static final Duration JOIN_BOUND = Duration.ofSeconds(10);

  private final SupervisorConfig config;
  private final KafkaConnection kafka;
  private final Map<String, PoolRunner> pools = new LinkedHashMap<>();
  private RecordWriter writer;
  private ControlListener control;

  Supervisor(SupervisorConfig config, KafkaConnection kafka) {
    this.config = config;
    this.kafka = kafka;
  }

  void onStart(@Observes StartupEvent event) {
    PoolConfigValidator.validate(config.pools());
    if (config.pools().isEmpty()) {
      LOG.warn("no pools configured (kpool.pools.<name>.command): this supervisor serves nothing");
    }
    // Worker JVMs boot while this one connects to Kafka and sets up topics and clients. Lanes start
    // last, after the control listener, so that no cancellation is missed for a task already taken.
    config.pools().forEach((name, pool) -> pools.put(name, new PoolRunner(name, pool)));
    pools.values().forEach(PoolRunner::startWorkers);
    Map<String, Object> props = kafka.clientProperties();
    writer = new RecordWriter(props);
    pools.values().forEach(pool -> pool.prepare(props, writer));
    if (!pools.isEmpty()) {
      control =
          new ControlListener(
              props,
              pools.values().stream()
                  .collect(Collectors.toMap(PoolRunner::name, pool -> pool::control)));
      control.start();
    }
    pools.values().forEach(PoolRunner::start);
  }

  /**
   * Says the supervisor started once its lanes have joined their share groups, after every other
   * start-up observer (metrics, readiness, history): a task sent on that line is fetched at once,
   * and no start-up work of this application is left to compete with it for the CPU. (Quarkus
   * opens the HTTP server after these observers; waiting for it too cost the start about 0.3 s
   * and the first task nothing measurable.)
   */
  void announce(@Observes @Priority(Interceptor.Priority.APPLICATION + 900) StartupEvent event)
      throws InterruptedException {
    long deadline = System.nanoTime() + JOIN_BOUND.toNanos();
    for (PoolRunner pool : pools.values()) {
      if (!pool.awaitJoined(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
        LOG.infof(
            "pool %s: its share consumers have no partitions after %s; they take tasks once they do",
            pool.name(), JOIN_BOUND);
      }
    }
    LOG.infof(
        "supervisor started on %s, pools %s, pid %d",
        kafka.clientProperties().get("bootstrap.servers"),
        pools.keySet(),
        ProcessHandle.current().pid());
  }

  void onStop(@Observes ShutdownEvent event) {
    LOG.info("supervisor stopping: draining pools");
    pools.values().parallelStream().forEach(PoolRunner::drain);
    if (control != null) {
      control.close();
    }
    if (writer != null) {
      writer.close();
    }
    LOG.info("supervisor stopped");
  }

  /**
   * Stops every pool at once: workers are killed and what they ran goes back to the share group for
   * another supervisor. The drain in progress, if any, then finishes quickly.
   */
  public void terminate() {
    LOG.warn("supervisor terminating: killing workers, releasing their tasks");
    pools.values().forEach(PoolRunner::terminate);
  }

  /**
   * Drains one pool on this supervisor on a thread of its own and returns at once: see {@link
   * PoolRunner#drain}. Draining a pool twice is harmless.
   */
  public void drain(String pool) {
    PoolRunner runner = pools.get(pool);
    if (runner != null) {
      LOG.infof("pool %s: draining on request", pool);
      Thread drain = new Thread(runner::drain, "kpool-" + pool + "-drain");
      drain.setDaemon(true);
      drain.start();
    }
  }

  /** The pools this supervisor runs. */
  public Collection<PoolRunner> pools() {
    return pools.values();
  }
}
