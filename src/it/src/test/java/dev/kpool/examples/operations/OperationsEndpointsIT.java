package dev.kpool.examples.operations;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.client.metrics.PoolMeterBinder;
import dev.kpool.examples.local.LocalCluster;
import dev.kpool.examples.supervision.PoolFixture;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.testkit.KafkaBrokerExtension;
import dev.kpool.testkit.KafkaTestBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The standard operations endpoints of a real supervisor: SmallRye Health (with the Kafka check
 * and one check per pool), the old probe paths, Prometheus metrics tagged by pool, and OpenAPI.
 * One supervisor, logging JSON lines, serves a healthy pool {@code ops} and a pool {@code opsbroken}
 * whose workers cannot start. The last test restarts it on the same broker and reads the dashboard's
 * history back.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsEndpointsIT {
  private static final Task<Long, Long> SLEEP = Task.of("sleep", Long.class, Long.class);
  private static final Task<String, String> SAY = Task.of("say", String.class, String.class);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static PoolFixture fixture;
  private static Map<String, String> props;

  @BeforeAll
  static void startSupervisor(KafkaTestBroker broker) throws Exception {
    props = new HashMap<>(PoolFixture.faultPool(broker.bootstrapServers(), "ops", 1));
    props.put(LocalCluster.poolKey("opsbroken", "command"), "false");
    props.put(LocalCluster.poolKey("opsbroken", "min-processes"), "1");
    props.put(LocalCluster.poolKey("opsbroken", "max-processes"), "1");
    props.put(LocalCluster.poolKey("opsbroken", "restart-intensity"), "1");
    props.put(LocalCluster.poolKey("opsbroken", "restart-backoff"), "60s");
    props.put("quarkus.log.console.json.enabled", "true");
    fixture = PoolFixture.start(broker.bootstrapServers(), "ops", props);
    await().atMost(Duration.ofSeconds(30)).until(() -> fixture.supervisor.httpPort() > 0);
  }

  @AfterAll
  static void stopSupervisor() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void readinessChecksKafkaAndEachPoolOnBothPaths() throws Exception {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> checks(get("/q/health/ready").body()).get("pool ops").equals("UP"));
    for (String path : new String[] {"/q/health/ready", "/health/ready"}) {
      HttpResponse<String> ready = get(path);
      Map<String, String> checks = checks(ready.body());
      assertEquals(
          503,
          ready.statusCode(),
          path + ": a pool without workers makes the supervisor not ready");
      assertEquals("UP", checks.get("kafka"), path + " " + ready.body());
      assertEquals("UP", checks.get("pool ops"), path + " " + ready.body());
      assertEquals("DOWN", checks.get("pool opsbroken"), path + " " + ready.body());
    }
    assertEquals(200, get("/q/health/live").statusCode());
    assertEquals(200, get("/health/live").statusCode());
  }

  @Test
  void metricsCountTasksByPoolAndOutcomeWithADurationHistogramAndTheClientTimesItsRoundTrip()
      throws Exception {
    SimpleMeterRegistry client = new SimpleMeterRegistry();
    try (Pool pool = fixture.clientBuilder().build()) {
      new PoolMeterBinder(pool).bindTo(client);
      assertEquals(5L, pool.apply(SLEEP, 5L, Duration.ofSeconds(60)));
    }
    assertEquals(1, client.get("kpool.client.round.trip").tag("pool", "ops").timer().count());
    assertEquals(200, get("/pools").statusCode()); // an application request, for the HTTP meters
    String metrics = get("/q/metrics").body();
    // Other tests run tasks on pool ops too, so counts are at least the one task run here.
    assertTrue(sample(metrics, "kpool_tasks_total{outcome=\"ok\",pool=\"ops\"}") >= 1, metrics);
    assertTrue(
        sample(metrics, "kpool_task_duration_seconds_count{outcome=\"ok\",pool=\"ops\"}") >= 1,
        metrics);
    assertTrue(
        sample(
                metrics,
                "kpool_task_duration_seconds{outcome=\"ok\",pool=\"ops\",quantile=\"0.99\"}")
            > 0,
        metrics);
    assertTrue(sample(metrics, "kpool_worker_starts_total{pool=\"ops\"}") >= 1, metrics);
    assertTrue(sample(metrics, "kpool_task_queue_wait_seconds_count{pool=\"ops\"}") >= 1, metrics);
    assertTrue(sample(metrics, "kpool_reply_write_seconds_count{pool=\"ops\"}") >= 1, metrics);
    // Present, though nothing here makes them count: gauges of now, no crash, retry or dead letter.
    sample(metrics, "kpool_workers{pool=\"ops\",state=\"idle\"}");
    sample(metrics, "kpool_tasks_in_flight{pool=\"ops\"}");
    sample(metrics, "kpool_tasks_queued{pool=\"ops\"}");
    sample(metrics, "kpool_worker_crashes_total{pool=\"ops\"}");
    sample(metrics, "kpool_worker_recycles_total{pool=\"ops\"}");
    sample(metrics, "kpool_task_queue_wait_seconds{pool=\"ops\",quantile=\"0.95\"}");
    sample(metrics, "kpool_task_retries_total{pool=\"ops\"}");
    sample(metrics, "kpool_dead_letters_total{pool=\"ops\",reason=\"crashed\"}");
    sample(metrics, "kpool_backlog_age_seconds{pool=\"ops\"}");
    // Quarkus's own JVM and HTTP meters come along.
    assertTrue(
        metrics.lines().anyMatch(line -> line.startsWith("jvm_memory_used_bytes{")), metrics);
    assertTrue(
        metrics
            .lines()
            .anyMatch(
                line ->
                    line.startsWith("http_server_requests_seconds_count{")
                        && line.contains("uri=\"/pools\"")),
        metrics);
    // Read in the background: a number once the first read is back, NaN before.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                get("/q/metrics")
                    .body()
                    .lines()
                    .anyMatch(line -> line.matches("kpool_backlog\\{pool=\"ops\"\\} \\d+\\.\\d+")));
  }

  @Test
  void logLinesAreJsonWhenAskedFor() throws Exception {
    List<String> lines = Files.readAllLines(fixture.supervisor.log());
    JsonNode started = null;
    for (String line : lines) {
      if (line.startsWith("{") && line.contains("supervisor started")) {
        started = ProtocolJson.mapper().readTree(line);
      }
    }
    assertTrue(started != null, "a JSON line says the supervisor started: " + lines);
    assertEquals("INFO", started.get("level").asText());
    assertEquals("dev.kpool.supervisor.Supervisor", started.get("loggerName").asText());
  }

  @Test
  void workerStderrLinesAreTaggedWithWorkerPidAndTask() throws Exception {
    String taskId;
    try (Pool pool = fixture.clientBuilder().build()) {
      var said = pool.applyAsync(SAY, "hello from the worker");
      assertEquals("hello from the worker", said.get(Duration.ofSeconds(60)));
      taskId = said.taskId();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Files.readAllLines(fixture.supervisor.log()).stream()
                    .anyMatch(line -> line.contains("hello from the worker")));
    JsonNode line = null;
    for (String text : Files.readAllLines(fixture.supervisor.log())) {
      if (text.startsWith("{") && text.contains("hello from the worker")) {
        line = ProtocolJson.mapper().readTree(text);
      }
    }
    assertTrue(
        line != null && line.get("message").asText().contains("task " + taskId),
        String.valueOf(line));
    assertEquals(taskId, line.get("mdc").get("task").asText(), line.toString());
    assertTrue(line.get("mdc").get("worker").asText().startsWith("ops-"), line.toString());
    assertTrue(line.get("mdc").has("pid"), line.toString());
  }

  @Test
  void openApiDescribesThePoolsApi() throws Exception {
    HttpResponse<String> openapi = get("/q/openapi?format=json");
    assertEquals(200, openapi.statusCode());
    JsonNode paths = ProtocolJson.mapper().readTree(openapi.body()).get("paths");
    assertTrue(paths.has("/pools"), openapi.body());
    assertTrue(paths.has("/pools/{pool}/dead-letters/{offset}/replay"), openapi.body());
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void theDashboardsHistoryIsReadBackFromKafkaAfterARestart() throws Exception {
    try (Pool pool = fixture.clientBuilder().build()) {
      for (long i = 0; i < 3; i++) {
        assertEquals(i, pool.apply(SLEEP, i, Duration.ofSeconds(60)));
      }
    }
    long ok = fixture.poolView().get("tasks").get("OK").asLong();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> tasksOk() >= ok); // its own snapshots, read back
    fixture.close();

    fixture = PoolFixture.start(fixture.bootstrap, "ops", props);
    await().atMost(Duration.ofSeconds(60)).until(() -> fixture.supervisor.httpPort() > 0);
    await().atMost(Duration.ofSeconds(30)).until(() -> tasksOk() >= ok);
    JsonNode history = ProtocolJson.mapper().readTree(get("/pools/ops/history").body());
    assertTrue(history.get("runs").asInt() >= 2, history.toString());
    long recent = 0;
    for (JsonNode sample : history.get("samples")) {
      recent += sample.get("tasks").asLong();
    }
    assertTrue(
        recent >= 3, "the tasks/s chart still shows the tasks run before the restart: " + history);
  }

  /**
   * The value of {@code series} (a name and its labels as Prometheus prints them) in {@code metrics}.
   *
   * @throws AssertionError if the series is not there
   */
  private static double sample(String metrics, String series) {
    return metrics
        .lines()
        .filter(line -> line.startsWith(series + " "))
        .mapToDouble(
            line -> Double.parseDouble(line.substring(series.length()).trim().split(" ")[0]))
        .findFirst()
        .orElseThrow(() -> new AssertionError(series + " is not among the metrics:\n" + metrics));
  }

  /** Tasks of pool ops ended OK, as its history says. */
  private static long tasksOk() throws Exception {
    return ProtocolJson.mapper()
        .readTree(get("/pools/ops/history").body())
        .path("tasks")
        .path("OK")
        .asLong();
  }

  private static Map<String, String> checks(String body) throws Exception {
    Map<String, String> checks = new HashMap<>();
    for (JsonNode check : ProtocolJson.mapper().readTree(body).get("checks")) {
      checks.put(check.get("name").asText(), check.get("status").asText());
    }
    return checks;
  }

  private static HttpResponse<String> get(String path) throws Exception {
    var request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + fixture.supervisor.httpPort() + path))
            .timeout(Duration.ofSeconds(30))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
