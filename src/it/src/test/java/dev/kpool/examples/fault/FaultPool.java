package dev.kpool.examples.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kpool.client.AsyncResult;
import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.examples.local.LocalCluster;
import dev.kpool.examples.supervision.PoolFixture;
import dev.kpool.examples.tasks.FaultWorker;
import dev.kpool.protocol.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One scenario's pool: supervisor settings for fault workers that write the ledger, the ledger
 * file, and the last steps every scenario shares (submit, count, print, assert).
 */
final class FaultPool {
  static final Task<Long, Long> LEDGER = Task.of("ledger", Long.class, Long.class);

  final String bootstrap;
  final String name;
  final Path ledger;
  final Map<String, String> props;

  /**
   * A pool {@code fault-<scenario>} of {@code workers} fault workers with a fresh ledger. Restarts
   * are not rate-limited (the scenarios kill workers on purpose) and the task timeout is short, so
   * that a record held by a killed supervisor comes back within 2 × 5 s + 30 s.
   */
  FaultPool(String bootstrap, String scenario, int workers) throws IOException {
    this.bootstrap = bootstrap;
    this.name = "fault-" + scenario;
    this.ledger = Path.of("target", "fault", name + ".ledger").toAbsolutePath();
    Files.createDirectories(ledger.getParent());
    Files.deleteIfExists(ledger);
    this.props = PoolFixture.faultPool(bootstrap, name, workers);
    props.put(key("environment." + FaultWorker.LEDGER_ENV), ledger.toString());
    props.put(key("restart-intensity"), "1000000");
    props.put(key("task-timeout"), "5s");
  }

  String key(String key) {
    return LocalCluster.poolKey(name, key);
  }

  PoolFixture startSupervisor() throws IOException {
    return PoolFixture.start(bootstrap, name, props);
  }

  Pool.Builder client() {
    return Pool.builder().bootstrapServers(bootstrap).pool(name);
  }

  /** Submits {@code ledger} tasks {@code from} to {@code to - 1}, each napping {@code napMillis}. */
  static void submit(Pool pool, ScenarioTally tally, int from, int to, long napMillis) {
    for (int i = from; i < to; i++) {
      AsyncResult<Long> handle =
          pool.applyAsync(LEDGER, napMillis, tally.callbackOf(i), tally.callbackOf(i));
      tally.submitted(i, handle.taskId());
    }
  }

  /**
   * Counts the scenario from Kafka and the ledger, prints its line and asserts that nothing was
   * lost and that every callback ran exactly once (after a client crash, at most once in each run).
   */
  ScenarioCounts finish(ScenarioTally tally, String clientId) throws IOException {
    return finish(tally, List.of(clientId));
  }

  /** As {@link #finish(ScenarioTally, String)}, for tasks submitted by several clients. */
  ScenarioCounts finish(ScenarioTally tally, List<String> clientIds) throws IOException {
    List<ConsumerRecord<String, byte[]>> replies = new ArrayList<>();
    for (String clientId : clientIds) {
      replies.addAll(TopicRecords.readAll(bootstrap, Topics.replies(clientId)));
    }
    ScenarioCounts counts =
        tally.count(replies, TopicRecords.readAll(bootstrap, Topics.deadLetters(name)), ledger);
    System.out.println(counts.line());
    // one file for the whole suite, so that a CI log can show every scenario's line together
    Files.writeString(
        ledger.resolveSibling("scenarios.txt"),
        counts.line() + System.lineSeparator(),
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    assertEquals(0, counts.lost(), counts.line());
    assertEquals(
        0,
        counts.callbackFaults(),
        "tasks whose callback did not run exactly once (in each run of a crashed client): "
            + counts.line());
    assertEquals(
        counts.submitted() + Math.max(0, counts.calledAgainAfterCrash()),
        counts.callbacks(),
        counts.line());
    return counts;
  }
}
