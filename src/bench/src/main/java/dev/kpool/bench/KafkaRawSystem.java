package dev.kpool.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.IntegerSerializer;

/**
 * The ceiling: a raw Kafka request/reply loop on the same broker, with no supervisor and no worker
 * process. A producer writes task records (key = task index, value = JSON argument or chunk), an
 * echo consumer thread answers each with x+1 on a reply topic, and a reply consumer completes the
 * tasks. Durability as kpool: both producers use acks=all and idempotence, and the echo commits
 * its offsets only after its replies are written. Sleep and CPU tasks run on the echo thread one
 * at a time, so only the I/O workloads are measured here.
 */
final class KafkaRawSystem implements BenchSystem {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofMinutes(10);

  private final String bootstrapServers;
  private final String tasksTopic;
  private final String repliesTopic;
  private final KafkaProducer<Integer, byte[]> producer;
  private final KafkaConsumer<Integer, byte[]> replies;
  private final Thread echo;
  private volatile boolean running = true;
  private boolean warm;

  KafkaRawSystem(String bootstrapServers, String prefix) throws Exception {
    this.bootstrapServers = bootstrapServers;
    this.tasksTopic = prefix + ".tasks";
    this.repliesTopic = prefix + ".replies";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(tasksTopic, Optional.of(1), Optional.empty()),
                  new NewTopic(repliesTopic, Optional.of(1), Optional.empty())))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    producer = producer("bench-raw-client");
    replies = consumer(null);
    TopicPartition replyPartition = new TopicPartition(repliesTopic, 0);
    replies.assign(List.of(replyPartition));
    replies.seekToEnd(List.of(replyPartition));
    replies.position(replyPartition);
    echo = new Thread(this::echo, "bench-raw-echo");
    echo.setDaemon(true);
    echo.start();
  }

  @Override
  public String name() {
    return "kafka-raw";
  }

  @Override
  public boolean supports(Workload workload) {
    return switch (workload) {
      case NOOP_APPLY_ASYNC, NOOP_MAP, ROUND_TRIP -> true;
      default -> false;
    };
  }

  @Override
  public Result run(Spec spec) throws Exception {
    if (!warm) {
      warm = true;
      pipelined(new Spec(Workload.NOOP_APPLY_ASYNC, 2_000, 1, 1, 0));
    }
    return switch (spec.workload()) {
      case ROUND_TRIP -> roundTrip(spec);
      default -> pipelined(spec);
    };
  }

  /** All chunks in flight at once, each reply checked; latency per record. */
  private Result pipelined(Spec spec) throws Exception {
    int records = (spec.tasks() + spec.chunksize() - 1) / spec.chunksize();
    Latencies latencies = new Latencies(records);
    AtomicInteger wrong = new AtomicInteger();
    long t0 = System.nanoTime();
    for (int r = 0; r < records; r++) {
      latencies.submitted(r);
      producer.send(new ProducerRecord<>(tasksTopic, r, chunk(spec, r)));
    }
    producer.flush();
    int received = 0;
    while (received < records) {
      for (ConsumerRecord<Integer, byte[]> reply : poll(t0)) {
        latencies.completed(reply.key());
        int[] values = JSON.readValue(reply.value(), int[].class);
        int first = reply.key() * spec.chunksize();
        for (int i = 0; i < values.length; i++) {
          wrong.addAndGet(values[i] == first + i + 1 ? 0 : 1);
        }
        received++;
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    KpoolSystem.check(null, wrong.get(), spec);
    Result perRecord = latencies.result(name(), spec, seconds);
    return spec.workload() == Workload.NOOP_MAP
        ? new Result(name(), spec.label(), spec.tasks(), seconds, Double.NaN, Double.NaN)
        : perRecord;
  }

  private Result roundTrip(Spec spec) throws Exception {
    Latencies latencies = new Latencies(spec.tasks());
    long t0 = System.nanoTime();
    for (int i = 0; i < spec.tasks(); i++) {
      latencies.submitted(i);
      producer.send(new ProducerRecord<>(tasksTopic, i, JSON.writeValueAsBytes(new int[] {i})));
      boolean got = false;
      while (!got) {
        for (ConsumerRecord<Integer, byte[]> reply : poll(t0)) {
          got |= reply.key() == i;
        }
      }
      latencies.completed(i);
    }
    return latencies.result(name(), spec, (System.nanoTime() - t0) / 1e9);
  }

  private ConsumerRecords<Integer, byte[]> poll(long since) {
    if (System.nanoTime() - since > WAIT.toNanos()) {
      throw new IllegalStateException("kafka-raw: replies missing after " + WAIT);
    }
    return replies.poll(Duration.ofMillis(100));
  }

  /** The JSON array of the items of record {@code r}: its chunk of 0..tasks-1. */
  private static byte[] chunk(Spec spec, int r) throws IOException {
    int from = r * spec.chunksize();
    int to = Math.min(spec.tasks(), from + spec.chunksize());
    int[] items = new int[to - from];
    for (int i = 0; i < items.length; i++) {
      items[i] = from + i;
    }
    return JSON.writeValueAsBytes(items);
  }

  /** The echo: x+1 for every item, reply written before the offset is committed. */
  private void echo() {
    try (KafkaConsumer<Integer, byte[]> tasks = consumer("bench-raw-echo");
        KafkaProducer<Integer, byte[]> out = producer("bench-raw-echo")) {
      tasks.subscribe(List.of(tasksTopic));
      while (running) {
        ConsumerRecords<Integer, byte[]> batch;
        try {
          batch = tasks.poll(Duration.ofMillis(200));
        } catch (WakeupException e) {
          continue;
        }
        if (batch.isEmpty()) {
          continue;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<Integer, byte[]> task : batch) {
          int[] items = JSON.readValue(task.value(), int[].class);
          for (int i = 0; i < items.length; i++) {
            items[i]++;
          }
          out.send(new ProducerRecord<>(repliesTopic, task.key(), JSON.writeValueAsBytes(items)));
          offsets.put(
              new TopicPartition(task.topic(), task.partition()),
              new OffsetAndMetadata(task.offset() + 1));
        }
        out.flush();
        tasks.commitAsync(offsets, null);
      }
    } catch (IOException | RuntimeException e) {
      if (running) {
        System.err.println("kafka-raw echo failed: " + e);
      }
    }
  }

  private KafkaProducer<Integer, byte[]> producer(String clientId) {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("acks", "all");
    props.put("enable.idempotence", true);
    props.put("linger.ms", 1);
    props.put("client.id", clientId);
    return new KafkaProducer<>(props, new IntegerSerializer(), new ByteArraySerializer());
  }

  private KafkaConsumer<Integer, byte[]> consumer(String group) {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("enable.auto.commit", false);
    props.put("auto.offset.reset", "earliest");
    if (group != null) {
      props.put("group.id", tasksTopic + "." + group);
    }
    return new KafkaConsumer<>(props, new IntegerDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public void close() {
    running = false;
    try {
      echo.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    replies.close(Duration.ofSeconds(5));
    producer.close(Duration.ofSeconds(5));
  }
}
