package dev.kpool.examples.stock;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.AsyncResult;
import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.examples.fault.TopicRecords;
import dev.kpool.examples.local.LocalCluster;
import dev.kpool.examples.supervision.PoolFixture;
import dev.kpool.examples.tasks.FaultWorker;
import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.Topics;
import dev.kpool.testkit.KafkaBrokerExtension;
import dev.kpool.testkit.KafkaTestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A pool under steady load scales from one supervisor to three and back to one: the new ones take
 * work as soon as they join, the two stopped with SIGTERM drain without cutting a run short, and
 * the client runs every task's callback exactly once. No task runs twice but where a record's lock
 * lapsed (the supervisors log each): a lapsed lock hands the record to another supervisor, which is
 * why execution is at least once. Runs and replies beyond one per task are printed.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ScaleOutIT {
  private static final Task<Long, Long> JOURNAL = Task.of("journal", Long.class, Long.class);
  private static final long TASK_MILLIS = 200;

  /** Twice what one supervisor's two workers run, two thirds of what three run. */
  private static final long SUBMIT_EVERY_MILLIS = 50;

  private static final int MAX_TASKS = 3_000;
  private static KafkaTestBroker broker;

  @Test
  void threeSupervisorsShareTheLoadAndTwoDrainWithoutCuttingARunShortOrLosingATask()
      throws Exception {
    String name = "scale";
    Path ledger = Path.of("target", "stock", name + ".ledger").toAbsolutePath();
    Files.createDirectories(ledger.getParent());
    Files.deleteIfExists(ledger);
    Map<String, String> props = PoolFixture.faultPool(broker.bootstrapServers(), name, 2);
    props.put(
        LocalCluster.poolKey(name, "environment." + FaultWorker.LEDGER_ENV), ledger.toString());
    List<AsyncResult<Long>> results = new CopyOnWriteArrayList<>();
    AtomicIntegerArray callbacks = new AtomicIntegerArray(MAX_TASKS);
    ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
    Map<Long, String> supervisorOfWorker = new HashMap<>();
    long started = System.nanoTime();
    try (PoolFixture first = PoolFixture.start(broker.bootstrapServers(), name, props);
        Pool client = first.clientBuilder().build()) {
      first.workerPids().forEach(pid -> supervisorOfWorker.put(pid, "first"));
      load.scheduleAtFixedRate(
          () -> {
            int i = results.size();
            if (i < MAX_TASKS) {
              results.add(
                  client.applyAsync(
                      JOURNAL,
                      TASK_MILLIS,
                      r -> callbacks.incrementAndGet(i),
                      e -> callbacks.incrementAndGet(i)));
            }
          },
          0,
          SUBMIT_EVERY_MILLIS,
          TimeUnit.MILLISECONDS);
      await().atMost(Duration.ofSeconds(60)).until(() -> done(results) >= 40);

      CompletableFuture<PoolFixture> second =
          CompletableFuture.supplyAsync(() -> start(name, props));
      CompletableFuture<PoolFixture> third =
          CompletableFuture.supplyAsync(() -> start(name, props));
      try (PoolFixture b = second.get(120, TimeUnit.SECONDS);
          PoolFixture c = third.get(120, TimeUnit.SECONDS)) {
        double scaledOutAt = seconds(started);
        b.workerPids().forEach(pid -> supervisorOfWorker.put(pid, "second"));
        c.workerPids().forEach(pid -> supervisorOfWorker.put(pid, "third"));
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  Map<String, Long> ran = endsBySupervisor(ledger, supervisorOfWorker);
                  return ran.getOrDefault("second", 0L) >= 10
                      && ran.getOrDefault("third", 0L) >= 10;
                });
        double scaleInAt = seconds(started);
        // SIGTERM two at once, the first one among them: both drain while the third serves on
        CompletableFuture<Integer> firstStops =
            CompletableFuture.supplyAsync(() -> first.supervisor.stop(Duration.ofSeconds(90)));
        CompletableFuture<Integer> secondStops =
            CompletableFuture.supplyAsync(() -> b.supervisor.stop(Duration.ofSeconds(90)));
        assertEquals(0, firstStops.get(120, TimeUnit.SECONDS), "the first drained");
        assertEquals(0, secondStops.get(120, TimeUnit.SECONDS), "the second drained");
        double drainedAt = seconds(started);
        int doneAtScaleIn = done(results);
        await().atMost(Duration.ofSeconds(60)).until(() -> done(results) >= doneAtScaleIn + 40);
        load.shutdown();
        assertTrue(load.awaitTermination(10, TimeUnit.SECONDS));
        for (AsyncResult<Long> result : results) {
          assertEquals(TASK_MILLIS, result.get(Duration.ofSeconds(120)));
        }
        double finishedAt = seconds(started);

        Map<String, Long> replies =
            TopicRecords.readAll(broker.bootstrapServers(), Topics.replies(client.clientId()))
                .stream()
                .filter(r -> r.headers().lastHeader(HeaderNames.STATUS) != null)
                .map(r -> PoolFixture.header(r, HeaderNames.ID))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        List<String> lines = Files.readAllLines(ledger);
        Map<String, Long> startsByTask =
            lines.stream()
                .filter(l -> l.split(" ")[1].equals("start"))
                .collect(Collectors.groupingBy(l -> l.split(" ")[0], Collectors.counting()));
        Map<String, Long> ran = endsBySupervisor(ledger, supervisorOfWorker);
        Map<String, Long> endsByTask =
            lines.stream()
                .filter(l -> l.split(" ")[1].equals("end"))
                .collect(Collectors.groupingBy(l -> l.split(" ")[0], Collectors.counting()));
        long ranTwice = startsByTask.values().stream().filter(n -> n > 1).count();
        long repliedTwice = replies.values().stream().filter(n -> n > 1).count();
        int lapses =
            lockLapses(List.of(first.supervisor.log(), b.supervisor.log(), c.supervisor.log()));
        System.out.printf(
            "scenario=scale-1-3-1 tasks=%d ran_by=%s ran_twice=%d replied_twice=%d lock_lapses=%d "
                + "scaled_out_at_s=%.1f scale_in_at_s=%.1f drained_at_s=%.1f finished_at_s=%.1f%n",
            results.size(),
            ran,
            ranTwice,
            repliedTwice,
            lapses,
            scaledOutAt,
            scaleInAt,
            drainedAt,
            finishedAt);
        for (AsyncResult<Long> result : results) {
          String id = result.taskId();
          if (startsByTask.getOrDefault(id, 0L) != 1 || replies.getOrDefault(id, 0L) != 1) {
            System.out.println(
                "task "
                    + id
                    + " replies "
                    + replies.get(id)
                    + " runs "
                    + lines.stream()
                        .filter(l -> l.startsWith(id))
                        .map(
                            l ->
                                l
                                    + " on "
                                    + supervisorOfWorker.get(Long.parseLong(l.split(" ")[3])))
                        .toList());
          }
          assertTrue(replies.getOrDefault(id, 0L) >= 1, "replied: " + id);
          assertEquals(
              startsByTask.get(id), endsByTask.get(id), "no drain cut a run of " + id + " short");
        }
        // the callbacks of the last results may still be on their way when get() returns
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> called(callbacks, results.size()) == results.size());
        for (int i = 0; i < results.size(); i++) {
          assertEquals(1, callbacks.get(i), "callbacks of " + results.get(i).taskId());
        }
        assertTrue(
            ranTwice <= lapses,
            ranTwice + " tasks ran twice, but only " + lapses + " locks lapsed");
        for (String supervisor : List.of("first", "second", "third")) {
          assertTrue(ran.getOrDefault(supervisor, 0L) > 0, supervisor + " ran tasks: " + ran);
        }
      }
    } finally {
      load.shutdownNow();
    }
  }

  private static PoolFixture start(String name, Map<String, String> props) {
    try {
      return PoolFixture.start(broker.bootstrapServers(), name, props);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int done(List<AsyncResult<Long>> results) {
    return (int) new ArrayList<>(results).stream().filter(AsyncResult::ready).count();
  }

  private static int called(AtomicIntegerArray callbacks, int tasks) {
    int n = 0;
    for (int i = 0; i < tasks; i++) {
      n += callbacks.get(i) > 0 ? 1 : 0;
    }
    return n;
  }

  /**
   * Records whose lock lapsed while a supervisor held them, as the supervisors' logs tell: a
   * renewal that did not come back within a lock, or records that waited in a consumer's buffer
   * and could not be relocked (one line for several).
   */
  private static int lockLapses(List<Path> logs) throws java.io.IOException {
    Pattern notRelocked =
        Pattern.compile(
            ": (\\d+) of \\d+ records that waited in the consumer's buffer were not relocked");
    int lapses = 0;
    for (Path log : logs) {
      for (String line : Files.readAllLines(log)) {
        Matcher m = notRelocked.matcher(line);
        if (m.find()) {
          lapses += Integer.parseInt(m.group(1));
        } else if (line.contains("did not come back within a lock")) {
          lapses++;
        }
      }
    }
    return lapses;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  /** Completed runs by the supervisor whose worker ran them, from the ledger's end lines. */
  private static Map<String, Long> endsBySupervisor(
      Path ledger, Map<Long, String> supervisorOfWorker) throws java.io.IOException {
    if (!Files.exists(ledger)) {
      return Map.of();
    }
    return Files.readAllLines(ledger).stream()
        .map(l -> l.split(" "))
        .filter(p -> p[1].equals("end"))
        .collect(
            Collectors.groupingBy(
                p -> supervisorOfWorker.getOrDefault(Long.parseLong(p[3]), "unknown"),
                Collectors.counting()));
  }
}
