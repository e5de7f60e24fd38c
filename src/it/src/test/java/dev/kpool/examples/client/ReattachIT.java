package dev.kpool.examples.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.AsyncResult;
import dev.kpool.client.DetachedTask;
import dev.kpool.client.Pool;
import dev.kpool.client.PoolClosedException;
import dev.kpool.client.Task;
import dev.kpool.examples.fault.ChildJvm;
import dev.kpool.examples.local.KpoolHome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Durable handles: a client with a stable id goes away (closed, or killed with SIGKILL) while its
 * tasks run; the next run with the same id finds them and receives every result.
 */
@ClusterPool("client-reattach")
class ReattachIT {
  private static final Task<Integer, Integer> SQUARE = PoolMethodsIT.SQUARE;
  private static final Task<Long, Long> SLEEP = PoolMethodsIT.SLEEP;
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static ClientCluster cluster;

  private static String newClientId(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static List<Integer> squares(int n) {
    return IntStream.range(0, n).map(x -> x * x).boxed().toList();
  }

  @Test
  void aClosedClientsNextRunReceivesEveryResultIncludingThoseThatCameWhileItWasAway() {
    String clientId = newClientId("closed");
    Map<String, Long> naps = new LinkedHashMap<>();
    String mapId;
    try (Pool first =
        cluster.client().clientId(clientId).closeTimeout(Duration.ofMillis(200)).build()) {
      assertTrue(first.durable());
      // two long naps hold both workers, so that nothing can finish before close() gives up
      for (long nap : List.of(2_500L, 2_500L, 300L, 8_000L)) {
        naps.put(first.applyAsync(SLEEP, nap).taskId(), nap);
      }
      mapId =
          first.mapAsync(SQUARE, IntStream.range(0, 10).boxed().toList(), 3, null, null).taskId();
    }
    // while no client runs: both 2.5 s naps, the 300 ms nap and the 4 map chunks finish
    await().atMost(WAIT).until(() -> cluster.replies(clientId).size() >= 7);

    try (Pool second = cluster.client().clientId(clientId).build()) {
      List<DetachedTask> detached = second.detachedTasks();
      Set<String> expected = new java.util.HashSet<>(naps.keySet());
      expected.add(mapId);
      assertEquals(expected, detached.stream().map(DetachedTask::id).collect(Collectors.toSet()));
      Map<String, DetachedTask> byId =
          detached.stream().collect(Collectors.toMap(DetachedTask::id, d -> d));
      assertEquals(DetachedTask.Kind.MAP, byId.get(mapId).kind());
      assertEquals(10, byId.get(mapId).items());
      assertTrue(byId.get(mapId).ready(), "the map finished while no client ran");

      Map<String, AsyncResult<Long>> attached = new HashMap<>();
      naps.keySet().forEach(id -> attached.put(id, second.attach(SLEEP, id)));
      AsyncResult<List<Integer>> map = second.attachMap(SQUARE, mapId);
      assertTrue(second.detachedTasks().isEmpty(), "attached tasks are no longer detached");
      naps.forEach((id, nap) -> assertEquals(nap, attached.get(id).get(WAIT)));
      assertEquals(squares(10), map.get(WAIT));
      assertThrows(
          IllegalArgumentException.class,
          () -> second.attach(SLEEP, mapId),
          "a map is attached with attachMap");
    }

    try (Pool third = cluster.client().clientId(clientId).build()) {
      assertEquals(
          List.of(),
          third.detachedTasks(),
          "every result was received once; none is offered again");
    }
  }

  @Test
  void aKilledClientsNextRunReattachesToEveryTaskItSubmitted() throws Exception {
    String clientId = newClientId("killed");
    Process child =
        new ProcessBuilder(
                KpoolHome.java(),
                "-cp",
                ChildJvm.testClassPath(),
                DurableClientMain.class.getName(),
                cluster.bootstrap,
                cluster.pool,
                clientId)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<String> lines;
    try {
      lines = untilReady(child).get(60, TimeUnit.SECONDS);
    } finally {
      child.destroyForcibly(); // SIGKILL: no close, no final commit
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }
    Map<String, Long> naps = new HashMap<>();
    String mapId = null;
    for (String line : lines) {
      String[] words = line.split(" ");
      if (words[0].equals("apply")) {
        naps.put(words[1], Long.parseLong(words[2]));
      } else if (words[0].equals("map")) {
        mapId = words[1];
      }
    }
    assertEquals(3, naps.size(), "child said: " + lines);

    try (Pool next = cluster.client().clientId(clientId).build()) {
      Set<String> expected = new java.util.HashSet<>(naps.keySet());
      expected.add(mapId);
      assertEquals(
          expected,
          next.detachedTasks().stream().map(DetachedTask::id).collect(Collectors.toSet()));
      for (Map.Entry<String, Long> nap : naps.entrySet()) {
        assertEquals(nap.getValue(), next.attach(SLEEP, nap.getKey()).get(WAIT));
      }
      assertEquals(squares(20), next.attachMap(SQUARE, mapId).get(WAIT));
    }
    try (Pool after = cluster.client().clientId(clientId).build()) {
      assertEquals(List.of(), after.detachedTasks());
    }
  }

  @Test
  void attachingRefusesATaskThatIsNotDetachedOrAClientThatIsNotDurable() {
    try (Pool durable = cluster.client().clientId(newClientId("refuse")).build();
        Pool random = cluster.client().build()) {
      assertThrows(IllegalArgumentException.class, () -> durable.attach(SQUARE, "no-such-task"));
      assertThrows(IllegalStateException.class, () -> random.attach(SQUARE, "no-such-task"));
      assertEquals(List.of(), random.detachedTasks());
    }
  }

  @Test
  void aHandleThatCloseGaveUpOnStillFailsWithPoolClosedException() {
    String clientId = newClientId("gaveup");
    AsyncResult<Long> handle;
    try (Pool first =
        cluster.client().clientId(clientId).closeTimeout(Duration.ofMillis(100)).build()) {
      handle = first.applyAsync(SLEEP, 1_000L);
    }
    assertThrows(PoolClosedException.class, () -> handle.get(Duration.ofMillis(1)));
    try (Pool second = cluster.client().clientId(clientId).build()) {
      assertEquals(1_000L, second.attach(SLEEP, handle.taskId()).get(WAIT));
    }
  }

  /** The child's stdout lines up to {@code READY}. */
  private static CompletableFuture<List<String>> untilReady(Process child) {
    return CompletableFuture.supplyAsync(
        () -> {
          List<String> lines = new ArrayList<>();
          try (var out =
              new BufferedReader(
                  new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
              if (line.equals("READY")) {
                return lines;
              }
              lines.add(line);
            }
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
          throw new IllegalStateException("the durable client exited early: " + lines);
        });
  }
}
