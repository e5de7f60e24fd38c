package dev.kpool.examples.service;

import dev.kpool.devbroker.EmbeddedKafkaBroker;
import dev.kpool.examples.local.KpoolHome;
import dev.kpool.examples.local.SupervisorProcess;
import dev.kpool.examples.pipeline.PipelinePools;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What the service runs against in its test: a real broker and a supervisor child JVM serving the
 * pipeline's three pools ({@value #PREFIX}fetch, parse, index) with worker processes.
 */
public class PipelineCluster implements QuarkusTestResourceLifecycleManager {
  static final String PREFIX = "svc-";
  private static volatile String bootstrap;
  private EmbeddedKafkaBroker broker;
  private SupervisorProcess supervisor;

  /** The broker's address, once started. */
  static String bootstrapServers() {
    return bootstrap;
  }

  @Override
  public Map<String, String> start() {
    broker = EmbeddedKafkaBroker.builder().build().start();
    bootstrap = broker.bootstrapServers();
    try {
      supervisor =
          SupervisorProcess.start(
              KpoolHome.locate(),
              PipelinePools.supervisorProperties(bootstrap, PREFIX),
              Path.of("target", "pipeline-service-supervisor.log"),
              Duration.ofSeconds(90));
    } catch (Exception e) {
      broker.close();
      throw new IllegalStateException("cannot start the pipeline's supervisor", e);
    }
    return Map.of("kafka.bootstrap.servers", bootstrap);
  }

  @Override
  public void stop() {
    if (supervisor != null) {
      supervisor.close();
    }
    if (broker != null) {
      broker.close();
    }
  }
}
