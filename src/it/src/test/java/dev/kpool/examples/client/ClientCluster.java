package dev.kpool.examples.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kpool.client.Pool;
import dev.kpool.examples.local.KpoolHome;
import dev.kpool.examples.local.LocalCluster;
import dev.kpool.examples.local.SupervisorProcess;
import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.Reply;
import dev.kpool.protocol.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One supervisor child JVM serving a pool of the example worker, for one IT class, and what the
 * client tests ask of Kafka directly: the records on a reply topic.
 */
final class ClientCluster implements AutoCloseable {
  final String bootstrap;
  final String pool;
  final SupervisorProcess supervisor;

  private ClientCluster(String bootstrap, String pool, SupervisorProcess supervisor) {
    this.bootstrap = bootstrap;
    this.pool = pool;
    this.supervisor = supervisor;
  }

  /** Starts a supervisor serving {@code pool} with {@code workers} example worker processes. */
  static ClientCluster start(String bootstrap, String pool, int workers) throws IOException {
    Map<String, String> props = LocalCluster.supervisorProperties(bootstrap, pool, workers);
    props.put(LocalCluster.poolKey(pool, "kill-grace"), "1s");
    Path log = Path.of("target", "client-it-" + pool + "-supervisor.log");
    return new ClientCluster(
        bootstrap,
        pool,
        SupervisorProcess.start(KpoolHome.locate(), props, log, Duration.ofSeconds(90)));
  }

  /** A client builder for this pool; tests add what they need. */
  Pool.Builder client() {
    return Pool.builder().bootstrapServers(bootstrap).pool(pool);
  }

  /** Every reply record (journal records left out) on a client's reply topic so far. */
  List<ConsumerRecord<String, byte[]>> replyRecords(String clientId) {
    List<ConsumerRecord<String, byte[]>> replies = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records(Topics.replies(clientId))) {
      if (record.headers().lastHeader(HeaderNames.STATUS) != null) {
        replies.add(record);
      }
    }
    return replies;
  }

  /** The reply values on a client's reply topic so far. */
  List<Reply> replies(String clientId) {
    return replyRecords(clientId).stream().map(r -> read(r.value(), Reply.class)).toList();
  }

  /** Every record of partition 0 of {@code topic} so far. */
  List<ConsumerRecord<String, byte[]>> records(String topic) {
    var props = Map.<String, Object>of("bootstrap.servers", bootstrap);
    try (var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      var tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
      long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (consumer.position(tp) < end && System.nanoTime() < until) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  /** How many of the pool's workers are running a task, as GET /pools says. */
  int busyWorkers() throws IOException, InterruptedException {
    return supervisor.workers(pool, "BUSY");
  }

  static <T> T read(byte[] json, Class<T> type) {
    try {
      return ProtocolJson.mapper().readValue(json, type);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    assertEquals(
        0, supervisor.stop(Duration.ofSeconds(60)), "supervisor drains and exits 0 on SIGTERM");
  }
}
