package dev.kpool.examples.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.examples.pipeline.PipelinePools;
import dev.kpool.examples.pipeline.PipelineWorker;
import dev.kpool.examples.pipeline.PipelineWorker.Indexed;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Quarkus service as the callback handler of a pipeline: a producer sends documents into
 * {@code fetch-doc → parse-doc → index-doc} and forgets them; the last stage's replies reach the
 * service's {@code @Incoming} method through Kafka, never through the producer.
 */
@QuarkusTest
@WithTestResource(PipelineCluster.class)
class IndexServiceIT {
  private static final Task<Integer, Indexed> PIPELINE =
      PipelinePools.pipeline(PipelineCluster.PREFIX);

  @Inject IndexService index;

  @Test
  void serviceReceivesEveryDocumentTheLastStageIndexed() {
    Map<String, Integer> documentOf = new HashMap<>();
    try (Pool producer =
        Pool.builder()
            .bootstrapServers(PipelineCluster.bootstrapServers())
            .pool(PipelineCluster.PREFIX + "fetch")
            .build()) {
      for (int doc = 0; doc < 50; doc++) {
        documentOf.put(PipelinePools.sendToIndex(producer, PIPELINE, doc), doc);
      }
      assertTrue(producer.flush(Duration.ofSeconds(30)), "every document handed to Kafka");
    }

    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> index.entries().keySet().containsAll(documentOf.keySet()));
    assertEquals(Map.of(), index.failures());
    documentOf.forEach(
        (taskId, doc) -> {
          Indexed expected = PipelineWorker.expected(doc);
          assertEquals(
              new IndexEntry(expected.id(), expected.terms(), expected.distinct(), expected.top()),
              index.entries().get(taskId),
              "document " + doc);
        });
  }
}
