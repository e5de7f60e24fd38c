package dev.kpool.examples.fault;

import static org.awaitility.Awaitility.await;

import dev.kpool.protocol.HeaderNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What one scenario submitted and what became of it, measured rather than assumed: callbacks are
 * counted as they run, replies and dead letters are read back from Kafka, and executions from the
 * ledger that the {@code ledger} task appends to. Thread-safe.
 */
final class ScenarioTally {
  private final String scenario;
  private final String[] ids;
  private final AtomicIntegerArray callbacks;
  private final Queue<Long> callbackTimes = new ConcurrentLinkedQueue<>();
  // Callbacks per task when the client crashed, or null if it did not.
  private volatile int[] beforeCrash;

  /** A tally of tasks numbered 0 to {@code size - 1}. */
  ScenarioTally(String scenario, int size) {
    this.scenario = scenario;
    this.ids = new String[size];
    this.callbacks = new AtomicIntegerArray(size);
  }

  /** Records that task {@code i} was submitted with {@code taskId}. */
  synchronized void submitted(int i, String taskId) {
    ids[i] = taskId;
  }

  /** The task id that task {@code i} was submitted with. */
  synchronized String idOf(int i) {
    return ids[i];
  }

  /**
   * The number of the task submitted with {@code taskId}.
   *
   * @throws IllegalArgumentException if no task was
   */
  synchronized int indexOf(String taskId) {
    for (int i = 0; i < ids.length; i++) {
      if (taskId.equals(ids[i])) {
        return i;
      }
    }
    throw new IllegalArgumentException("not a task of " + scenario + ": " + taskId);
  }

  /** Counts one callback (success or error) of task {@code i}. */
  void callback(int i) {
    callbacks.incrementAndGet(i);
    callbackTimes.add(System.nanoTime());
  }

  /** The longest time between two callbacks so far, from the first to the last. */
  Duration longestGap() {
    long[] times = callbackTimes.stream().mapToLong(Long::longValue).sorted().toArray();
    long longest = 0;
    for (int i = 1; i < times.length; i++) {
      longest = Math.max(longest, times[i] - times[i - 1]);
    }
    return Duration.ofNanos(longest);
  }

  /**
   * Marks that the client was killed: from now on, a task's callback may run once more in the next
   * run, since a durable client's journal is at least once across a crash (docs/guarantees.md).
   * Each run must still call it at most once, and the two together at least once.
   */
  void clientCrashed() {
    int[] counts = new int[callbacks.length()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = callbacks.get(i);
    }
    beforeCrash = counts;
  }

  /** A callback, usable as success and as error callback, that counts for task {@code i}. */
  Consumer<Object> callbackOf(int i) {
    return ignored -> callback(i);
  }

  /** Tasks whose callback has run at least once. */
  int called() {
    int n = 0;
    for (int i = 0; i < callbacks.length(); i++) {
      n += callbacks.get(i) > 0 ? 1 : 0;
    }
    return n;
  }

  /** Waits until every task's callback ran. */
  void awaitCallbacks(Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> called() == callbacks.length());
  }

  /**
   * Counts the scenario from what Kafka holds and the ledger says.
   *
   * @param replies the client's reply-topic records (journal records are skipped)
   * @param deadLetters the pool's dead-letter records
   * @param ledger the file the {@code ledger} task appended to
   */
  ScenarioCounts count(
      List<ConsumerRecord<String, byte[]>> replies,
      List<ConsumerRecord<String, byte[]>> deadLetters,
      Path ledger)
      throws IOException {
    Set<String> submitted = submittedIds();
    Set<String> replied = idsOf(replies, HeaderNames.STATUS);
    replied.retainAll(submitted);
    Set<String> dead = idsOf(deadLetters, null);
    dead.retainAll(submitted);
    Set<String> settled = new HashSet<>(replied);
    settled.addAll(dead);
    Map<String, Integer> runs = new HashMap<>();
    if (Files.exists(ledger)) {
      for (String line : Files.readAllLines(ledger, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          runs.merge(line.split(" ")[0], 1, Integer::sum);
        }
      }
    }
    int calls = 0;
    int faults = 0;
    int again = 0;
    int[] before = beforeCrash;
    for (int i = 0; i < callbacks.length(); i++) {
      int all = callbacks.get(i);
      calls += all;
      if (before == null) {
        faults += all == 1 ? 0 : 1;
      } else {
        int after = all - before[i];
        faults += all >= 1 && before[i] <= 1 && after <= 1 ? 0 : 1;
        again += before[i] == 1 && after == 1 ? 1 : 0;
      }
    }
    int twice =
        (int)
            runs.entrySet().stream()
                .filter(e -> submitted.contains(e.getKey()) && e.getValue() > 1)
                .count();
    int lost = (int) submitted.stream().filter(id -> !settled.contains(id)).count();
    return new ScenarioCounts(
        scenario,
        ids.length,
        replied.size(),
        calls,
        dead.size(),
        twice,
        lost,
        faults,
        before == null ? -1 : again);
  }

  private synchronized Set<String> submittedIds() {
    Set<String> known = new HashSet<>();
    for (String id : ids) {
      if (id == null) {
        throw new IllegalStateException(
            "a task of " + scenario + " was counted but never submitted");
      }
      known.add(id);
    }
    return known;
  }

  /** Task ids of the records that carry {@code requiredHeader} (all records if null). */
  private static Set<String> idsOf(
      List<ConsumerRecord<String, byte[]>> records, String requiredHeader) {
    Set<String> ids = new HashSet<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      if (requiredHeader != null && record.headers().lastHeader(requiredHeader) == null) {
        continue;
      }
      var id = record.headers().lastHeader(HeaderNames.ID);
      ids.add(id == null ? record.key() : new String(id.value(), StandardCharsets.UTF_8));
    }
    return ids;
  }
}
