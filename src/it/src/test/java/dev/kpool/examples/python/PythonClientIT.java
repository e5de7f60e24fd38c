package dev.kpool.examples.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.client.TaskFailedException;
import dev.kpool.examples.local.KpoolHome;
import dev.kpool.examples.local.LocalCluster;
import dev.kpool.examples.local.SupervisorProcess;
import dev.kpool.testkit.KafkaBrokerExtension;
import dev.kpool.testkit.KafkaTestBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python client (src/python) against a real broker and supervisor: its examples print what
 * the same code prints on multiprocessing.Pool, and it interoperates with the Java client and SDK
 * both ways. One supervisor serves every test: a pool of the examples' Python worker, a keyed one
 * of it (key-concurrency 1) and a pool of Java workers.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PythonClientIT {
  private static final String TUTORIAL = "py-tutorial";
  private static final String COUNTER = "py-counter";
  private static final String JAVA = "py-java";
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static SupervisorProcess supervisor;
  private static String bootstrap;

  @BeforeAll
  static void startSupervisor(KafkaTestBroker broker) throws Exception {
    bootstrap = broker.bootstrapServers();
    String worker =
        "python3,-u," + PythonScript.root().resolve("src/python/examples/tutorial_tasks.py");
    Map<String, String> props = LocalCluster.supervisorProperties(bootstrap, JAVA, 1);
    props.put(LocalCluster.poolKey(TUTORIAL, "command"), worker);
    props.put(LocalCluster.poolKey(TUTORIAL, "min-processes"), "2");
    props.put(LocalCluster.poolKey(TUTORIAL, "max-processes"), "2");
    props.put(LocalCluster.poolKey(COUNTER, "command"), worker);
    props.put(LocalCluster.poolKey(COUNTER, "min-processes"), "2");
    props.put(LocalCluster.poolKey(COUNTER, "max-processes"), "2");
    props.put(LocalCluster.poolKey(COUNTER, "key-concurrency"), "1");
    supervisor =
        SupervisorProcess.start(
            KpoolHome.locate(),
            props,
            Path.of("target", "python-client-supervisor.log"),
            Duration.ofSeconds(90));
  }

  @AfterAll
  static void stopSupervisor() {
    if (supervisor != null) {
      supervisor.close();
    }
  }

  private static Map<String, String> env(String pool) {
    return Map.of("KPOOL_BOOTSTRAP_SERVERS", bootstrap, "KPOOL_POOL", pool);
  }

  @Test
  void examplesPrintWhatMultiprocessingPoolPrints(@TempDir Path dir) throws Exception {
    for (String example : List.of("square_map.py", "apply_callback.py", "follow_ups.py")) {
      String script = "examples/" + example;
      assertEquals(
          PythonScript.run(Map.of(), script, "--stdlib"),
          PythonScript.run(env(TUTORIAL), script),
          example);
    }
    String counter = dir.resolve("counter").toString();
    assertEquals(
        "10", PythonScript.run(Map.of(), "examples/keyed_counter.py", counter, "--stdlib"));
    assertEquals(
        "10",
        PythonScript.run(env(COUNTER), "examples/keyed_counter.py", counter),
        "one key on a key-concurrency=1 pool: no increment is lost");
  }

  @Test
  void pythonClientDrivesJavaWorkers() throws Exception {
    JsonNode out = JSON.readTree(PythonScript.run(env(JAVA), "tests/interop_client.py"));
    List<Integer> squares = IntStream.range(0, 10).map(x -> x * x).boxed().toList();
    assertEquals(JSON.valueToTree(squares), out.get("map"));
    assertEquals(JSON.valueToTree(squares.subList(0, 5)), out.get("imap"));
    assertEquals(5, out.get("add").asInt());
    assertEquals(JSON.valueToTree(List.of(3, 7)), out.get("starmap"));
    assertEquals(JSON.readTree("{\"x\":2,\"y\":1}"), out.get("mirror"));
    JsonNode error = out.get("error");
    assertTrue(error.get("type").asText().endsWith("IllegalArgumentException"), error.toString());
    assertEquals("bad input", error.get("message").asText());
    assertTrue(error.get("stack").asText().contains("at "), error.toString());
  }

  @Test
  void javaClientDrivesPythonWorkers() throws Exception {
    Task<Integer, Integer> square = Task.of("square", Integer.class, Integer.class);
    @SuppressWarnings("rawtypes")
    Task<List, List> children = Task.of("children", List.class, List.class);
    try (Pool pool = Pool.builder().bootstrapServers(bootstrap).pool(TUTORIAL).build()) {
      List<Integer> items = IntStream.range(0, 50).boxed().toList();
      assertEquals(items.stream().map(x -> x * x).toList(), pool.map(square, items, 7, WAIT));
      // children(n, limit) takes two parameters: the Java client's list arrives spread over them
      assertEquals(List.of(6, 7), pool.apply(children, List.of(3, 10), WAIT));
      TaskFailedException e =
          assertThrows(TaskFailedException.class, () -> pool.apply(square, null, WAIT));
      assertEquals("TypeError", e.remoteType());
      assertNotEquals("", e.remoteStack());
    }
  }

  @Test
  void durableClientReattachesInALaterProcess() throws Exception {
    String clientId = "py-durable-" + ProcessHandle.current().pid();
    JsonNode submitted =
        JSON.readTree(
            PythonScript.run(env(TUTORIAL), "tests/durable_client.py", "submit", clientId));
    JsonNode out =
        JSON.readTree(
            PythonScript.run(env(TUTORIAL), "tests/durable_client.py", "attach", clientId));
    String apply = submitted.get("apply").asText();
    String map = submitted.get("map").asText();
    assertEquals("APPLY", out.get("detached").get(apply).asText());
    assertEquals("MAP", out.get("detached").get(map).asText());
    assertEquals(81, out.get("results").get(apply).asInt());
    assertEquals(
        JSON.valueToTree(IntStream.range(0, 10).map(x -> x * x).boxed().toList()),
        out.get("results").get(map));
    assertEquals(0, out.get("left").size(), "settled calls are not offered again");
  }
}
