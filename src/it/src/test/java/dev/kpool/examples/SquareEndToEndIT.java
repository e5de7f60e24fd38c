package dev.kpool.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.AsyncResult;
import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.examples.local.KpoolHome;
import dev.kpool.examples.local.LocalCluster;
import dev.kpool.examples.local.SupervisorProcess;
import dev.kpool.testkit.KafkaBrokerExtension;
import dev.kpool.testkit.KafkaTestBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One task, end to end, for real: a client with only kpool-client submits to Kafka, a packaged
 * supervisor in its own JVM runs it on a worker OS process, and the reply comes back.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SquareEndToEndIT {
  private static final Task<Integer, Integer> SQUARE =
      Task.of("square", Integer.class, Integer.class);

  private static SupervisorProcess supervisor;
  private static String bootstrap;

  @BeforeAll
  static void startSupervisor(KafkaTestBroker broker) throws Exception {
    bootstrap = broker.bootstrapServers();
    supervisor =
        SupervisorProcess.start(
            KpoolHome.locate(),
            LocalCluster.supervisorProperties(bootstrap, 2),
            Path.of("target", "SquareEndToEndIT-supervisor.log"),
            Duration.ofSeconds(90));
  }

  @AfterAll
  static void stopSupervisor() {
    if (supervisor != null) {
      assertEquals(
          0, supervisor.stop(Duration.ofSeconds(60)), "supervisor drains and exits 0 on SIGTERM");
    }
  }

  @Test
  void squaresSevenOnAWorkerProcessAndRunsTheCallbackOnce() {
    AtomicInteger callbacks = new AtomicInteger();
    List<Integer> seen = new CopyOnWriteArrayList<>();
    AsyncResult<Integer> result;
    try (Pool pool = Pool.builder().bootstrapServers(bootstrap).pool("default").build()) {
      result =
          pool.applyAsync(
              SQUARE,
              7,
              r -> {
                seen.add(r);
                callbacks.incrementAndGet();
              },
              e -> callbacks.incrementAndGet());

      assertEquals(49, result.get(Duration.ofSeconds(60)));
      await().atMost(Duration.ofSeconds(10)).until(() -> callbacks.get() >= 1);
    } // close() waits for outstanding results and runs queued callbacks before returning
    assertEquals(1, callbacks.get(), "callback runs exactly once");
    assertEquals(List.of(49), seen);
    assertTrue(result.successful());

    long workerPid = result.workerPid();
    long supervisorPid = supervisor.handle().pid();
    assertNotEquals(0, workerPid);
    assertNotEquals(supervisorPid, workerPid, "ran outside the supervisor's JVM");
    assertNotEquals(ProcessHandle.current().pid(), workerPid, "ran outside the test JVM");
    assertEquals(
        supervisorPid,
        ProcessHandle.of(workerPid)
            .flatMap(ProcessHandle::parent)
            .map(ProcessHandle::pid)
            .orElse(-1L),
        "the worker is a child process of the supervisor");
  }

  @Test
  void mapsInItemOrderAcrossChunksThatDoNotDivideTheInput() {
    List<Integer> items = new ArrayList<>();
    for (int i = 0; i < 1_003; i++) {
      items.add(i);
    }
    try (Pool pool = Pool.builder().bootstrapServers(bootstrap).pool("default").build()) {
      List<Integer> squares = pool.map(SQUARE, items, 100, Duration.ofSeconds(120));
      assertEquals(items.size(), squares.size());
      for (int i = 0; i < items.size(); i++) {
        assertEquals(i * i, squares.get(i));
      }
    }
  }
}
