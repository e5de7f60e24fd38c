package dev.kpool.examples.python;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.AsyncResult;
import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.client.TaskFailedException;
import dev.kpool.examples.local.KpoolHome;
import dev.kpool.examples.local.LocalCluster;
import dev.kpool.examples.local.SupervisorProcess;
import dev.kpool.testkit.KafkaBrokerExtension;
import dev.kpool.testkit.KafkaTestBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pools of Python worker processes, end to end: the square of multiprocessing's documentation. */
@ExtendWith(KafkaBrokerExtension.class)
class PythonPoolIT {
  private static final Task<Integer, Integer> SQUARE =
      Task.of("square", Integer.class, Integer.class);
  private static final Task<String, String> FAIL = Task.of("fail", String.class, String.class);
  private static final Duration WAIT = Duration.ofSeconds(120);

  private static Map<String, String> pythonPool(String bootstrap, String pool, int workers) {
    Map<String, String> props = LocalCluster.supervisorProperties(bootstrap, pool, workers);
    Path worker = KpoolHome.locate().root().resolve("src/python/examples/square_worker.py");
    props.put(LocalCluster.poolKey(pool, "command"), "python3,-u," + worker);
    return props;
  }

  private static SupervisorProcess start(Map<String, String> props, String name)
      throws IOException {
    return SupervisorProcess.start(
        KpoolHome.locate(),
        props,
        Path.of("target", name + "-supervisor.log"),
        Duration.ofSeconds(90));
  }

  @Test
  void mapsSquareOverPythonWorkerProcesses(KafkaTestBroker broker) throws Exception {
    String bootstrap = broker.bootstrapServers();
    try (SupervisorProcess supervisor =
            start(pythonPool(bootstrap, "py-squares", 2), "py-squares");
        Pool pool = Pool.builder().bootstrapServers(bootstrap).pool("py-squares").build()) {
      List<Integer> items = IntStream.range(0, 100).boxed().toList();
      assertEquals(items.stream().map(x -> x * x).toList(), pool.map(SQUARE, items, 7, WAIT));

      AsyncResult<Integer> one = pool.applyAsync(SQUARE, 12);
      assertEquals(144, one.get(WAIT));
      String command =
          ProcessHandle.of(one.workerPid()).flatMap(p -> p.info().command()).orElse("");
      assertTrue(command.contains("python"), "ran in a Python process: " + command);
      assertNotEquals(supervisor.handle().pid(), one.workerPid());

      var e = assertThrows(TaskFailedException.class, () -> pool.apply(FAIL, "bad input", WAIT));
      assertEquals("ValueError", e.remoteType());
      assertEquals("bad input", e.remoteMessage());
      assertTrue(e.remoteStack().contains("Traceback"), e.remoteStack());
    }
  }

  @Test
  void leavesNoZombieAfter150RecycledWorkers(KafkaTestBroker broker) throws Exception {
    String bootstrap = broker.bootstrapServers();
    int tasks = 150;
    Map<String, String> props = pythonPool(bootstrap, "py-zombies", 4);
    props.put(LocalCluster.poolKey("py-zombies", "max-tasks-per-child"), "1");
    try (SupervisorProcess supervisor = start(props, "py-zombies");
        Pool pool = Pool.builder().bootstrapServers(bootstrap).pool("py-zombies").build()) {
      List<AsyncResult<Integer>> results = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        results.add(pool.applyAsync(SQUARE, i));
      }
      for (int i = 0; i < tasks; i++) {
        assertEquals(i * i, results.get(i).get(WAIT));
      }
      long pids = results.stream().mapToLong(AsyncResult::workerPid).distinct().count();
      assertEquals(tasks, pids, "every task ran in a process of its own");

      long supervisorPid = supervisor.handle().pid();
      await().atMost(Duration.ofSeconds(10)).until(() -> zombieChildren(supervisorPid) == 0);
      assertTrue(
          supervisor.handle().children().count() <= 8,
          "only the live workers (and replacements) remain");
    }
  }

  /** Children of {@code parent} in state Z, read from /proc as ps would. */
  private static long zombieChildren(long parent) throws IOException {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .filter(
              p -> {
                try {
                  String status = Files.readString(p.resolve("status"));
                  return status.contains("\nPPid:\t" + parent + "\n")
                      && status.contains("\nState:\tZ");
                } catch (IOException e) {
                  return false; // exited while we looked
                }
              })
          .count();
    }
  }
}
