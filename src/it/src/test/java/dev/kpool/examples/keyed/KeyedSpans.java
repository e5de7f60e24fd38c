package dev.kpool.examples.keyed;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpool.examples.local.KpoolHome;
import dev.kpool.examples.local.LocalCluster;
import dev.kpool.examples.local.SupervisorProcess;
import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.Reply;
import dev.kpool.protocol.ReplyStatus;
import dev.kpool.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Runs span tasks on a keyed pool and collects what the workers measured: each task's key, start,
 * end and worker pid. Tasks are written by a plain Kafka producer, as any producer may.
 */
final class KeyedSpans {
  private static final Duration WAIT = Duration.ofSeconds(120);

  private KeyedSpans() {}

  /** One task's run, as the worker measured it. */
  record Span(String key, long start, long end, long pid) {}

  /** A keyed pool of 3 fault workers with the per-key limit {@code limitKey} set to {@code limit}. */
  static Map<String, String> keyedPool(
      String bootstrap, String pool, String limitKey, String limit) {
    Map<String, String> props = LocalCluster.supervisorProperties(bootstrap, pool, 3);
    props.put(
        LocalCluster.poolKey(pool, "command"),
        LocalCluster.javaWorkerCommand("dev.kpool.examples.tasks.FaultWorker"));
    props.put(LocalCluster.poolKey(pool, limitKey), limit);
    return props;
  }

  /** Starts a supervisor of {@code props}; its log goes under target/, named for {@code name}. */
  static SupervisorProcess start(Map<String, String> props, String name) throws Exception {
    Path log =
        Path.of(
            "target",
            name + "-" + UUID.randomUUID().toString().substring(0, 6) + "-supervisor.log");
    return SupervisorProcess.start(KpoolHome.locate(), props, log, Duration.ofSeconds(90));
  }

  /** Sends {@code perKey} span tasks for each key and collects every reply. */
  static List<Span> run(String bootstrap, String pool, List<String> keys, int perKey, long millis)
      throws Exception {
    String replyTopic = Topics.replies("keyed-" + UUID.randomUUID().toString().substring(0, 8));
    Map<String, Object> common = Map.of("bootstrap.servers", bootstrap);
    try (Admin admin = Admin.create(common)) {
      admin.createTopics(List.of(new NewTopic(replyTopic, 1, (short) 1))).all().get();
    }
    Map<String, String> keyOf = new HashMap<>();
    try (var producer =
        new KafkaProducer<>(common, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < perKey; i++) {
        for (String key : keys) {
          String id = UUID.randomUUID().toString();
          keyOf.put(id, key);
          var record =
              new ProducerRecord<>(
                  Topics.tasks(pool), key, Long.toString(millis).getBytes(StandardCharsets.UTF_8));
          record.headers().add(HeaderNames.TASK, "span".getBytes(StandardCharsets.UTF_8));
          record.headers().add(HeaderNames.ID, id.getBytes(StandardCharsets.UTF_8));
          record.headers().add(HeaderNames.REPLY_TO, replyTopic.getBytes(StandardCharsets.UTF_8));
          producer.send(record);
        }
      }
    }
    List<Span> spans = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(common, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(new TopicPartition(replyTopic, 0)));
      consumer.seekToBeginning(consumer.assignment());
      await()
          .atMost(WAIT)
          .until(
              () -> {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                  Reply reply = ProtocolJson.mapper().readValue(record.value(), Reply.class);
                  assertEquals(
                      ReplyStatus.OK, reply.status(), () -> "task failed: " + reply.error());
                  JsonNode span = reply.results().get(0);
                  spans.add(
                      new Span(
                          keyOf.get(reply.id()),
                          span.get(0).asLong(),
                          span.get(1).asLong(),
                          span.get(2).asLong()));
                }
                return spans.size() >= keyOf.size();
              });
    }
    return spans;
  }

  /** Host names that the default partitioner puts on partitions 0..n-1, so every owner gets work. */
  static List<String> oneKeyPerPartition(int partitions) {
    String[] keys = new String[partitions];
    for (int i = 0, found = 0; found < partitions; i++) {
      String key = "host-" + i;
      int partition =
          Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
      if (keys[partition] == null) {
        keys[partition] = key;
        found++;
      }
    }
    return List.of(keys);
  }

  /** The most spans running at one instant. */
  static int maxOverlap(List<Span> spans) {
    int max = 0;
    for (Span s : spans) {
      int at =
          (int) spans.stream().filter(o -> o.start() <= s.start() && s.start() < o.end()).count();
      max = Math.max(max, at);
    }
    return max;
  }
}
