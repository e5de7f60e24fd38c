package dev.kpool.examples.supervision;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpool.client.Pool;
import dev.kpool.examples.fault.TopicRecords;
import dev.kpool.examples.local.KpoolHome;
import dev.kpool.examples.local.LocalCluster;
import dev.kpool.examples.local.SupervisorProcess;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A supervisor child JVM serving one pool of the fault-injecting worker, plus what tests ask of
 * it: a client, the pool's state over HTTP, its dead letters, its worker processes.
 */
public final class PoolFixture implements AutoCloseable {
  public final String bootstrap;
  public final String pool;
  public final SupervisorProcess supervisor;
  private final HttpClient http = HttpClient.newHttpClient();

  private PoolFixture(String bootstrap, String pool, SupervisorProcess supervisor) {
    this.bootstrap = bootstrap;
    this.pool = pool;
    this.supervisor = supervisor;
  }

  /** Properties of a pool of {@code workers} fault workers; add to them and pass to {@link #start}. */
  public static Map<String, String> faultPool(String bootstrap, String pool, int workers) {
    Map<String, String> props = LocalCluster.supervisorProperties(bootstrap, pool, workers);
    props.put(
        LocalCluster.poolKey(pool, "command"),
        LocalCluster.javaWorkerCommand("dev.kpool.examples.tasks.FaultWorker"));
    props.put(LocalCluster.poolKey(pool, "heartbeat-interval"), "500ms");
    props.put(LocalCluster.poolKey(pool, "kill-grace"), "1s");
    return props;
  }

  /**
   * A {@link #faultPool} whose tasks run up to 3 times, the first retry 200 ms after a failure and
   * none more than 1 s after one.
   */
  public static Map<String, String> retryingFaultPool(String bootstrap, String pool, int workers) {
    Map<String, String> props = faultPool(bootstrap, pool, workers);
    props.put(LocalCluster.poolKey(pool, "max-attempts"), "3");
    props.put(LocalCluster.poolKey(pool, "retry-backoff"), "200ms");
    props.put(LocalCluster.poolKey(pool, "retry-backoff-max"), "1s");
    return props;
  }

  public static PoolFixture start(String bootstrap, String pool, Map<String, String> props)
      throws IOException {
    Path log =
        Path.of(
            "target",
            "supervisor-" + pool + "-" + UUID.randomUUID().toString().substring(0, 6) + ".log");
    return new PoolFixture(
        bootstrap,
        pool,
        SupervisorProcess.start(KpoolHome.locate(), props, log, Duration.ofSeconds(90)));
  }

  /** A client builder for this pool; tests add what they need. */
  public Pool.Builder clientBuilder() {
    return Pool.builder().bootstrapServers(bootstrap).pool(pool);
  }

  Pool client() {
    return clientBuilder().build();
  }

  Pool client(Duration taskTimeout) {
    return clientBuilder().taskTimeout(taskTimeout).build();
  }

  /** The pool as GET /pools shows it. */
  public JsonNode poolView() throws IOException, InterruptedException {
    await().atMost(Duration.ofSeconds(30)).until(() -> supervisor.httpPort() > 0);
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + supervisor.httpPort() + "/pools"))
            .build();
    JsonNode pools =
        ProtocolJson.mapper()
            .readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    for (JsonNode view : pools) {
      if (pool.equals(view.get("name").asText())) {
        return view;
      }
    }
    throw new IllegalStateException("no pool " + pool + " in " + pools);
  }

  /** The pool's backlog as GET /pools/{pool}/backlog shows it (the figure KEDA reads). */
  public JsonNode backlog() throws IOException, InterruptedException {
    var response = http("GET", "/pools/" + pool + "/backlog");
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "backlog of " + pool + ": " + response.statusCode() + " " + response.body());
    }
    return ProtocolJson.mapper().readTree(response.body());
  }

  /** Worker slots that are not stopped or retiring, as the supervisor counts them. */
  int activeWorkers() throws IOException, InterruptedException {
    JsonNode workers = poolView().get("workers");
    return workers.get("STARTING").asInt()
        + workers.get("IDLE").asInt()
        + workers.get("BUSY").asInt()
        + workers.get("BACKING_OFF").asInt();
  }

  /** Live child processes of the supervisor: its workers. */
  public Set<Long> workerPids() {
    return supervisor
        .handle()
        .children()
        .filter(ProcessHandle::isAlive)
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  /** Every record on the pool's dead-letter topic so far. */
  public List<ConsumerRecord<String, byte[]>> deadLetters() {
    return TopicRecords.readAll(bootstrap, Topics.deadLetters(pool));
  }

  /** The dead letters of task {@code taskId}. */
  List<ConsumerRecord<String, byte[]>> deadLettersOf(String taskId) {
    return deadLetters().stream().filter(r -> taskId.equals(header(r, "kpool-id"))).toList();
  }

  /** Every record on every partition of {@code topic} so far. */
  List<ConsumerRecord<String, byte[]>> records(String topic) {
    return TopicRecords.readAll(bootstrap, topic);
  }

  /** Sends a record as a producer other than the kpool client would, and waits for it to be written. */
  void sendRaw(ProducerRecord<String, byte[]> record) throws Exception {
    var props =
        Map.<String, Object>of("bootstrap.servers", bootstrap, "max.request.size", 8 * 1024 * 1024);
    try (var producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      producer.send(record).get(30, TimeUnit.SECONDS);
    }
  }

  /** Creates {@code topic} with one partition unless it exists. */
  void createTopic(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
        throw e;
      }
    }
  }

  /** Calls the supervisor's HTTP API; returns status and body. */
  HttpResponse<String> http(String method, String path) throws IOException, InterruptedException {
    await().atMost(Duration.ofSeconds(30)).until(() -> supervisor.httpPort() > 0);
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + supervisor.httpPort() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  public static String header(ConsumerRecord<String, byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null
        ? null
        : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    supervisor.close();
  }
}
