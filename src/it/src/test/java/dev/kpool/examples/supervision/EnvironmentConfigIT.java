package dev.kpool.examples.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.examples.local.KpoolHome;
import dev.kpool.examples.local.LocalCluster;
import dev.kpool.examples.local.SupervisorProcess;
import dev.kpool.examples.tasks.FaultWorker;
import dev.kpool.protocol.Topics;
import dev.kpool.testkit.KafkaBrokerExtension;
import dev.kpool.testkit.KafkaTestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A supervisor configured by environment variables alone, as its container image is. */
@ExtendWith(KafkaBrokerExtension.class)
class EnvironmentConfigIT {
  private static final Task<Long, Long> LEDGER = Task.of("ledger", Long.class, Long.class);
  private static KafkaTestBroker broker;

  @Test
  void aSupervisorConfiguredOnlyByEnvironmentVariablesServesItsPoolWithThemAll() throws Exception {
    Path ledger = Path.of("target", "envconfig", "envpool.ledger").toAbsolutePath();
    Files.createDirectories(ledger.getParent());
    Files.deleteIfExists(ledger);
    String command = LocalCluster.javaWorkerCommand(FaultWorker.class.getName());
    Map<String, String> env =
        Map.of(
            "KPOOL_BOOTSTRAP_SERVERS",
            broker.bootstrapServers(),
            "QUARKUS_HTTP_PORT",
            "0",
            "KPOOL_POOLS__ENVPOOL__COMMAND",
            command,
            "KPOOL_POOLS__ENVPOOL__MIN_PROCESSES",
            "2",
            "KPOOL_POOLS__ENVPOOL__MAX_PROCESSES",
            "2",
            "KPOOL_POOLS__ENVPOOL__RECORD_LOCK",
            "25s",
            // the worker writes its ledger where this variable, case and all, tells it to
            "KPOOL_POOLS__ENVPOOL__ENVIRONMENT__" + FaultWorker.LEDGER_ENV,
            ledger.toString());
    Path log = Path.of("target", "supervisor-envpool.log");
    try (SupervisorProcess supervisor =
            SupervisorProcess.start(
                KpoolHome.locate(), Map.of(), env, log, Duration.ofSeconds(90));
        Pool client =
            Pool.builder().bootstrapServers(broker.bootstrapServers()).pool("envpool").build()) {
      assertEquals(7L, client.apply(LEDGER, 7L, Duration.ofSeconds(60)));

      List<String> runs = Files.readAllLines(ledger);
      assertEquals(1, runs.size(), "the worker got the environment variable: " + runs);
      assertEquals(
          2,
          supervisor.handle().children().filter(ProcessHandle::isAlive).count(),
          "min-processes from the environment");
      try (Admin admin =
          Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
        ConfigResource group =
            new ConfigResource(ConfigResource.Type.GROUP, Topics.shareGroup("envpool"));
        var config =
            admin.describeConfigs(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
        assertEquals(
            "25000",
            config.get("share.record.lock.duration.ms").value(),
            "record-lock from the environment");
      }
      assertTrue(
          Files.readString(log).contains("envpool"), "the pool named in the variables is served");
    }
  }
}
