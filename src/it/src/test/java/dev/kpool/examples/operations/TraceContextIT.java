package dev.kpool.examples.operations;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.client.TraceContext;
import dev.kpool.examples.fault.TopicRecords;
import dev.kpool.examples.local.KpoolHome;
import dev.kpool.examples.local.LocalCluster;
import dev.kpool.examples.local.SupervisorProcess;
import dev.kpool.examples.supervision.PoolFixture;
import dev.kpool.examples.tasks.ExampleWorker.TreeArgs;
import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.Topics;
import dev.kpool.testkit.KafkaBrokerExtension;
import dev.kpool.testkit.KafkaTestBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The caller's W3C traceparent travels with its task to the reply, the follow-ups and the next stage. */
@ExtendWith(KafkaBrokerExtension.class)
class TraceContextIT {
  private static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private static final Task<Integer, Integer> SQUARE =
      Task.of("square", Integer.class, Integer.class);
  private static final Task<TreeArgs, String> TREE = Task.of("tree", TreeArgs.class, String.class);
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aTasksTraceparentIsOnItsReplyItsFollowUpsAndItsNextStage(KafkaTestBroker broker)
      throws Exception {
    String bootstrap = broker.bootstrapServers();
    String clientId = "trace-" + UUID.randomUUID().toString().substring(0, 8);
    try (SupervisorProcess supervisor =
            SupervisorProcess.start(
                KpoolHome.locate(),
                LocalCluster.supervisorProperties(bootstrap, "trace", 1),
                Path.of("target", "TraceContextIT-supervisor.log"),
                WAIT);
        Pool pool =
            Pool.builder().bootstrapServers(bootstrap).pool("trace").clientId(clientId).build()) {
      String root;
      String pipeline;
      try (TraceContext.Scope scope = TraceContext.with(TRACE)) {
        var result = pool.applyAsync(TREE, new TreeArgs("r", 1, 2));
        var stages = pool.applyAsync(SQUARE.then("trace", SQUARE), 3);
        root = result.taskId();
        pipeline = stages.taskId();
        assertEquals("r", result.get(WAIT));
        assertEquals(81, stages.get(WAIT));
      }

      ConsumerRecord<String, byte[]> reply =
          await()
              .atMost(WAIT)
              .until(
                  () ->
                      TopicRecords.readAll(bootstrap, Topics.replies(clientId)).stream()
                          // the client's own journal records share the topic; replies carry a
                          // status
                          .filter(
                              r ->
                                  root.equals(r.key())
                                      && PoolFixture.header(r, HeaderNames.STATUS) != null)
                          .findFirst()
                          .orElse(null),
                  r -> r != null);
      assertEquals(TRACE, PoolFixture.header(reply, HeaderNames.TRACEPARENT), "the reply");
      List<ConsumerRecord<String, byte[]>> children =
          await()
              .atMost(WAIT)
              .until(
                  () ->
                      TopicRecords.readAll(bootstrap, Topics.tasks("trace")).stream()
                          .filter(r -> root.equals(PoolFixture.header(r, HeaderNames.PARENT)))
                          .toList(),
                  list -> list.size() == 2);
      for (ConsumerRecord<String, byte[]> child : children) {
        assertEquals(TRACE, PoolFixture.header(child, HeaderNames.TRACEPARENT), "a follow-up task");
      }
      List<ConsumerRecord<String, byte[]>> stages =
          TopicRecords.readAll(bootstrap, Topics.tasks("trace")).stream()
              .filter(r -> pipeline.equals(r.key()))
              .toList();
      assertEquals(2, stages.size(), "the first stage and the next");
      for (ConsumerRecord<String, byte[]> stage : stages) {
        assertEquals(TRACE, PoolFixture.header(stage, HeaderNames.TRACEPARENT), "a pipeline stage");
      }
    }
  }
}
