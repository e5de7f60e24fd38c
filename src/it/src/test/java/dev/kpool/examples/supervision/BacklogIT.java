package dev.kpool.examples.supervision;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpool.client.AsyncResult;
import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.testkit.KafkaBrokerExtension;
import dev.kpool.testkit.KafkaTestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** GET /pools/{pool}/backlog, the figure KEDA's metrics-api scaler reads. */
@ExtendWith(KafkaBrokerExtension.class)
class BacklogIT {
  private static final Task<Long, Long> SLEEP = Task.of("sleep", Long.class, Long.class);
  private static KafkaTestBroker broker;

  @Test
  void theBacklogCountsUnacknowledgedTasksAndSuggestsSupervisorsThenFallsToZero() throws Exception {
    String name = "backlog";
    try (PoolFixture supervisor =
            PoolFixture.start(
                broker.bootstrapServers(),
                name,
                PoolFixture.faultPool(broker.bootstrapServers(), name, 2));
        Pool client = supervisor.clientBuilder().build()) {
      List<AsyncResult<Long>> results = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        results.add(client.applyAsync(SLEEP, 250L));
      }
      AtomicReference<JsonNode> busy = new AtomicReference<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                JsonNode backlog = supervisor.backlog();
                busy.set(backlog);
                return backlog.get("busyWorkers").asInt() == 2
                    && backlog.get("unacknowledged").asLong() >= 10;
              });
      JsonNode during = busy.get();
      System.out.println("backlog during the run: " + during);
      assertEquals(name, during.get("pool").asText());
      assertTrue(during.get("inFlight").asInt() >= 2, during.toString());
      assertTrue(during.get("suggestedReplicas").asInt() >= 1, during.toString());

      for (AsyncResult<Long> result : results) {
        result.get(Duration.ofSeconds(60));
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> supervisor.backlog().get("unacknowledged").asLong() == 0);
      JsonNode after = supervisor.backlog();
      System.out.println("backlog after the run: " + after);
      assertEquals(1, after.get("suggestedReplicas").asInt());
      assertTrue(after.get("averageTaskMillis").asDouble() >= 250, after.toString());
      assertEquals(404, supervisor.http("GET", "/pools/nosuchpool/backlog").statusCode());
    }
  }
}
