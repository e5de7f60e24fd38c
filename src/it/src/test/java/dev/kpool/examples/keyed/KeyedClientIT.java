package dev.kpool.examples.keyed;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.AsyncResult;
import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.examples.local.KpoolHome;
import dev.kpool.examples.local.LocalCluster;
import dev.kpool.examples.local.SupervisorProcess;
import dev.kpool.examples.tasks.ExampleWorker.Take;
import dev.kpool.examples.tasks.ExampleWorker.Taken;
import dev.kpool.testkit.KafkaBrokerExtension;
import dev.kpool.testkit.KafkaTestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys from the client: ten read-modify-write tasks of one shared counter, submitted by a Pool
 * handle with the counter as their key, to four worker processes. On a pool with {@code
 * key-concurrency=1} they run one at a time and the counter ends exact; on a pool without the
 * limit the same calls run side by side, which the tasks' own timings show, and updates are lost.
 * One supervisor serves both pools.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KeyedClientIT {
  private static final String LIMITED = "kc-limited";
  private static final String FREE = "kc-free";
  private static final int WORKERS = 4;
  private static final int TAKES = 10;
  private static final Duration WAIT = Duration.ofSeconds(90);

  /** Every take of one counter file is keyed by that file. */
  private static final Task<Take, Taken> TAKE =
      Task.of("take", Take.class, Taken.class).keyedBy(Take::counter);

  private static SupervisorProcess supervisor;
  private static String bootstrap;

  @BeforeAll
  static void startSupervisor(KafkaTestBroker broker) throws Exception {
    bootstrap = broker.bootstrapServers();
    Map<String, String> props = LocalCluster.supervisorProperties(bootstrap, LIMITED, WORKERS);
    props.putAll(LocalCluster.supervisorProperties(bootstrap, FREE, WORKERS));
    props.put(LocalCluster.poolKey(LIMITED, "key-concurrency"), "1");
    supervisor =
        SupervisorProcess.start(
            KpoolHome.locate(), props, Path.of("target", "KeyedClientIT-supervisor.log"), WAIT);
    // Every worker idle first, so that the pool without the limit has four to run at once.
    await()
        .atMost(WAIT)
        .ignoreExceptions() // the HTTP server may not listen yet
        .until(
            () ->
                supervisor.workers(LIMITED, "IDLE") == WORKERS
                    && supervisor.workers(FREE, "IDLE") == WORKERS);
  }

  @AfterAll
  static void stopSupervisor() {
    if (supervisor != null) {
      assertEquals(0, supervisor.stop(Duration.ofSeconds(60)), "supervisor drains and exits 0");
    }
  }

  @Test
  void tenTakesOfOneKeyRunOneAtATimeAndLeaveTheExactValue(@TempDir Path dir) throws Exception {
    Path counter = counter(dir);
    List<Taken> takes = takeTenTimes(LIMITED, counter, 100);

    assertEquals("0", Files.readString(counter));
    assertEquals(1, maxOverlap(takes), "takes of one key overlapped: " + takes);
    assertEquals(
        LongStream.rangeClosed(1, TAKES).boxed().toList(),
        takes.stream().map(Taken::seen).sorted().toList(),
        "each take saw the value the one before it left");
  }

  @Test
  void withoutTheLimitTheSameTakesRunSideBySideAndLoseUpdates(@TempDir Path dir) throws Exception {
    Path counter = counter(dir);
    List<Taken> takes = takeTenTimes(FREE, counter, 300);

    assertTrue(maxOverlap(takes) >= 2, "takes of one key ran one at a time: " + takes);
    long distinct = takes.stream().map(Taken::seen).distinct().count();
    assertTrue(distinct < TAKES, "two takes read the same value: " + takes);
    assertTrue(
        Long.parseLong(Files.readString(counter)) > 0,
        "lost updates leave the counter above 0: " + Files.readString(counter));
  }

  private static Path counter(Path dir) throws Exception {
    Path counter = dir.resolve("counter");
    Files.writeString(counter, Integer.toString(TAKES));
    return counter;
  }

  /** Ten takes of {@code counter}, each waiting {@code millis} between its read and its write. */
  private static List<Taken> takeTenTimes(String pool, Path counter, long millis) {
    try (Pool client = Pool.builder().bootstrapServers(bootstrap).pool(pool).build()) {
      List<AsyncResult<Taken>> results = new ArrayList<>();
      for (int i = 0; i < TAKES; i++) {
        results.add(client.applyAsync(TAKE, new Take(counter.toString(), millis)));
      }
      return results.stream().map(r -> r.get(WAIT)).toList();
    }
  }

  /** The most takes running at one instant, as the workers timed them. */
  private static int maxOverlap(List<Taken> takes) {
    int max = 0;
    for (Taken t : takes) {
      int at =
          (int) takes.stream().filter(o -> o.start() <= t.start() && t.start() < o.end()).count();
      max = Math.max(max, at);
    }
    return max;
  }
}
