package dev.kpool.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.kpool.client.MapOptions;
import dev.kpool.client.ResultIterator;
import dev.kpool.client.Task;
import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which record key each submitting call gives a task record, against Kafka's mock clients. */
class KeyedSubmissionsTest {
  private static final String POOL = "unit";
  private static final Task<Integer, Integer> SQUARE =
      Task.of("square", Integer.class, Integer.class);
  private static final Task<Integer, Integer> BY_PARITY =
      SQUARE.keyedBy(x -> x % 2 == 0 ? "even" : "odd");
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final FakeKafka kafka = new FakeKafka("c-unit");
  private KafkaPool pool;

  private KafkaPool start(int bundleTasks, Duration bundleWindow) {
    pool =
        KafkaPool.start(
            new KafkaPool.Settings(
                "fake:9092",
                POOL,
                "c-unit",
                false,
                100,
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                null,
                1024,
                bundleTasks,
                bundleWindow,
                null,
                Map.of()),
            kafka.clients());
    return pool;
  }

  private KafkaPool start() {
    return start(1, Duration.ofMillis(2));
  }

  @AfterEach
  void terminate() {
    if (pool != null) {
      pool.terminate();
    }
  }

  private List<ProducerRecord<String, byte[]>> tasks() {
    return kafka.sentTo(Topics.tasks(POOL));
  }

  private void answerSquares() {
    kafka.answer(POOL, node -> IntNode.valueOf(node.asInt() * node.asInt()));
  }

  private static String id(ProducerRecord<String, byte[]> record) {
    return FakeKafka.header(record, HeaderNames.ID);
  }

  @Test
  void keysAnApplyByTheTasksKeyAndStillRepliesByTaskId() {
    start();
    var result = pool.applyAsync(SQUARE.withKey("counter-7"), 3);

    ProducerRecord<String, byte[]> record = tasks().get(0);
    assertEquals("counter-7", record.key());
    assertNotEquals("counter-7", id(record));
    answerSquares();
    assertEquals(9, result.get(WAIT));
  }

  @Test
  void keysATaskWithoutAKeyOrWithANullKeyByItsTaskId() {
    start();
    pool.applyAsync(SQUARE, 3);
    pool.applyAsync(SQUARE.keyedBy(x -> null), 4);

    tasks().forEach(record -> assertEquals(id(record), record.key()));
    assertEquals(2, tasks().size());
  }

  @Test
  void keysEveryItemOfAKeyedMapByItsOwnKey() {
    start();
    var result = pool.mapAsync(BY_PARITY, List.of(1, 2, 3, 4), 1, null, null);

    assertEquals(
        List.of("odd", "even", "odd", "even"), tasks().stream().map(r -> r.key()).toList());
    tasks().forEach(record -> assertNull(FakeKafka.header(record, HeaderNames.CHUNK)));
    answerSquares();
    assertEquals(List.of(1, 4, 9, 16), result.get(WAIT));
  }

  @Test
  void keysEveryItemOfAKeyedImapByItsOwnKey() {
    start();
    ResultIterator<Integer> squares = pool.imap(BY_PARITY, List.of(5, 6), MapOptions.DEFAULT);

    assertEquals(List.of("odd", "even"), tasks().stream().map(r -> r.key()).toList());
    answerSquares();
    List<Integer> results = new ArrayList<>();
    squares.forEachRemaining(results::add);
    assertEquals(List.of(25, 36), results);
  }

  @Test
  void refusesToChunkAKeyedTaskBeforeSendingAnything() {
    start();
    var mapError =
        assertThrows(
            IllegalArgumentException.class,
            () -> pool.map(BY_PARITY, List.of(1, 2, 3, 4), 2, WAIT));
    assertTrue(mapError.getMessage().contains("chunksize must be 1"), mapError.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> pool.imapUnordered(BY_PARITY, List.of(1, 2, 3, 4), 2));

    assertEquals(0, tasks().size());
  }

  @Test
  void keysTreeRootsAndUnattendedSendsByTheTasksKey() {
    start();
    pool.applyTree(SQUARE.withKey("tree-key"), 2, node -> {});
    pool.send(SQUARE.withKey("sent-key"), 2, "kpool.replies.elsewhere");

    assertEquals(List.of("tree-key", "sent-key"), tasks().stream().map(r -> r.key()).toList());
  }

  @Test
  void aKeyThatThrowsFailsTheCallAndSendsNothing() {
    start();
    Task<Integer, Integer> broken =
        SQUARE.keyedBy(
            x -> {
              throw new IllegalStateException("no key for " + x);
            });

    assertThrows(IllegalStateException.class, () -> pool.applyAsync(broken, 1));
    assertThrows(IllegalStateException.class, () -> pool.map(broken, List.of(1), 1, WAIT));
    assertEquals(0, tasks().size());
    assertEquals(0, pool.stats().inFlight());
  }

  @Test
  void sendsKeyedTasksAloneWhileTasksWithoutAKeyShareABundle() {
    start(10, Duration.ofSeconds(1));
    Task<Integer, Integer> keyed = SQUARE.withKey("counter-7");
    for (int i = 0; i < 3; i++) {
      pool.applyAsync(keyed, i);
      pool.applyAsync(SQUARE, i);
    }

    // The keyed ones are written at once, each alone; the others wait in their bundle's window.
    assertEquals(3, tasks().size());
    tasks().forEach(record -> assertEquals("counter-7", record.key()));
    tasks().forEach(record -> assertNull(FakeKafka.header(record, HeaderNames.BUNDLE)));
    assertTrue(pool.flush(WAIT));
    assertEquals(4, tasks().size());
    assertEquals("3", FakeKafka.header(tasks().get(3), HeaderNames.BUNDLE));
  }
}
