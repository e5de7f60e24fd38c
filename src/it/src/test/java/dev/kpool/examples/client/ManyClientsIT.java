package dev.kpool.examples.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kpool.client.AsyncResult;
import dev.kpool.client.Pool;
import dev.kpool.client.PoolStats;
import dev.kpool.client.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Reply routing at scale: many clients at once, each reading only its own replies. */
@ClusterPool("client-many")
class ManyClientsIT {
  private static final Task<Integer, Integer> SQUARE = PoolMethodsIT.SQUARE;
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int CLIENTS = 20;
  private static final int MAP_ITEMS = 50;
  private static final int CHUNKSIZE = 5;
  private static final int APPLIES = 10;

  private static ClientCluster cluster;

  /** What one client sent, read, and found on its reply topic. */
  private record Run(Set<String> taskIds, PoolStats stats, Set<String> onReplyTopic) {}

  @Test
  void twentyConcurrentClientsEachReceiveExactlyTheirOwnReplies() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
    long started = System.nanoTime();
    try {
      List<Future<Run>> runs = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int base = c * 1_000;
        runs.add(threads.submit(() -> oneClient(base)));
      }
      for (Future<Run> future : runs) {
        Run run = future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        int own = MAP_ITEMS / CHUNKSIZE + APPLIES;
        assertEquals(own, run.taskIds().size());
        assertEquals(
            run.taskIds(), run.onReplyTopic(), "a reply topic holds its client's replies only");
        assertEquals(
            own, run.stats().repliesRead(), "a client reads its own replies and nothing else");
        assertEquals(0, run.stats().repliesIgnored());
      }
    } finally {
      threads.shutdownNow();
    }
    System.out.printf(
        "ManyClientsIT: %d clients x %d task records in %.1f s%n",
        CLIENTS, MAP_ITEMS / CHUNKSIZE + APPLIES, (System.nanoTime() - started) / 1e9);
  }

  private static Run oneClient(int base) {
    try (Pool pool = cluster.client().build()) {
      List<Integer> items = IntStream.range(base, base + MAP_ITEMS).boxed().toList();
      AsyncResult<List<Integer>> map = pool.mapAsync(SQUARE, items, CHUNKSIZE, null, null);
      List<AsyncResult<Integer>> applies = new ArrayList<>();
      for (int i = 0; i < APPLIES; i++) {
        applies.add(pool.applyAsync(SQUARE, base + 500 + i));
      }
      assertEquals(items.stream().map(x -> x * x).toList(), map.get(WAIT));
      for (int i = 0; i < APPLIES; i++) {
        int x = base + 500 + i;
        assertEquals(x * x, applies.get(i).get(WAIT));
      }
      Set<String> ids = new HashSet<>();
      IntStream.range(0, MAP_ITEMS / CHUNKSIZE).forEach(k -> ids.add(map.taskId() + ":" + k));
      applies.forEach(a -> ids.add(a.taskId()));
      Set<String> onTopic =
          cluster.replyRecords(pool.clientId()).stream()
              .map(ConsumerRecord::key)
              .collect(Collectors.toSet());
      return new Run(ids, pool.stats(), onTopic);
    }
  }
}
