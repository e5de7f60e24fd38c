package dev.kpool.examples.stock;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.AsyncResult;
import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.devbroker.EmbeddedKafkaBroker;
import dev.kpool.examples.fault.TopicRecords;
import dev.kpool.examples.local.LocalCluster;
import dev.kpool.examples.supervision.PoolFixture;
import dev.kpool.examples.tasks.FaultWorker;
import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Supervisors against a broker with Kafka's stock settings (nothing kpool-specific: no raised
 * share-group lock cap, no lowered floors) and the pool's default record lock. The tests use pools
 * of their own and spend most of their time waiting on long tasks, so they run side by side.
 */
@Execution(ExecutionMode.CONCURRENT)
class StockKafkaIT {
  private static final Task<Long, Long> LEDGER = Task.of("ledger", Long.class, Long.class);

  /** Returns {@code [start millis, end millis, worker pid]} of its run. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final Task<Long, List<Long>> SPAN = (Task) Task.of("span", Long.class, List.class);

  private static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedKafkaBroker.builder().stockSettings().build().start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  private static Map<String, String> pool(String name, int workers, Path ledger) {
    Map<String, String> props = PoolFixture.faultPool(broker.bootstrapServers(), name, workers);
    props.put(
        LocalCluster.poolKey(name, "environment." + FaultWorker.LEDGER_ENV), ledger.toString());
    return props;
  }

  private static Path ledger(String name) throws Exception {
    Path ledger = Path.of("target", "stock", name + ".ledger").toAbsolutePath();
    Files.createDirectories(ledger.getParent());
    Files.deleteIfExists(ledger);
    return ledger;
  }

  @Test
  void aTaskLongerThanTheStockBrokersLockCapRunsOnceToOneReply() throws Exception {
    String name = "stock-long";
    Path ledger = ledger(name);
    long millis = 65_000; // past group.share.max.record.lock.duration.ms, 60 s on a stock broker
    try (PoolFixture supervisor =
            PoolFixture.start(broker.bootstrapServers(), name, pool(name, 2, ledger));
        Pool client = supervisor.clientBuilder().build()) {
      long started = System.nanoTime();
      AsyncResult<Long> result = client.applyAsync(LEDGER, millis);
      assertEquals(millis, result.get(Duration.ofSeconds(180)));
      System.out.printf(
          "stock broker: a %d s task replied after %d s%n",
          millis / 1000, Duration.ofNanos(System.nanoTime() - started).toSeconds());

      // Once the share group counts nothing unacknowledged, the accept has landed and the broker
      // can never deliver the record again: a lost accept would leave it pending instead.
      await()
          .atMost(Duration.ofSeconds(40))
          .until(() -> supervisor.backlog().get("unacknowledged").asLong() == 0);
      assertEquals(1, runsOf(ledger, result), "ran once, never redelivered");
      assertEquals(1, repliesByTask(client.clientId()).getOrDefault(result.taskId(), 0L));
    }
  }

  /**
   * Two supervisors serve a pool; the one running tasks is SIGKILLed mid-run. Its records come back
   * when the broker notices the dead consumer or, at the latest, when their default 20 s lock
   * lapses. Measured: from the kill to the start of the last of its tasks on the survivor.
   */
  @Test
  void theTasksOfASigkilledSupervisorRunElsewhereWithinThirtySecondsAndEachRepliesOnce()
      throws Exception {
    String name = "stock-kill";
    Map<String, String> props = pool(name, 3, ledger(name));
    int tasks = 3;
    long millis = 10_000;
    try (PoolFixture first = PoolFixture.start(broker.bootstrapServers(), name, props);
        PoolFixture second = PoolFixture.start(broker.bootstrapServers(), name, props);
        Pool client = first.clientBuilder().build()) {
      List<AsyncResult<List<Long>>> results = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        results.add(client.applyAsync(SPAN, millis));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> busy(first) + busy(second) == tasks);
      // the survivor has a free worker for each task the victim runs
      PoolFixture victim = busy(first) >= busy(second) ? first : second;
      PoolFixture survivor = victim == first ? second : first;
      int held = busy(victim);
      long killedAt = System.currentTimeMillis();
      victim.supervisor.kill();

      long lastRestart = killedAt;
      int restarted = 0;
      for (AsyncResult<List<Long>> result : results) {
        List<Long> span = result.get(Duration.ofSeconds(120));
        if (span.get(0) > killedAt) {
          restarted++;
          lastRestart = Math.max(lastRestart, span.get(0));
        }
      }
      double recoveredAfter = (lastRestart - killedAt) / 1000.0;
      System.out.printf(
          "scenario=supervisor-kill held=%d restarted=%d recovered_after_s=%.1f%n",
          held, restarted, recoveredAfter);
      assertEquals(held, restarted, "every task the dead supervisor ran started again elsewhere");
      assertTrue(recoveredAfter < 30, "recovered after " + recoveredAfter + " s");
      Map<String, Long> replies = repliesByTask(client.clientId());
      for (AsyncResult<List<Long>> result : results) {
        assertEquals(1L, replies.get(result.taskId()), "one reply for " + result.taskId());
      }
      assertFalse(victim.supervisor.handle().isAlive());
      assertTrue(survivor.supervisor.handle().isAlive());
    }
  }

  private static long runsOf(Path ledger, AsyncResult<?> result) throws java.io.IOException {
    return Files.readAllLines(ledger).stream()
        .filter(line -> line.startsWith(result.taskId() + " "))
        .count();
  }

  private static int busy(PoolFixture supervisor) throws Exception {
    return supervisor.poolView().get("workers").get("BUSY").asInt();
  }

  /** Replies (records with a status) per task id. */
  private static Map<String, Long> repliesByTask(String clientId) {
    return TopicRecords.readAll(broker.bootstrapServers(), Topics.replies(clientId)).stream()
        .filter(record -> record.headers().lastHeader(HeaderNames.STATUS) != null)
        .map(record -> PoolFixture.header(record, HeaderNames.ID))
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }
}
