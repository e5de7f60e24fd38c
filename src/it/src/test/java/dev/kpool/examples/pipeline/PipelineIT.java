package dev.kpool.examples.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.client.TaskFailedException;
import dev.kpool.examples.local.KpoolHome;
import dev.kpool.examples.local.SupervisorProcess;
import dev.kpool.examples.pipeline.PipelineWorker.Indexed;
import dev.kpool.protocol.Topics;
import dev.kpool.testkit.KafkaBrokerExtension;
import dev.kpool.testkit.KafkaTestBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A three-stage pipeline through the real broker and worker processes: each stage in a pool of its
 * own, results handed from stage to stage inside Kafka, the client seeing only the last.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PipelineIT {
  private static final Task<Integer, Indexed> PIPELINE = PipelinePools.pipeline("pl-");
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static SupervisorProcess supervisor;
  private static String bootstrap;

  @BeforeAll
  static void startSupervisor(KafkaTestBroker broker) throws Exception {
    bootstrap = broker.bootstrapServers();
    supervisor =
        SupervisorProcess.start(
            KpoolHome.locate(),
            PipelinePools.supervisorProperties(bootstrap, "pl-"),
            Path.of("target", "pipeline-it-supervisor.log"),
            WAIT);
  }

  @AfterAll
  static void stopSupervisor() {
    if (supervisor != null) {
      supervisor.close();
    }
  }

  private static Pool client() {
    return Pool.builder().bootstrapServers(bootstrap).pool("pl-fetch").build();
  }

  @Test
  void resultFlowsThroughEveryStageAndOnlyTheLastReachesTheClient() {
    try (Pool pool = client()) {
      assertEquals(PipelineWorker.expected(7), pool.apply(PIPELINE, 7, WAIT));
      assertEquals(1, pool.stats().repliesRead(), "one reply for three stages");
    }
  }

  @Test
  void mapSendsEachChunkThroughThePipelineAndKeepsOrder() {
    List<Integer> ids = IntStream.range(0, 40).boxed().toList();
    try (Pool pool = client()) {
      List<Indexed> indexed = pool.map(PIPELINE, ids, 6, WAIT);
      assertEquals(ids.stream().map(PipelineWorker::expected).toList(), indexed);
    }
  }

  @Test
  void everyStageOfAKeyedPipelineIsKeyedByTheClientsKey() {
    String key = "doc-" + UUID.randomUUID();
    try (Pool pool = client()) {
      assertEquals(PipelineWorker.expected(7), pool.apply(PIPELINE.withKey(key), 7, WAIT));
    }
    for (String stage : List.of("pl-fetch", "pl-parse", "pl-index")) {
      assertEquals(1, keysOn(Topics.tasks(stage)).stream().filter(key::equals).count(), stage);
    }
  }

  /** The key of every record on {@code topic} so far. */
  private static List<String> keysOn(String topic) {
    Map<String, Object> props = Map.of("bootstrap.servers", bootstrap);
    try (var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      List<String> keys = new ArrayList<>();
      await()
          .atMost(WAIT)
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> keys.add(r.key()));
                return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
              });
      return keys;
    }
  }

  @Test
  void failureInTheFirstStageReachesTheCallerWithItsRemoteType() {
    try (Pool pool = client()) {
      TaskFailedException e =
          assertThrows(TaskFailedException.class, () -> pool.apply(PIPELINE, -1, WAIT));
      assertEquals("java.lang.IllegalArgumentException", e.remoteType());
      assertTrue(e.remoteMessage().contains("no document -1"), e.remoteMessage());
    }
  }
}
