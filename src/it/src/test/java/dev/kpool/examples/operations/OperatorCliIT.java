package dev.kpool.examples.operations;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpool.cli.KpoolCli;
import dev.kpool.examples.supervision.PoolFixture;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.testkit.KafkaBrokerExtension;
import dev.kpool.testkit.KafkaTestBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each subcommand of {@code ./kpool}, run against a real supervisor and Kafka. */
@ExtendWith(KafkaBrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorCliIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static PoolFixture fixture;
  private static String url;

  /** One run of the CLI: its exit status and what it printed. */
  record Run(int status, String out, String err) {
    JsonNode json() throws Exception {
      return ProtocolJson.mapper().readTree(out);
    }
  }

  @BeforeAll
  static void startSupervisor(KafkaTestBroker broker) throws Exception {
    // Retried runs: a task that fails them all is dead-lettered (with one run it is only replied).
    Map<String, String> props = PoolFixture.retryingFaultPool(broker.bootstrapServers(), "cli", 1);
    fixture = PoolFixture.start(broker.bootstrapServers(), "cli", props);
    await().atMost(WAIT).until(() -> fixture.supervisor.httpPort() > 0);
    url = "http://127.0.0.1:" + fixture.supervisor.httpPort();
  }

  @AfterAll
  static void stopSupervisor() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  @Order(1)
  void submitPrintsTheResultAndPoolsAndWorkersShowThePool() throws Exception {
    Run submit = kafka("submit", "cli", "square", "7");
    assertEquals(0, submit.status(), submit.err());
    assertEquals(49, submit.json().get("result").asInt(), submit.out());

    Run pools = supervisor("pools");
    assertEquals(0, pools.status(), pools.err());
    assertTrue(pools.out().startsWith("POOL"), pools.out());
    assertTrue(
        pools.out().lines().anyMatch(line -> line.startsWith("cli ") && line.contains("RUNNING")),
        pools.out());
    JsonNode json = supervisor("pools", "--json").json();
    assertTrue(json.get(0).get("tasks").get("OK").asLong() >= 1, json.toString());

    Run workers = supervisor("workers", "cli");
    assertEquals(2, workers.out().lines().count(), "a header and the one worker: " + workers.out());
    long pid = supervisor("workers", "cli", "--json").json().get(0).get("pid").asLong();
    assertTrue(
        fixture.workerPids().contains(pid), "the listed pid is a live worker of the supervisor");

    Run backlog = supervisor("backlog", "cli");
    assertEquals(0, backlog.status(), backlog.err());
    assertTrue(
        backlog.out().startsWith("POOL")
            && backlog.out().lines().anyMatch(line -> line.startsWith("cli ")),
        backlog.out());
    JsonNode figures = supervisor("backlog", "cli", "--json").json();
    assertEquals("cli", figures.get("pool").asText(), figures.toString());
    assertEquals(1, figures.get("suggestedReplicas").asInt(), "nothing waits: " + figures);
  }

  @Test
  @Order(2)
  void deadLettersAreListedAndReplayedByOffset() throws Exception {
    Run failed = kafka("submit", "cli", "fail", "\"boom\"");
    assertEquals(1, failed.status(), "a failed task fails the command: " + failed.out());
    assertTrue(failed.err().contains("boom"), failed.err());

    await()
        .atMost(WAIT)
        .until(() -> supervisor("dead-letters", "list", "cli").out().contains("boom"));
    JsonNode page = supervisor("dead-letters", "list", "cli", "--json").json();
    JsonNode entry = page.get("deadLetters").get(page.get("deadLetters").size() - 1);
    long failedBefore =
        supervisor("pools", "--json").json().get(0).get("tasks").get("FAILED").asLong();
    Run replay = supervisor("dead-letters", "replay", "cli", entry.get("offset").asText());
    assertEquals(0, replay.status(), replay.err());
    assertTrue(
        replay.out().contains("replayed task " + entry.get("taskId").asText()), replay.out());
    // The replayed task runs again (and fails again: its argument still says so), through its
    // retries to a dead letter of its own that names the one it was replayed from.
    await()
        .atMost(WAIT)
        .until(
            () ->
                supervisor("pools", "--json").json().get(0).get("tasks").get("FAILED").asLong()
                    > failedBefore);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              JsonNode listed =
                  supervisor("dead-letters", "list", "cli", "--json").json().get("deadLetters");
              JsonNode last = listed.get(listed.size() - 1);
              return entry.get("offset").asText().equals(last.path("replayOf").asText());
            });
  }

  @Test
  @Order(3)
  void aDiscardedDeadLetterIsNoLongerListedAndItsReplayIsRefused() throws Exception {
    JsonNode before = supervisor("dead-letters", "list", "cli", "--json").json().get("deadLetters");
    JsonNode entry = before.get(before.size() - 1);
    String offset = entry.get("offset").asText();
    JsonNode newest =
        supervisor("dead-letters", "list", "cli", "--limit", "1", "--json")
            .json()
            .get("deadLetters");
    assertEquals(1, newest.size(), newest.toString());
    assertEquals(
        offset, newest.get(0).get("offset").asText(), "--limit 1 lists the newest: " + newest);

    Run discard = supervisor("dead-letters", "discard", "cli", offset);
    assertEquals(0, discard.status(), discard.err());
    assertTrue(
        discard
            .out()
            .contains("discarded task " + entry.get("taskId").asText() + " at offset " + offset),
        discard.out());
    List<String> after = new ArrayList<>();
    supervisor("dead-letters", "list", "cli", "--json")
        .json()
        .get("deadLetters")
        .forEach(listed -> after.add(listed.get("offset").asText()));
    assertTrue(!after.contains(offset), "discarded, yet listed: " + after);
    for (JsonNode other : before) {
      String kept = other.get("offset").asText();
      assertTrue(
          kept.equals(offset) || after.contains(kept),
          "the others stay listed: " + before + " then " + after);
    }

    Run again = supervisor("dead-letters", "discard", "cli", offset);
    assertEquals(0, again.status(), "discarding twice is harmless: " + again.err());

    Run replay = supervisor("dead-letters", "replay", "cli", offset);
    assertEquals(1, replay.status(), replay.out());
    assertTrue(
        replay.err().contains("409") && replay.err().contains("was discarded"), replay.err());
  }

  @Test
  @Order(4)
  void cancelStopsARunningTaskAndWatchDrawsThePool() throws Exception {
    Run submit = kafka("submit", "cli", "sleep", "600000", "--no-wait");
    String taskId = submit.json().get("taskId").asText();
    await().atMost(WAIT).until(() -> busy() == 1);

    Run watch = supervisor("watch", "--count", "2", "--interval", "PT0.1S");
    assertEquals(0, watch.status(), watch.err());
    assertTrue(watch.out().contains("1/1 busy"), watch.out());

    Run cancel = kafka("cancel", "cli", taskId);
    assertEquals(0, cancel.status(), cancel.err());
    await()
        .atMost(WAIT)
        .until(
            () ->
                supervisor("pools", "--json").json().get(0).get("tasks").get("CANCELLED").asLong()
                    == 1);
  }

  @Test
  @Order(5)
  void drainStopsThePoolOnTheSupervisor() throws Exception {
    Run drain = supervisor("drain", "cli");
    assertEquals(0, drain.status(), drain.err());
    await()
        .atMost(WAIT)
        .until(
            () ->
                "STOPPING"
                    .equals(supervisor("pools", "--json").json().get(0).get("state").asText()));
    Run unknown = supervisor("workers", "nosuchpool");
    assertEquals(1, unknown.status());
    assertTrue(unknown.err().contains("does not serve pool nosuchpool"), unknown.err());
  }

  private static int busy() throws Exception {
    return supervisor("pools", "--json").json().get(0).get("workers").get("BUSY").asInt();
  }

  private static Run supervisor(String... args) {
    List<String> argv = new ArrayList<>(List.of(args));
    argv.add("--url=" + url);
    return run(argv);
  }

  private static Run kafka(String... args) {
    List<String> argv = new ArrayList<>(List.of(args));
    argv.add("--bootstrap-servers=" + fixture.bootstrap);
    return run(argv);
  }

  private static Run run(List<String> argv) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        KpoolCli.run(
            new PrintWriter(out, true), new PrintWriter(err, true), argv.toArray(String[]::new));
    return new Run(status, out.toString(), err.toString());
  }
}
